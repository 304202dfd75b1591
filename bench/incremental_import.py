"""One small file into a large portfolio: an import re-derives only what it touches.

    python bench/incremental_import.py [--size 100k] [--activities 100] [--repeat 3]

Takes the first --activities activities of the real file
../shared/testdata/iati/mekong_subset_dportal_covid_2021.xml and imports them into a
fresh copy of the synthetic portfolio of --size (bench/common.py), then imports the same
file again (a refresh: the same activities replaced), each through import_files() as the
Data page and the command line do: read, copy the database, apply, derive the touched
activities, check them, rename. Prints the best of --repeat runs of each, the time spent
in derive and in the integrity check, and, as the baseline in the same run, what the
derive alone costs when it recomputes the whole portfolio (what every import did before
imports were incremental). Target: at most 3 s for the import.
"""
import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from bench.common import print_machine, sizes_arg, synthetic_db  # noqa: E402
from mekong.importers import import_files  # noqa: E402
from mekong.importers import run as import_run  # noqa: E402
from mekong.paths import SHARED_DIR  # noqa: E402
from mekong.store import derive as derive_module  # noqa: E402

SOURCE = SHARED_DIR / "testdata" / "iati" / "mekong_subset_dportal_covid_2021.xml"
TARGET = 3.0


def small_file(n: int, out: Path) -> int:
    tree = etree.parse(str(SOURCE))
    root = tree.getroot()
    for a in root.findall("iati-activity")[n:]:
        root.remove(a)
    tree.write(str(out), xml_declaration=True, encoding="utf-8")
    return len(root.findall("iati-activity"))


class Phases:
    """Wraps the import's derive and integrity check to time them."""

    def __init__(self):
        self.seconds = {"derive": 0.0, "check": 0.0}
        self._derive, self._check = import_run.derive, import_run.check_integrity

    def __enter__(self):
        def derive(con, touched=None):
            t = time.perf_counter()
            self._derive(con, touched)
            self.seconds["derive"] += time.perf_counter() - t

        def check(con, touched=None, **kw):
            t = time.perf_counter()
            self._check(con, touched, **kw)
            self.seconds["check"] += time.perf_counter() - t
        import_run.derive, import_run.check_integrity = derive, check
        return self

    def __exit__(self, *exc):
        import_run.derive, import_run.check_integrity = self._derive, self._check


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sizes_arg(ap, default=("100k",))
    ap.add_argument("--activities", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if not SOURCE.is_file():
        print(f"missing {SOURCE} (set MEKONG_SHARED)", file=sys.stderr)
        return 2
    print_machine()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = tmp / "small.xml"
        n = small_file(args.activities, path)
        for size in args.sizes:
            big = synthetic_db(size)
            rows = {"import": [], "refresh": [], "full derive (baseline)": []}
            for _ in range(args.repeat):
                db = tmp / "bench.duckdb"
                shutil.copyfile(big, db)
                for label in ("import", "refresh"):
                    with Phases() as ph:
                        t = time.perf_counter()
                        report = import_files([path], db)
                        wall = time.perf_counter() - t
                    assert report.applied, report.reason
                    rows[label].append((wall, ph.seconds["derive"], ph.seconds["check"]))
                con = duckdb.connect(str(db))
                t = time.perf_counter()
                con.execute("BEGIN TRANSACTION")
                derive_module.derive(con)
                wall = time.perf_counter() - t
                con.execute("ROLLBACK")
                con.close()
                rows["full derive (baseline)"].append((wall, wall, 0.0))
                db.unlink()
            print(f"\n## {n} activities into {size} activities, best of {args.repeat}")
            print(f"| {'run':<24} | {'wall s':>7} | {'derive s':>8} | {'check s':>7} |")
            print(f"|{'-' * 26}|{'-' * 9}|{'-' * 10}|{'-' * 9}|")
            for label, runs in rows.items():
                wall, d, c = min(runs)
                print(f"| {label:<24} | {wall:>7.2f} | {d:>8.2f} | {c:>7.2f} |")
            worst = max(min(rows["import"])[0], min(rows["refresh"])[0])
            print(f"import of {n} activities into {size}: {worst:.2f} s (target {TARGET:.0f} s: "
                  f"{'met' if worst <= TARGET else 'NOT met'}); the whole derive alone takes "
                  f"{min(rows['full derive (baseline)'])[0]:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
