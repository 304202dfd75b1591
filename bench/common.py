"""What the benchmark scripts share: the synthetic databases, the filter changes a user
makes, the machine they ran on, percentiles and tables.

The databases are made by `python -m mekong synth` into bench/results/db/ (git-ignored)
once and reused; --fresh makes them again.
"""
import contextlib
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from mekong.views.filters import Filters  # noqa: E402

RESULTS = ROOT / "bench" / "results"
DB_DIR = RESULTS / "db"
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "300k": 300_000}
TODAY = dt.date(2026, 6, 30)  # the synthetic portfolio's "today"


def synthetic_db(size: str, fresh: bool = False) -> Path:
    """The synthetic portfolio of SIZES[size] activities (made once, then reused while
    this code would make the same database)."""
    path = DB_DIR / f"synth_{size}.duckdb"
    if not fresh and path.exists():
        from mekong.store import freshness

        fresh = freshness.verdict(path) != "fresh"  # made by older code: the app would re-derive it first
    if fresh or not path.exists():
        DB_DIR.mkdir(parents=True, exist_ok=True)
        from mekong.store.synth import generate

        started = time.perf_counter()
        counts = generate(path, SIZES[size])
        print(f"# generated {path.name}: {counts['project']:,} activities, {counts['budget']:,} budget rows, "
              f"{counts['transaction']:,} transactions in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def options(db: Path) -> dict[str, list[str]]:
    """The values of each filter, most used first."""
    from mekong.store.db import connect
    from mekong.store.sqlfiles import query

    con = connect(db)
    try:
        sql, names = query("filter_options")
        rows = con.execute(sql, {"lang": "en", "today": TODAY, "vn": "2025"}).fetchall()
    finally:
        con.close()
    out: dict[str, list[tuple[int, str]]] = {}
    for dim, value, _label, n, *_ in rows:
        out.setdefault(dim, []).append((-n, value))
    return {d: [v for _, v in sorted(vs)] for d, vs in out.items()}


def filter_changes(db: Path) -> list[tuple[str, Filters]]:
    """The filter changes a user makes in a meeting: one donor (large, middle, small), a
    sector area, a sector, a country, a province, a span of years, the other currency,
    a status, and combinations. The first one is "no filter"."""
    o = options(db)
    donors, cats, secs, provs = o["donor"], o["category"], o["sector"], o["province"]
    mid = len(donors) // 2
    return [
        ("no filter", Filters()),
        ("largest donor", Filters(donor=(donors[0],))),
        ("middle donor", Filters(donor=(donors[mid],))),
        ("small donor", Filters(donor=(donors[-1],))),
        ("two donors", Filters(donor=(donors[1], donors[2]))),
        ("sector area", Filters(category=(cats[0],))),
        ("sector", Filters(sector=(secs[3],))),
        ("country", Filters(country=("VN",))),
        ("two countries", Filters(country=("KH", "LA"))),
        ("province", Filters(province=(provs[0],))),
        ("years", Filters(year_from=2015, year_to=2020)),
        ("currency USD", Filters(currency="USD")),
        ("status", Filters(status=("2",))),
        ("donor+country+years", Filters(donor=(donors[0],), country=("KH",), year_from=2010, year_to=2022)),
        ("sector area+province", Filters(category=(cats[1],), province=(provs[1],))),
        ("country+years+USD", Filters(country=("LA",), year_from=2018, year_to=2024, currency="USD")),
    ]


@contextlib.contextmanager
def busy(n: int):
    """n other processes that keep a core busy each (a machine shared with other work),
    stopped at the end."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]
    try:
        yield
    finally:
        for p in procs:
            p.kill()
            p.wait()


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank, as a user would feel it: p95 of 20 runs is the 19th)."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def p50(values):
    return statistics.median(values)


def machine() -> dict[str, str]:
    import psutil

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import pandas
    import streamlit

    return {"cpu": cpu, "cores": str(os.cpu_count()), "ram": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
            "os": platform.platform(), "python": platform.python_version(), "duckdb": duckdb.__version__,
            "pandas": pandas.__version__, "streamlit": streamlit.__version__,
            "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                     text=True).stdout.strip()}


def print_machine() -> None:
    m = machine()
    print(f"# machine: {m['cpu']}, {m['cores']} cores, {m['ram']}; {m['os']}")
    print(f"# python {m['python']}, duckdb {m['duckdb']}, pandas {m['pandas']}, streamlit {m['streamlit']}; "
          f"commit {m['commit']}", flush=True)


def table(headers: list[str], rows: list[list]) -> str:
    """A Markdown table (readable as plain text too)."""
    cells = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = lambda vals: "| " + " | ".join(v.ljust(w) for v, w in zip(vals, widths)) + " |"  # noqa: E731
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, cells)])


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def sizes_arg(parser, default=("1k", "10k", "100k")) -> None:
    parser.add_argument("--sizes", nargs="+", choices=list(SIZES), default=list(default),
                        help="portfolio sizes (activities): 1k, 10k, 100k, 300k")
    parser.add_argument("--fresh", action="store_true", help="generate the synthetic databases again")
