"""Many users at once while an import replaces the database.

    python bench/concurrency.py [--size 100k] [--sessions 20] [--seconds 60] [--proxy 2] [--fresh]

Two or three parts, each with the database file replaced halfway through, by an import when the
importer is there (mekong.importers, importing the IATI test files of tests/fixtures/iati
or ../shared/testdata/iati), else by a bigger synthetic portfolio put in place with the
same atomic replace:
1. --sessions real sessions: one Chromium (Playwright) with a context per session, each
   changing filters on the overview page in a loop (1 to 3 s between changes, as a person
   reading the page) against one app process; the swap starts once every session has
   changed filters, and the sessions go on for a third of the time after it. Counts the
   errors shown, and checks that every session's first page run after the swap shows the
   new number of activities; prints the filter-change times before, during and after.
   Every fourth change the session opens its page again (a person opening a shared
   link): each page load is counted, and a load that fails (ERR_CONNECTION_REFUSED, a
   timeout, a failed websocket) is counted by cause and tried again after a second. The
   app process is watched meanwhile: whether it is still running at the end and its
   peak memory (VmHWM), the two things that tell a refused connection's cause.
2. With --proxy N, part 1 again through the README's deployment started for real
   (bench/proxy.py): nginx on 127.0.0.1 in front of N app processes reading the one file,
   sticky sessions; the same sessions, swap and figures, against part 1's one process.
3. The same number of sessions as threads running page queries directly (as
   tests/test_concurrency.py does with 5), each page run checked for agreement between
   its charts (no half-old, half-new page) and for the new data after the swap.
"""
import argparse
import asyncio
import contextlib
import random
import re
import shutil
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import app as bench_app  # noqa: E402
from bench.common import ROOT, SIZES, ms, p50, percentile, print_machine, synthetic_db, table  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, IDLE  # noqa: E402

COUNTRIES = ["Viet", "Cambodia", "Laos", "Thailand", "Myanmar"]
TOTAL_RE = re.compile(r"([\d,]+)\s*$")


def iati_files() -> list[Path]:
    for d in (ROOT / "tests" / "fixtures" / "iati", ROOT.parent / "shared" / "testdata" / "iati"):
        files = sorted(d.glob("*.xml")) if d.is_dir() else []
        if files:
            return files
    return []


def swap(db: Path, n_before: int) -> str:
    """Replace the database file; returns how."""
    try:
        from mekong.importers import import_files
    except ImportError:
        import_files = None
    files = iati_files()
    if import_files and files:
        report = import_files(files, db)
        return f"import of {len(files)} IATI files ({'applied' if report.applied else 'REFUSED: ' + str(report.reason)})"
    from mekong.store.synth import generate

    generate(db, n_before + n_before // 5, seed=99)
    return f"a synthetic portfolio of {n_before + n_before // 5:,} activities put in place (importer not available)"


def count_activities(db: Path) -> int:
    from mekong.store.db import connect

    con = connect(db)
    try:
        return con.execute("SELECT count(*) FROM project").fetchone()[0]
    finally:
        con.close()


# ---------------------------------------------------------------- 1. browser sessions
async def _settle(page, since: float | None = None, timeout_s: float = 300) -> None:
    """bench/app.py:settle for the async API."""
    await page.evaluate(bench_app._OBSERVER)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        await page.wait_for_timeout(100)
        if await page.locator(IDLE).count() and bench_app.settled(await page.evaluate(bench_app._STATE), since):
            return
    raise TimeoutError("the page did not settle")


async def _now(page) -> float:
    return await page.evaluate("() => performance.now()")


async def _disclosed(page) -> str:
    """The "Budget disclosed" figure: "<with a budget> of <activities selected>"."""
    box = page.locator("[data-testid='stMetric']", has_text="Budget disclosed").first
    return await box.locator("[data-testid='stMetricValue']").inner_text()


def _total(disclosed: str) -> int:
    return int(TOTAL_RE.search(disclosed).group(1).replace(",", ""))


async def _changed(page, before: str, since: float) -> str:
    """Wait for the rerun an action started to be drawn: with the app this loaded, the
    page may look idle for longer than settle()'s quiet time before the rerun begins, so
    first wait for the headline figure to differ from `before` (each action here changes
    it), then for the page to settle. Returns the new figure."""
    deadline = time.monotonic() + 180
    while await _disclosed(page) == before and time.monotonic() < deadline:
        await page.wait_for_timeout(100)
    await _settle(page, since)
    return await _disclosed(page)


LOADS = {"loads": 0, "failed": [], "requests_failed": []}


async def _load(page, url: str, i: int) -> None:
    """Open the page, counting the load and each failed try (three tries, a second apart)."""
    for attempt in range(3):
        LOADS["loads"] += 1
        try:
            await page.goto(url)
            await page.wait_for_selector("h1", timeout=300_000)
            return
        except Exception as e:  # noqa: BLE001 - counted by cause
            cause = re.search(r"net::ERR_[A-Z_]+", str(e))
            LOADS["failed"].append((i, time.time(), cause.group(0) if cause else type(e).__name__))
            if attempt == 2:
                raise
            await page.wait_for_timeout(1000)


async def _session(i: int, browser, url: str, until: dict, log: list, errors: list, ended: set) -> None:
    rng = random.Random(i)
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1400}, locale="en-GB")
    page = await ctx.new_page()
    # a failed document or websocket request is a failed page load or a lost session
    page.on("requestfailed", lambda r: LOADS["requests_failed"].append((i, r.resource_type, r.failure))
            if r.resource_type in ("document", "websocket") else None)
    # twenty renderers share the two cores with the app: Playwright's 30 s default is
    # too short for a click to be acted on, which is the benchmark's limit, not the app's
    page.set_default_timeout(180_000)
    changes = 0
    try:
        await _load(page, f"{url}/?lang=en", i)
        await _settle(page)
        shown = await _disclosed(page)
        while time.time() < until["t"]:
            changes += 1
            if changes % 4 == 0:  # a person opening a shared link
                await _load(page, f"{url}/?lang=en", i)
                await _settle(page)
                shown = await _disclosed(page)
            await page.wait_for_timeout(rng.uniform(1000, 3000))  # a person reads the page
            box = page.locator("[data-testid='stMultiSelect']", has_text="Country").first
            await box.locator("input").click()
            await page.keyboard.type(rng.choice(COUNTRIES))
            await page.wait_for_timeout(200)
            started, since = time.time(), await _now(page)
            await page.keyboard.press("Enter")
            await page.keyboard.press("Escape")
            await page.locator("h1").first.click()  # the options list sometimes opens again
            shown = await _changed(page, shown, since)
            changed = time.time()
            since = await _now(page)
            await page.get_by_test_id("stSidebarUserContent").get_by_role("button", name="Clear all filters").click()
            shown = await _changed(page, shown, since)
            n_errors = await page.locator(bench_app.ERRORS).count()
            total = _total(shown)
            log.append((i, started, changed - started, time.time(), total))
            if n_errors:
                errors.append(f"session {i}: the page shows {n_errors} error(s)")
                return
    except Exception as e:  # noqa: BLE001 - reported as a failed session
        msg = str(e).splitlines()
        errors.append(f"session {i}: {type(e).__name__}: {msg[0] if msg else ''} ... {msg[-1].strip() if msg else ''}")
        shot = ROOT / "bench" / "results" / f"concurrency-session-{i}.png"
        await page.screenshot(path=str(shot), full_page=True)
        errors.append(f"  its page: {shot}")
    finally:
        ended.add(i)
        await ctx.close()


async def _browser_part(url: str, sessions: int, seconds: float, db: Path, n_before: int) -> dict:
    from playwright.async_api import async_playwright

    log, errors, swapped, ended = [], [], {}, set()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # the sessions stop at this time, set once the swap is over so that every session
        # changes filters after it (first loads and an import under 20 browsers are slow)
        started, until = time.time(), {"t": float("inf")}

        async def do_swap():
            # once every session still running has changed filters (at most 10 minutes)
            while len({r[0] for r in log} | ended) < sessions and time.time() < started + 600:
                await asyncio.sleep(0.5)
            await asyncio.sleep(2)
            swapped["start"] = time.time()
            swapped["how"] = await asyncio.to_thread(swap, db, n_before)
            swapped["end"] = time.time()
            until["t"] = max(started + seconds, swapped["end"] + seconds / 3)

        await asyncio.gather(do_swap(), *(_session(i, browser, url, until, log, errors, ended) for i in range(sessions)))
        await browser.close()
    return {"log": log, "errors": errors, "swap": swapped}


class _Watch:
    """Samples the app process's peak resident memory (VmHWM) every second."""

    def __init__(self, pid: int):
        self.pid, self.peak_mb, self._stop = pid, 0.0, threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            try:
                status = Path(f"/proc/{self.pid}/status").read_text()
            except OSError:
                return
            m = re.search(r"VmHWM:\s+(\d+) kB", status)
            if m:
                self.peak_mb = max(self.peak_mb, int(m.group(1)) / 1024)

    def stop(self) -> None:
        self._stop.set()


# ---------------------------------------------------------------- 2. threads
def _thread_part(db: Path, sessions: int, seconds: float, n_before: int) -> dict:
    from mekong.store.db import Portfolio
    from mekong.views.filters import Filters
    from tests.test_concurrency import page_run

    shared = Portfolio(db)
    runs, errors, stop = [], [], threading.Event()
    lock = threading.Lock()

    def session(i: int) -> None:
        rng = random.Random(i)
        while not stop.is_set():
            f = Filters(country=rng.choice([(), ("VN",), ("KH", "LA")]), currency=rng.choice(["EUR", "USD"]))
            started = time.time()
            try:
                total = page_run(shared, f)
            except Exception as e:  # noqa: BLE001 - reported as a failed session
                with lock:
                    errors.append(f"session {i}: {type(e).__name__}: {e}")
                return
            with lock:
                runs.append((i, started, time.time() - started, total))

    threads = [threading.Thread(target=session, args=(i,), daemon=True) for i in range(sessions)]
    for th in threads:
        th.start()
    try:
        time.sleep(seconds / 3)
        swap_start = time.time()
        how = swap(db, n_before)
        swap_end = time.time()
        time.sleep(seconds * 2 / 3)
    finally:
        stop.set()
        for th in threads:
            th.join(timeout=120)
    return {"runs": runs, "errors": errors, "swap": {"start": swap_start, "end": swap_end, "how": how}}


def _phases(entries, swap) -> list[list]:
    """Filter-change (or page-run) times before, during and after the swap."""
    rows = []
    for name, keep in (("before the swap", lambda s, e: e < swap["start"]),
                       ("during the swap", lambda s, e: s < swap["end"] and e > swap["start"]),
                       ("after the swap", lambda s, e: s > swap["end"])):
        t = [d for s, d, e in entries if keep(s, e)]
        rows.append([name, len(t), ms(p50(t)) if t else "-", ms(percentile(t, 95)) if t else "-"])
    return rows


def _browser_sessions(title: str, serve, args, work: Path) -> None:
    """Part 1 (and 3): the browser sessions against the app `serve(db)` gives, with the swap."""
    shutil.copyfile(synthetic_db(args.size), work)
    n_before = count_activities(work)
    app_log = ROOT / "bench" / "results" / "concurrency-app.log"
    LOADS.update(loads=0, failed=[], requests_failed=[])
    with serve(work, app_log) as (procs, url):
        watches = [_Watch(proc.pid) for proc in procs]
        b = asyncio.run(_browser_part(url, args.sessions, args.seconds, work, n_before))
        for watch in watches:
            watch.stop()
        stopped = [(i, proc.returncode) for i, proc in enumerate(procs, 1) if proc.poll() is not None]
    n_after = count_activities(work)
    sw = b["swap"]
    late = {}
    for i, started, _d, _end, total in sorted(b["log"], key=lambda r: r[1]):
        if started > sw["end"] and i not in late:
            late[i] = total
    stale = [i for i, total in late.items() if total != n_after]
    print(f"\n## {title}: {args.sessions} browser sessions, {args.size} activities, {args.seconds:.0f} s; "
          f"swap: {sw['how']} in {sw['end'] - sw['start']:.1f} s ({n_before:,} -> {n_after:,} activities)")
    print(f"errors: {len(b['errors'])}" + ("".join(f"\n  {e}" for e in b["errors"][:10])))
    causes = {}
    for _i, _t, cause in LOADS["failed"]:
        causes[cause] = causes.get(cause, 0) + 1
    print(f"page loads: {LOADS['loads']}; failed: {len(LOADS['failed'])}"
          + (f" ({', '.join(f'{c}: {n}' for c, n in sorted(causes.items()))})" if causes else "")
          + f"; failed document or websocket requests: {len(LOADS['requests_failed'])}")
    what = "app process" if len(procs) == 1 else f"{len(procs)} app processes"
    print(f"{what}: " + (f"STOPPED {', '.join(f'#{i} (exit status {rc})' for i, rc in stopped)}" if stopped else "running")
          + f" at the end; peak memory {' + '.join(f'{w.peak_mb:,.0f}' for w in watches)} MB; output: {app_log}"
          + (".N" if len(procs) > 1 else ""))
    print(f"sessions that changed filters after the swap: {len(late)} of {args.sessions}; "
          f"showing the new data on their first change after it: {len(late) - len(stale)}"
          + (f"; STALE: {stale}" if stale else ""))
    print(table(["filter change -> page settled", "changes", "p50", "p95"],
                _phases([(s, d, end) for _i, s, d, end, _t in b["log"]], sw)), flush=True)


@contextlib.contextmanager
def _one_process(db: Path, log: Path):
    with bench_app.app(db, log=log) as (proc, url):
        yield [proc], url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=list(SIZES), default="100k")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=180, help="how long each part runs")
    parser.add_argument("--proxy", type=int, default=0, metavar="N",
                        help="then the same sessions through nginx in front of N app processes (bench/proxy.py)")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    print_machine()
    work = synthetic_db(args.size, args.fresh).with_name(f"concurrency_{args.size}.duckdb")

    # 1. browser sessions against one app process
    _browser_sessions("1. one app process", _one_process, args, work)
    # 2. the same through the README's deployment: nginx and several processes
    if args.proxy:
        from bench.proxy import proxied
        _browser_sessions(f"2. nginx in front of {args.proxy} app processes",
                          lambda db, log: proxied(db, args.proxy, log), args, work)

    # 3. threads with the consistency checks
    shutil.copyfile(synthetic_db(args.size), work)
    n_before = count_activities(work)
    t = _thread_part(work, args.sessions, args.seconds, n_before)
    n_after = count_activities(work)
    sw = t["swap"]
    after = [(i, total) for i, s, _d, total in t["runs"] if s > sw["end"]]
    stale = {i for i, total in after if total != n_after}
    print(f"\n## 3. {args.sessions} sessions as threads (page queries, checked for agreement), swap: {sw['how']} "
          f"in {sw['end'] - sw['start']:.1f} s")
    print(f"page runs: {len(t['runs'])}; errors or disagreeing pages: {len(t['errors'])}"
          + "".join(f"\n  {e}" for e in t["errors"][:10]))
    print(f"sessions with a page run after the swap: {len({i for i, _ in after})} of {args.sessions}; "
          f"runs after the swap that saw the old data: {sum(1 for _, total in after if total != n_after)}"
          + (f" (sessions {sorted(stale)})" if stale else ""))
    print(table(["page run (7 queries)", "runs", "p50", "p95"],
                _phases([(s, d, s + d) for _i, s, d, _t in t["runs"]], sw)))
    work.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
