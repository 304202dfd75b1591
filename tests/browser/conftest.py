"""Browser tests: the real app in Debian's Chromium, driven by Playwright.

The app runs on a free local port against the seed database. Chromium is the system
one (/usr/bin/chromium, installed by .ci/run); no browser is ever downloaded.
Screenshots go to test-artifacts/ for a person to look at.
"""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
DRAWN = """() => !document.querySelector("[data-testid='stSkeleton']")
    && [...document.querySelectorAll("[data-testid='stPlotlyChart']")].every(c => c.querySelector('.main-svg'))
    && [...document.querySelectorAll("[data-testid='stDeckGlJsonChart']")].every(c => c.querySelector('canvas'))"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(db: Path, port: int | None = None, extra_env: dict | None = None, log: Path | None = None):
    """Start `streamlit run dashboard.py` on the database; returns (process, base URL).
    `log`: a file for the app's output (else it is dropped)."""
    port = port or _free_port()
    env = {**os.environ, "MEKONG_DB": str(db), **(extra_env or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=(out := open(log, "w") if log else subprocess.DEVNULL),
        stderr=subprocess.STDOUT if log else subprocess.DEVNULL)
    if log:
        out.close()  # the child holds its own copy
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).status == 200:
                return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the dashboard did not start")


@pytest.fixture(scope="session")
def app_url(seed_db):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)") if os.environ.get("CI") != "true" \
            else pytest.fail(f"CI=true but {CHROMIUM} is missing")
    proc, url = start_app(seed_db)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    pg = context.new_page()
    yield pg
    context.close()


def wait_idle(page, timeout: int = 60_000) -> None:
    """Wait until the script has finished running and the page has settled: the app is
    idle and the number of elements on it stays the same for half a second (on a first
    load the app reports idle once before its first run starts)."""
    page.wait_for_timeout(300)
    elements = "[data-testid='stElementContainer']"
    last = -1
    for _ in range(timeout // 500):
        page.wait_for_selector(IDLE, timeout=timeout)
        count = page.locator(elements).count()
        if count == last and count > 0:
            break
        last = count
        page.wait_for_timeout(500)
    # charts, maps and Markdown are drawn by code the browser loads on first use: until it
    # has, Streamlit shows a skeleton in their place, though the run is over
    page.wait_for_function(DRAWN, timeout=timeout)
    page.wait_for_timeout(300)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
