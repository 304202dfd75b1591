"""Fetch and import throughput: N activities from a local Q API in pages of 100.

    python bench/fetch_import.py [--activities 20000] [--page-size 100] [--pause 0] [--repeat 2] [--gzip]

A local stand-in for d-portal's Q API (tests/dportal_server.py) runs in a process of its
own, serving one country's activities: the 436 real activities of
../shared/testdata/iati/mekong_subset_dportal_covid_2021.xml repeated under new
identifiers up to N, a page at a time. Each run is a fresh process that calls
live.fetch_countries() on a fresh copy of the default database, as `python -m mekong
fetch --country LA` does: every page streamed with the safety checks, parsed, written to
the page cache and read, then one all-or-nothing import. Prints, per run: wall time of the
fetch (pages received and read) and of the import, activities per second, CPU seconds of
the process (the figure that other work on a shared machine disturbs least), and the peak
resident memory of the process (psutil, sampled every 20 ms), also above what it held
before the run; then, for reference, the same activities imported as one file by
import_files() in the same way.
--pause is the wait between requests (the command's default is 0.5 s, which adds half a
second per page on purpose; 0 measures the machinery).
"""
import argparse
import copy
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import print_machine  # noqa: E402
from mekong.paths import SHARED_DIR  # noqa: E402

SOURCE = SHARED_DIR / "testdata" / "iati" / "mekong_subset_dportal_covid_2021.xml"
COUNTRY = "LA"


def serve(n: int, gzip: bool) -> None:
    """The child process: a Q API serving n activities for COUNTRY; prints its address."""
    from lxml import etree

    from tests.dportal_server import QApi

    acts = [a for a in etree.parse(str(SOURCE)).getroot() if a.tag == "iati-activity"]
    out = []
    for i in range(n):
        a = copy.deepcopy(acts[i % len(acts)])
        ident = a.find("iati-identifier")
        ident.text = f"{ident.text.strip()}-r{i // len(acts)}"
        out.append((ident.text, etree.tostring(a, encoding="UTF-8")))
    api = QApi({COUNTRY: out})
    api.gzip = gzip
    api.start()
    print(api.url, flush=True)
    sys.stdin.read()  # until the parent closes it
    api.stop()


class PeakMemory:
    """The highest resident memory of this process while it runs (psutil, every 20 ms)."""

    def __init__(self):
        import psutil

        self.proc = psutil.Process()
        self.base = self.proc.memory_info().rss
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.proc.memory_info().rss)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.proc.memory_info().rss)


def one_run(url: str, seed: Path, db: Path, n: int, page_size: int, pause: float) -> dict:
    from mekong.importers.fetch import Settings
    from mekong.importers.live import fetch_countries

    shutil.copyfile(seed, db)
    shutil.rmtree(db.parent / "cache", ignore_errors=True)
    marks = {}

    def progress(p):
        if p.phase == "import" and "import" not in marks:
            marks["import"] = time.perf_counter()

    with PeakMemory() as mem:
        started, cpu = time.perf_counter(), time.process_time()
        report = fetch_countries([COUNTRY], db, base=url, limit=page_size, progress=progress,
                                 settings=Settings(timeout=60, retries=2, pause=pause))
        ended, cpu = time.perf_counter(), time.process_time() - cpu
    assert report.applied and report.imported.activities == n, report.reason
    c = report.countries[0]
    return {"pages": c.pages, "fetch": marks["import"] - started, "import": ended - marks["import"],
            "total": ended - started, "cpu": cpu, "peak_mb": (mem.peak - mem.base) / 2**20, "rss_mb": mem.peak / 2**20}


def file_run(seed: Path, db: Path, n: int) -> dict:
    """The reference: the same activities as one file, through import_files (as `python -m mekong import`)."""
    from mekong.importers import import_files

    path = db.parent / f"activities-{n}.xml"  # made by the parent process
    shutil.copyfile(seed, db)
    with PeakMemory() as mem:
        started, cpu = time.perf_counter(), time.process_time()
        report = import_files([path], db, max_bytes=path.stat().st_size + 1)
        ended, cpu = time.perf_counter(), time.process_time() - cpu
    assert report.applied and report.activities == n, report.reason
    return {"total": ended - started, "cpu": cpu, "peak_mb": (mem.peak - mem.base) / 2**20, "rss_mb": mem.peak / 2**20}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--activities", type=int, default=20_000)
    ap.add_argument("--page-size", type=int, default=100)
    ap.add_argument("--pause", type=float, default=0.0)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--gzip", action="store_true", help="the server compresses its pages")
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--run", choices=["fetch", "file"], help=argparse.SUPPRESS)  # one measurement, in a fresh process
    ap.add_argument("--url", help=argparse.SUPPRESS)
    ap.add_argument("--seed-db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run:
        import json

        db = args.work / "mekong.duckdb"
        r = (one_run(args.url, args.seed_db, db, args.activities, args.page_size, args.pause) if args.run == "fetch"
             else file_run(args.seed_db, db, args.activities))
        print(json.dumps(r))
        return 0
    if not SOURCE.is_file():
        print(f"missing {SOURCE} (set MEKONG_SHARED)", file=sys.stderr)
        return 2
    if args.serve:
        serve(args.activities, args.gzip)
        return 0
    print_machine()
    child = [sys.executable, __file__, "--serve", "--activities", str(args.activities)] + (["--gzip"] if args.gzip else [])
    server = subprocess.Popen(child, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        url = server.stdout.readline().strip()
        from mekong.store.build import build

        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            seed = build(tmp / "seed.duckdb")
            work = tmp / "bench"  # the database and its page cache (work/cache/)
            work.mkdir()
            print(f"# {args.activities:,} activities for {COUNTRY} from {url} in pages of {args.page_size}, "
                  f"pause {args.pause:g} s between requests{', gzip' if args.gzip else ''}")
            print(f"{'run':>3} {'pages':>6} {'fetch s':>8} {'import s':>9} {'total s':>8} {'activities/s':>13} "
                  f"{'cpu s':>6} {'peak MB':>8} {'rss MB':>7}")
            runs = []

            def measure(kind: str) -> dict:
                import json

                out = subprocess.run([sys.executable, __file__, "--run", kind, "--url", url, "--seed-db", str(seed),
                                      "--work", str(work), "--activities", str(args.activities),
                                      "--page-size", str(args.page_size), "--pause", str(args.pause)],
                                     capture_output=True, text=True, cwd=ROOT, check=True)
                return json.loads(out.stdout.strip().splitlines()[-1])

            for i in range(args.repeat):
                r = measure("fetch")
                runs.append(r)
                print(f"{i + 1:>3} {r['pages']:>6} {r['fetch']:>8.1f} {r['import']:>9.1f} {r['total']:>8.1f} "
                      f"{args.activities / r['total']:>13,.0f} {r['cpu']:>6.1f} {r['peak_mb']:>8,.0f} {r['rss_mb']:>7,.0f}")
            from bench.import_throughput import make_file

            make_file(SOURCE, args.activities, work / f"activities-{args.activities}.xml")
            ref = measure("file")
            print(f"reference: the same {args.activities:,} activities as one file (import_files): {ref['total']:.1f} s, "
                  f"{args.activities / ref['total']:,.0f} activities/s, {ref['cpu']:.1f} s of CPU, peak {ref['peak_mb']:,.0f} MB above the start "
                  f"({ref['rss_mb']:,.0f} MB resident)")
            best = min(runs, key=lambda r: r["total"])
            print(f"fetch and import of {args.activities:,} activities in pages of {args.page_size}: "
                  f"{best['total']:.1f} s (fetch {best['fetch']:.1f} s, import {best['import']:.1f} s), "
                  f"{args.activities / best['total']:,.0f} activities per second ({best['cpu']:.1f} s of CPU), peak memory "
                  f"{max(r['peak_mb'] for r in runs):,.0f} MB above the process's start "
                  f"({max(r['rss_mb'] for r in runs):,.0f} MB resident)")
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
