"""Import throughput: activities per second, IATI XML -> DuckDB, all or nothing.

    python bench/import_throughput.py [--sizes 5000 20000] [--repeat 3]

Imports the 436-activity real file (../shared/testdata/iati/mekong_subset_dportal_covid_2021.xml)
and larger files made from it by repeating its activities under new identifiers, each into a
fresh copy of the default database. Prints, per file, the best of --repeat runs of:
- baseline: lxml iterparse of the file, counting activities, no other work;
- read: the safety checks and the IATI reader (no database);
- import: the whole import_files() call (read, copy the database, apply, derive, check, rename).
The project's target is 2,000 activities per second for the import.
"""
import argparse
import copy
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import print_machine  # noqa: E402
from mekong.importers import import_files
from mekong.importers.run import read_uploads
from mekong.paths import SHARED_DIR
from mekong.store.build import build

SOURCE = SHARED_DIR / "testdata" / "iati" / "mekong_subset_dportal_covid_2021.xml"
TARGET = 2000


def make_file(source: Path, n: int, out: Path) -> int:
    """A file of n activities: the source's activities repeated, identifiers suffixed '-rK'."""
    root = etree.parse(str(source)).getroot()
    acts = [a for a in root if a.tag == "iati-activity"]
    for a in acts:
        root.remove(a)
    for i in range(n):
        a = copy.deepcopy(acts[i % len(acts)])
        k = i // len(acts)
        if k:
            ident = a.find("iati-identifier")
            ident.text = f"{ident.text.strip()}-r{k}"
        root.append(a)
    etree.ElementTree(root).write(str(out), xml_declaration=True, encoding="UTF-8")
    return n


def best(fn, repeat: int) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds (this process, all threads) of `repeat` runs.
    CPU time is printed too because other processes on a shared machine slow the wall clock."""
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return min(wall), min(cpu)


def baseline(path: Path) -> int:
    n = 0
    for _, el in etree.iterparse(str(path), tag="iati-activity"):
        n += 1
        el.clear()
    return n


def measure(path: Path, n: int, seed: Path, db: Path, repeat: int) -> tuple[int, float, float]:
    """Print one line of figures for one file; returns (activities, wall s, cpu s) of the import."""
    data = path.read_bytes()
    t_base, _ = best(lambda: baseline(path), repeat)
    t_read, _ = best(lambda: read_uploads([(path.name, data)], max_bytes=len(data) + 1), repeat)

    def full():
        shutil.copyfile(seed, db)
        report = import_files([path], db, max_bytes=len(data) + 1)
        assert report.applied and report.activities == n, report.reason
    wall, cpu = best(full, repeat)
    print(f"{path.name:<38} {n:>6} {len(data) / 2**20:>6.1f} {n / t_base:>11,.0f} {n / t_read:>9,.0f} "
          f"{n / wall:>9,.0f} {wall:>7.2f} {cpu:>7.2f} {n / cpu:>15,.0f}")
    os.remove(db)
    return n, wall, cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[5000, 20000])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if not SOURCE.is_file():
        print(f"missing {SOURCE} (set MEKONG_SHARED)", file=sys.stderr)
        return 2
    print_machine()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        seed = build(tmp / "seed.duckdb")
        files = [(436, SOURCE)]
        for n in args.sizes:
            files.append((make_file(SOURCE, n, tmp / f"activities-{n}.xml"), tmp / f"activities-{n}.xml"))
        print(f"{'file':<38} {'acts':>6} {'MB':>6} {'baseline/s':>11} {'read/s':>9} {'import/s':>9} "
              f"{'wall s':>7} {'cpu s':>7} {'import/s (cpu)':>15}")
        results = []
        for n, path in files:
            results.append(measure(path, n, seed, tmp / "bench.duckdb", args.repeat))
        if len(results) > 1:
            (n1, w1, c1), (n2, w2, c2) = results[0], results[-1]
            print(f"per activity beyond the fixed cost of an import (between {n1} and {n2} activities): "
                  f"{(n2 - n1) / (w2 - w1):,.0f} activities/s wall, {(n2 - n1) / (c2 - c1):,.0f} cpu")
        worst = min(n / w for n, w, _ in results)
        print(f"import throughput (activities per second, wall clock, worst of the files above): {worst:,.0f} "
              f"(target {TARGET:,}: {'met' if worst >= TARGET else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
