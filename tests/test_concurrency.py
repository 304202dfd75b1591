"""Sessions changing filters while the database file is replaced (a smaller version of
bench/concurrency.py, which runs 20 real app sessions in Chromium).

Five sessions run pages' queries in a loop, each page run on the version of the file it
started on (as mekong/app/ui.py pins it): three share one Portfolio as the sessions of one
app process do, two have their own as separate processes would. Meanwhile an import of
IATI files replaces the file (one transaction on a copy, then an atomic rename).
No session may see an error, a page run whose charts disagree with one another (half old,
half new), or the old data in a run that started after the swap.
"""
import math
import random
import threading
import time
from pathlib import Path

import pytest

from mekong.importers import import_files
from mekong.store.db import Portfolio
from mekong.store.synth import generate
from mekong.views import breakdowns
from mekong.views.filters import Filters

FIXTURES = Path(__file__).parent / "fixtures" / "iati"

SESSIONS = 5
TODAY = "2026-06-30"


def params(f: Filters, **extra) -> dict:
    return {**f.params(), "lang": "en", "today": TODAY, "q": "", "limit": 100, "flow": "budget", **extra}


def same(a, b) -> bool:
    a, b = (0.0 if x is None or x != x else float(x) for x in (a, b))
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def page_run(db: Portfolio, f: Filters) -> int:
    """One page run on one version of the file: its queries must agree with one another.
    Returns the number of activities of that version."""
    stamp = db.stamp()
    total = db.frame("filtered_count", params(Filters()), stamp).iloc[0]["n_projects"]
    n = db.frame("filtered_count", params(f), stamp).iloc[0]["n_projects"]
    head = db.frame("overview_headline", params(f), stamp).iloc[0]
    years = db.frame("funding_by_year", params(f), stamp)
    donors = breakdowns.part(db.frame("funding_breakdowns", {**params(f), "parts": ["donor", "sector"], **breakdowns.LIMITS}, stamp), "donor")
    db.frame("money_gaps", params(f), stamp)
    assert head["n_projects"] == n, f"headline {head['n_projects']} activities, filtered_count {n}"
    assert same(years["value"].sum(), head["total"]), "money per year does not add up to the headline"
    assert same(donors["value"].sum(), head["total"]), "money by donor does not add up to the headline"
    assert db.frame("filtered_count", params(Filters()), stamp).iloc[0]["n_projects"] == total
    return int(total)


@pytest.fixture()
def synth(tmp_path):
    path = tmp_path / "portfolio.duckdb"
    generate(path, 200, seed=1)
    return path


def test_sessions_see_no_error_no_half_state_and_the_new_data(synth):
    shared = Portfolio(synth)
    portfolios = [shared] * 3 + [Portfolio(synth) for _ in range(SESSIONS - 3)]
    countries = [("VN",), ("KH", "LA"), ("TH",), ()]
    stop = threading.Event()
    swapped_at: list[float] = []
    runs: list[tuple[int, float, int]] = []  # session, start time, activities seen
    errors: list[str] = []
    lock = threading.Lock()

    def session(i: int) -> None:
        rng = random.Random(i)
        db = portfolios[i]
        while not stop.is_set():
            f = Filters(country=rng.choice(countries), year_from=rng.choice([None, 2010]),
                        year_to=None, currency=rng.choice(["EUR", "USD"]))
            if f.year_from is not None:
                f = Filters(country=f.country, year_from=2010, year_to=2025, currency=f.currency)
            started = time.monotonic()
            try:
                total = page_run(db, f)
            except Exception as e:  # noqa: BLE001 - every error is a failure, reported below
                with lock:
                    errors.append(f"session {i}: {type(e).__name__}: {e}")
                return
            with lock:
                runs.append((i, started, total))

    threads = [threading.Thread(target=session, args=(i,), daemon=True) for i in range(SESSIONS)]
    for th in threads:
        th.start()
    try:
        time.sleep(1.0)
        report = import_files([FIXTURES / "percentages.xml", FIXTURES / "legacy_103.xml"], synth)
        swapped_at.append(time.monotonic())
        assert report.applied and report.activities == 3, report.reason
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not errors:
            with lock:
                done = [sum(1 for i, s, _ in runs if i == k and s > swapped_at[0]) for k in range(SESSIONS)]
            if min(done) >= 2:
                break
            time.sleep(0.2)
    finally:
        stop.set()
        for th in threads:
            th.join(timeout=60)

    assert not errors, errors
    before = [total for _, started, total in runs if started < swapped_at[0]]
    after = [(i, total) for i, started, total in runs if started > swapped_at[0]]
    assert before and set(before) <= {200, 203}, set(before)
    assert {i for i, _ in after} == set(range(SESSIONS)), "a session did not run after the swap"
    assert all(total == 203 for _, total in after), "a run that started after the swap saw the old file"
