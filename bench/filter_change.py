"""Server-side time of one filter change, per page, against the naive pandas way.

    python bench/filter_change.py [--sizes 1k 10k 100k] [--repeat 3] [--fresh]

For each synthetic portfolio (1k, 10k, 100k activities with about 10 budget and 10
transaction rows each) and each page, it makes the filter changes of
bench/common.py:filter_changes (donor, sector, country, province, years, currency, status
and combinations) and times what the page does on the server (bench/page_work.py): all
its queries, uncached, and its figures and tables built and serialised. It prints p50 and
p95 of the whole, and of the queries alone (each run by itself, one after another); then the same aggregates done the naive way
(bench/naive.py: the tables loaded into pandas once, filtered and grouped in pandas) on
the same filter changes, and how many times slower that is than the queries. It also
prints how many full garbage collections ran during the page runs and how long they took
(the app freezes what lives as long as the server after a page's first run, as
bench/page_work.py does; see mekong/app/gc_freeze.py).

Targets at 100k: p95 at most 250 ms on every page, at least 10 times faster than pandas.
The figures print; nothing is asserted.
"""
import argparse
import contextlib
import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import naive as naive_way  # noqa: E402
from bench.common import TODAY, busy, filter_changes, ms, p50, percentile, print_machine, sizes_arg, synthetic_db, table  # noqa: E402
from bench.page_work import PAGES, run_page  # noqa: E402
from mekong.store.db import Portfolio  # noqa: E402

TARGET_P95 = 0.250
TARGET_RATIO = 10


def measure_sql(db: Portfolio, changes, repeat: int) -> dict[str, dict[str, list[float]]]:
    for page in PAGES:  # warm up: first reads of each table, imports, plotly's first figure
        run_page(db, page, changes[0][1])
    out = {page: {"total": [], "queries": []} for page in PAGES}
    with full_collections() as collected:
        for _ in range(repeat):
            for _label, f in changes:
                for page in PAGES:
                    started = time.perf_counter()
                    run_page(db, page, f)
                    out[page]["total"].append(time.perf_counter() - started)
    out["_gc"] = collected
    # The queries' own cost, for the comparison with pandas (which does the same
    # aggregates one after another): each query alone. In the runs above the page's
    # queries overlap (the prefetch), and the sum of overlapping durations counts each
    # query's wait for the other core too.
    for _label, f in changes:
        for page in PAGES:
            out[page]["queries"].append(sum(run_page(db, page, f, prefetch=False).query_seconds.values()))
    return out


@contextlib.contextmanager
def full_collections():
    """The number and the time of Python's full garbage collections while it is open
    (a list [n, seconds, longest]): they hold the GIL while a run's charts wait."""
    seen, started = [0, 0.0, 0.0], []

    def watch(phase, info):
        if info["generation"] != 2:
            return
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            took = time.perf_counter() - started.pop()
            seen[0], seen[1], seen[2] = seen[0] + 1, seen[1] + took, max(seen[2], took)

    gc.callbacks.append(watch)
    try:
        yield seen
    finally:
        gc.callbacks.remove(watch)


def measure_naive(path: Path, changes) -> tuple[float, dict[str, list[float]]]:
    started = time.perf_counter()
    n = naive_way.Naive(path)
    load = time.perf_counter() - started
    out = {page: [] for page in PAGES}
    for page in PAGES:
        naive_way.page(n, page, changes[0][1], TODAY)  # warm up
    for _label, f in changes:
        for page in PAGES:
            started = time.perf_counter()
            naive_way.page(n, page, f, TODAY)
            out[page].append(time.perf_counter() - started)
    problems = []
    for label, f in changes[:4]:
        problems += [f"[{label}] {p}" for p in naive_way.check(
            n, lambda name, flt, **extra: db_frame(path, name, flt, **extra), f, TODAY)]
    return load, out, problems


def db_frame(path: Path, name: str, f, **extra):
    return Portfolio(path).frame(name, {**f.params(), "lang": "en", "today": TODAY, "q": "", "limit": 100_000,
                                        "flow": "budget", **extra})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sizes_arg(parser)
    parser.add_argument("--repeat", type=int, default=3, help="times each filter change is made (SQL side)")
    parser.add_argument("--no-naive", action="store_true", help="skip the pandas comparison")
    parser.add_argument("--busy", type=int, default=0,
                        help="other processes keeping the cores busy while it measures (the issue's 'load of two other processes': 2)")
    args = parser.parse_args()
    print_machine()
    with busy(args.busy):
        run(args)


def run(args) -> None:
    summary = []
    for size in args.sizes:
        path = synthetic_db(size, args.fresh)
        db = Portfolio(path)
        changes = filter_changes(path)
        load_before = os.getloadavg()[0]
        sql = measure_sql(db, changes, args.repeat)
        n_gc, gc_seconds, gc_longest = sql.pop("_gc")
        if not args.no_naive:
            load, naive, problems = measure_naive(path, changes)
        print(f"\n## {size} activities: {len(changes)} filter changes x {args.repeat} "
              f"(load average {load_before:.1f} -> {os.getloadavg()[0]:.1f}"
              + (f"; {args.busy} other processes busy" if args.busy else "") + ")")
        print(f"full garbage collections during the {len(changes) * args.repeat * len(PAGES)} page runs: "
              f"{n_gc}, {ms(gc_seconds)} in all, the longest {ms(gc_longest)}")
        if not args.no_naive:
            print(f"naive: tables loaded into pandas in {load:.1f} s; "
                  + ("its answers match the queries'" if not problems else "DIFFERS: " + "; ".join(problems)))
        rows = []
        for page, t in sql.items():
            row = [page, ms(p50(t["total"])), ms(percentile(t["total"], 95)), ms(p50(t["queries"])),
                   ms(percentile(t["queries"], 95))]
            if not args.no_naive:
                nv = naive[page]
                ratio50, ratio95 = p50(nv) / p50(t["queries"]), percentile(nv, 95) / percentile(t["queries"], 95)
                row += [ms(p50(nv)), ms(percentile(nv, 95)), f"{ratio50:.1f}x", f"{ratio95:.1f}x"]
            rows.append(row)
            if size == "100k":
                p95 = percentile(t["total"], 95)
                verdict = "met" if p95 <= TARGET_P95 else "MISSED"
                if not args.no_naive:
                    verdict_ratio = "met" if ratio50 >= TARGET_RATIO else "MISSED"
                    summary.append([page, ms(p95), verdict, f"{ratio50:.1f}x", verdict_ratio])
                else:
                    summary.append([page, ms(p95), verdict, "-", "-"])
        headers = ["page", "p50", "p95", "queries p50", "queries p95"]
        if not args.no_naive:
            headers += ["pandas p50", "pandas p95", "pandas/queries p50", "p95"]
        print(table(headers, rows), flush=True)
    if summary:
        print("\n## targets at 100k: p95 <= 250 ms, >= 10x faster than pandas (queries vs pandas, p50)")
        print(table(["page", "p95", "target", "vs pandas", "target"], summary))


if __name__ == "__main__":
    main()
