"""Cold start: from starting the app process until its first page is drawn.

    python bench/cold_start.py [--sizes 1k 10k 100k] [--repeat 3] [--fresh]

For each synthetic portfolio, starts `streamlit run dashboard.py` on it with Chromium
already open, loads the overview page as soon as the server answers, and times from the
process start to the last change of the page's charts (bench/app.py). Split into the
server starting (until /_stcore/health answers) and the first page (its first run: the
database opened and checked, the sidebar's options, the page's queries, the charts).
Caches of the operating system are warm (the file was read before); the app's are empty.
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import app as bench_app  # noqa: E402
from bench.common import ms, p50, print_machine, sizes_arg, synthetic_db, table  # noqa: E402


def once(browser, db: Path) -> tuple[float, float]:
    started = time.time()
    with bench_app.app(db) as (_proc, url):
        healthy = time.time()
        page = bench_app.new_page(browser)
        page.goto(f"{url}/?lang=en")
        last = bench_app.settle(page)
        drawn = (page.evaluate("() => performance.timeOrigin") + last) / 1000
        if bench_app.errors_on(page) or page.locator(bench_app.CHARTS).count() == 0:
            raise RuntimeError("the first page did not draw its charts")
        page.context.close()
    return healthy - started, drawn - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sizes_arg(parser)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print_machine()
    rows = []
    with bench_app.chromium() as browser:
        for size in args.sizes:
            db = synthetic_db(size, args.fresh)
            runs = [once(browser, db) for _ in range(args.repeat)]
            server, total = [r[0] for r in runs], [r[1] for r in runs]
            rows.append([size, ms(p50(server)), ms(p50(total) - p50(server)), ms(p50(total)), ms(max(total))])
            print(f"# {size}: " + ", ".join(f"{t:.2f} s" for t in total), flush=True)
    print("\n## cold start: process start -> first page drawn (median of the runs)")
    print(table(["activities", "server up", "first page", "total", "slowest"], rows))


if __name__ == "__main__":
    main()
