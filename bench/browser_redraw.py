"""From a filter change in the browser until the page's charts are redrawn.

    python bench/browser_redraw.py [--sizes 1k 10k 100k] [--repeat 2] [--fresh] [--pages map funding]

Starts the dashboard on each synthetic portfolio, opens every page in Debian's Chromium
(Playwright), makes filter changes in the sidebar (a country, a donor, clearing them)
and times each from the key press that picks the value to the last change inside the
charts (bench/app.py explains how). The projects page has no chart: its table counts.
Each change is new to the app's cache the first time (--repeat > 1 shows the cached
case as well). Target at 100k: at most 1.5 s.
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import app as bench_app  # noqa: E402
from bench.common import ms, p50, percentile, print_machine, sizes_arg, synthetic_db, table  # noqa: E402

TARGET = 1.5
CHANGES = [("Country", "Viet"), None, ("Donor (funding organisation)", "Synthetic donor 02"), None,
           ("Country", "Cambodia"), ("Sector category", "Government"), None]


def measure_page(page, url: str, repeat: int) -> tuple[list[float], list[float]]:
    """(first time each change is made, the same change again) in seconds."""
    bench_app.open_page(page, url)
    first, again = [], []
    for r in range(repeat):
        for change in CHANGES:
            started = bench_app.clear_filters(page) if change is None else bench_app.choose(page, *change)
            done = bench_app.settle(page, since=started)
            if bench_app.errors_on(page):
                raise RuntimeError(f"the page shows an error after {change}")
            (first if r == 0 else again).append(max(0.0, done - started) / 1000)
    return first, again


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sizes_arg(parser)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--pages", nargs="+", choices=list(bench_app.PAGES), default=list(bench_app.PAGES),
                        help="only these pages (all by default)")
    args = parser.parse_args()
    print_machine()
    summary = []
    with bench_app.chromium() as browser:
        for size in args.sizes:
            db = synthetic_db(size, args.fresh)
            rows = []
            with bench_app.app(db) as (_proc, url):
                for name, path in bench_app.PAGES.items():
                    if name not in args.pages:
                        continue
                    page = bench_app.new_page(browser)
                    first, again = measure_page(page, f"{url}/{path}?lang=en", args.repeat)
                    page.context.close()
                    row = [name, ms(p50(first)), ms(percentile(first, 95))]
                    row += [ms(p50(again)), ms(percentile(again, 95))] if again else ["-", "-"]
                    rows.append(row)
                    if size == "100k":
                        p95 = percentile(first, 95)
                        summary.append([name, ms(p95), "met" if p95 <= TARGET else "MISSED"])
            print(f"\n## {size} activities: filter change -> charts redrawn, {len(CHANGES)} changes per page")
            print(table(["page", "new p50", "new p95", "cached p50", "cached p95"], rows), flush=True)
    if summary:
        print("\n## target at 100k: redraw <= 1.5 s (p95, changes new to the cache)")
        print(table(["page", "p95", "target"], summary))


if __name__ == "__main__":
    main()
