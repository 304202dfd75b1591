"""Peak memory of the app while browsing every page.

    python bench/memory.py [--sizes 1k 10k 100k] [--sessions 3] [--fresh]

Starts the dashboard on each synthetic portfolio and samples its resident memory (RSS
of the process and any children, psutil, every 50 ms) while --sessions browser sessions
open every page in turn and make the filter changes of bench/browser_redraw.py on each.
Target at 100k: under 600 MB.
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import app as bench_app  # noqa: E402
from bench.browser_redraw import CHANGES  # noqa: E402
from bench.common import print_machine, sizes_arg, synthetic_db, table  # noqa: E402

TARGET_MB = 600


def browse(browser, url: str) -> None:
    page = bench_app.new_page(browser)
    for path in bench_app.PAGES.values():
        bench_app.open_page(page, f"{url}/{path}?lang=en")
        for change in CHANGES:
            started = bench_app.clear_filters(page) if change is None else bench_app.choose(page, *change)
            bench_app.settle(page, since=started)
    bench_app.open_page(page, f"{url}/about?lang=en")
    page.context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sizes_arg(parser)
    parser.add_argument("--sessions", type=int, default=3, help="sessions browsing one after the other")
    args = parser.parse_args()
    print_machine()
    rows = []
    with bench_app.chromium() as browser:
        for size in args.sizes:
            db = synthetic_db(size, args.fresh)
            with bench_app.app(db) as (proc, url):
                with bench_app.PeakMemory(proc.pid) as mem:
                    started = mem.rss()
                    for _ in range(args.sessions):
                        browse(browser, url)
                    end = mem.rss()
            mb = mem.peak / 2**20
            rows.append([size, f"{started / 2**20:,.0f} MB", f"{mb:,.0f} MB", f"{end / 2**20:,.0f} MB",
                         ("met" if mb < TARGET_MB else "MISSED") if size == "100k" else "-"])
            print(f"# {size}: peak {mb:,.0f} MB", flush=True)
    print(f"\n## app memory (RSS) while {args.sessions} sessions browse every page; target at 100k: < {TARGET_MB} MB")
    print(table(["activities", "after start", "peak", "at the end", "target"], rows))


if __name__ == "__main__":
    main()
