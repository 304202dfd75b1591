"""The Data page in Chromium: a person uploads IATI files, imports them, reads the report,
and the other pages show the new activities; a hostile file is refused on screen."""
import shutil

import pytest

from tests.browser.conftest import screenshot, start_app, wait_idle
from tests.test_data_page import FIXTURES, XXE


@pytest.fixture()
def private_app(seed_db, tmp_path, app_url):  # app_url: skips or fails when Chromium is missing
    db = tmp_path / "mekong.duckdb"
    shutil.copyfile(seed_db, db)
    proc, url = start_app(db)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def upload(page, *paths) -> None:
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files([str(p) for p in paths])
    page.get_by_role("button", name="Import").wait_for()
    page.wait_for_function("() => [...document.querySelectorAll('button')].some("
                           "b => b.innerText.trim().endsWith('Import') && !b.disabled)")
    page.get_by_role("button", name="Import").click()
    wait_idle(page)


def test_upload_imports_and_the_views_show_it(page, private_app, tmp_path):
    page.set_viewport_size({"width": 1400, "height": 2400})
    page.goto(f"{private_app}/data?lang=en")
    wait_idle(page)
    upload(page, FIXTURES / "iati" / "percentages.xml", FIXTURES / "iati" / "deviations.xml")
    success = page.locator("[data-testid='stAlertContentSuccess']")
    assert success.count() == 1 and "Imported" in success.inner_text() and "percentages.xml" in success.inner_text()
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "data-imported")
    # the imported activities are searchable on the projects page
    page.goto(f"{private_app}/projects?lang=en&q=XX-PCT")
    wait_idle(page)
    assert "2 activities" in page.locator("[data-testid='stCaptionContainer']").first.inner_text()


def test_hostile_file_is_refused_on_screen(page, private_app, tmp_path):
    evil = tmp_path / "evil.xml"
    evil.write_bytes(XXE)
    page.goto(f"{private_app}/data?lang=en")
    wait_idle(page)
    upload(page, evil)
    error = page.locator("[data-testid='stAlertContentError']")
    assert error.count() == 1
    assert "Nothing was imported" in error.inner_text() and "evil.xml, line 2" in error.inner_text()
    screenshot(page, "data-refused")
