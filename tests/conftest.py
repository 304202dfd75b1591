"""Shared test fixtures: the seed database, the shared documents, AppTest set-up."""
import os
import shutil
from pathlib import Path

import pytest

from mekong.paths import SHARED_DIR

ROOT = Path(__file__).resolve().parents[1]


def _need_shared() -> Path:
    """../shared holds the seed documents and real IATI files. A user's clone has no
    ../shared: tests that need it skip there, but fail under CI (CI=true)."""
    if SHARED_DIR.is_dir():
        return SHARED_DIR
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {SHARED_DIR} is missing: the shared seed documents and IATI test files must sit beside the repository")
    pytest.skip(f"{SHARED_DIR} is not here (it holds the seed documents and IATI test files; set MEKONG_SHARED to point at it)")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return _need_shared()


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory) -> Path:
    """The default portfolio, built once per test session."""
    from mekong.store.build import build

    return build(tmp_path_factory.mktemp("seed") / "mekong.duckdb")


@pytest.fixture()
def seed_db_copy(seed_db, tmp_path) -> Path:
    """A private copy a test may change."""
    path = tmp_path / "mekong.duckdb"
    shutil.copyfile(seed_db, path)
    return path


@pytest.fixture()
def app_env(seed_db, monkeypatch):
    """Point the app at the seed database and work around AppTest's multipage quirk:
    AppTest resets PagesManager.uses_pages_directory on every run, so whatever the entry
    point draws vanishes after a rerun when a pages/ folder exists."""
    from streamlit.runtime.pages_manager import PagesManager

    monkeypatch.setenv("MEKONG_DB", str(seed_db))
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    monkeypatch.chdir(ROOT)
    return seed_db


@pytest.fixture()
def app(app_env):
    """A function that runs the dashboard in AppTest on a page with URL parameters."""
    from streamlit.testing.v1 import AppTest

    def run(page: str | None = None, timeout: float = 60, **params) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        if page:
            at.switch_page(f"pages/{page}.py").run()
        return at

    return run


@pytest.fixture(scope="session")
def dportal_activities(shared_dir):
    """{country: [(identifier, XML)]} of the real IATI test files, as the Q API stand-in serves them."""
    from tests.dportal_server import activities_by_country

    return activities_by_country(shared_dir)


@pytest.fixture()
def qapi(dportal_activities, monkeypatch):
    """A local Q API on 127.0.0.1 (tests/dportal_server.py); MEKONG_DPORTAL_URL points at it."""
    from tests.dportal_server import QApi

    api = QApi(dportal_activities).start()
    monkeypatch.setenv("MEKONG_DPORTAL_URL", api.url)
    yield api
    api.stop()
