"""The Data page in Chromium loads a country from a local Q API (tests/dportal_server.py,
pages cut from the real IATI files): a person chooses Laos, presses "Load from IATI",
reads the report, and the other pages show its activities; a slow load is cancelled and
changes nothing."""
import hashlib
import shutil

import duckdb
import pytest

from mekong.importers import dportal
from tests.browser.conftest import screenshot, start_app, wait_idle


@pytest.fixture()
def fetch_app(seed_db, tmp_path, app_url, qapi):  # app_url: skips or fails when Chromium is missing
    db = tmp_path / "mekong.duckdb"
    shutil.copyfile(seed_db, db)
    proc, url = start_app(db, extra_env={"MEKONG_DPORTAL_URL": qapi.url})
    yield url, db
    proc.terminate()
    proc.wait(timeout=10)


def choose(page, *labels) -> None:
    box = page.locator("[data-testid='stMultiSelect']", has_text="Countries")
    for label in labels:
        box.locator("input").click()
        page.keyboard.type(label)
        page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_function("() => [...document.querySelectorAll('button')].some("
                           "b => b.innerText.trim().endsWith('Load from IATI') && !b.disabled)")


def test_load_a_country_and_see_it_on_the_other_pages(page, fetch_app, qapi):
    url, db = fetch_app
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.goto(f"{url}/data?lang=en")
    wait_idle(page)
    choose(page, "Laos")
    page.get_by_role("button", name="Load from IATI").click()
    wait_idle(page, timeout=120_000)
    assert page.locator("[data-testid='stException']").count() == 0
    success = page.locator("[data-testid='stAlertContentSuccess']")
    # the import report (right under the upload) and the panel's own line
    assert "Loaded 44 activities from IATI: Laos (LA)." in success.filter(has_text="Loaded").first.inner_text()
    assert page.get_by_role("button", name="Refresh").count() == 1
    assert any("IATI data fetched" in c for c in page.locator("[data-testid='stCaptionContainer']").all_inner_texts())
    screenshot(page, "fetch-loaded")
    assert qapi.offsets("LA") == [0, 100]
    # an activity only the fetch brought is found on the projects page ...
    page.goto(f"{url}/projects?lang=en&q=FIND2021")
    wait_idle(page)
    assert "1 activity." in page.locator("[data-testid='stCaptionContainer']").first.inner_text()
    # ... and the projects of Laos are the curated ones plus the 44 fetched
    with duckdb.connect(str(db), read_only=True) as con:
        seed_la = con.execute("SELECT count(DISTINCT project_id) FROM project_country JOIN project USING (project_id) "
                              "WHERE country = 'LA' AND document_id NOT LIKE 'dportal:%'").fetchone()[0]
    page.goto(f"{url}/projects?lang=en&country=LA")
    wait_idle(page)
    assert f"{seed_la + 44} activities" in page.locator("[data-testid='stCaptionContainer']").first.inner_text()


def test_a_slow_load_is_cancelled_and_changes_nothing(page, fetch_app, qapi):
    url, db = fetch_app
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    qapi.delay = 1.5  # each page takes a while: time to press Cancel
    page.goto(f"{url}/data?lang=en")
    wait_idle(page)
    choose(page, "Myanmar")
    page.get_by_role("button", name="Load from IATI").click()
    page.get_by_text("Myanmar (MM): pages 1 ·").wait_for(timeout=30_000)  # the first page is in
    screenshot(page, "fetch-running")
    page.get_by_role("button", name="Cancel").click()
    wait_idle(page)
    warning = page.locator("[data-testid='stAlertContentWarning']")
    assert "Cancelled: nothing was changed" in warning.first.inner_text()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest
    assert len(list((dportal.cache_dir(db) / "MM").glob("page-*.xml"))) >= 1  # kept for the next load
    screenshot(page, "fetch-cancelled")
