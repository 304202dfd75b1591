"""Charts drawn as pictures (slides, the PDF brief, a chart's PNG) with Debian's Chromium:
the page it draws in asks nothing of the internet, a render that hangs ends at its
deadline with RenderError and the next one starts a new browser, and the files still go
out, with the chart's place saying why it is empty."""
import asyncio
import io
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import plotly.graph_objects as go
import pytest
from PIL import Image

from mekong.exports import chart_renderer, files


@pytest.fixture(scope="module")
def chromium():
    if not shutil.which("chromium"):
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but Debian's chromium is missing")
        pytest.skip("chromium is not installed (apt-get install chromium)")


def bar() -> go.Figure:
    return go.Figure(go.Bar(x=["A", "B"], y=[1, 2]))


def test_a_chart_is_drawn_from_local_scripts_only(chromium):
    png = files.chart_png(bar(), width=400, height=300, scale=1)
    assert Image.open(io.BytesIO(png)).size == (400, 300)
    page = Path(urlparse(chart_renderer._browser._index).path).read_text()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts and all(src.startswith("file://") for src in scripts), scripts  # no MathJax from a CDN
    # Chromium's only proxy is a closed local port: a request that got past the page fails at once
    cmdlines = subprocess.run(["ps", "-ww", "-eo", "args"], capture_output=True, text=True).stdout
    assert f"--proxy-server={chart_renderer.NO_PROXY}" in cmdlines


def test_a_render_that_hangs_ends_at_its_deadline_and_the_next_starts_afresh(chromium, monkeypatch):
    files.chart_png(bar(), width=200, height=150, scale=1)
    hung = chart_renderer._browser

    async def never(*args, **kwargs):
        await asyncio.sleep(3600)

    monkeypatch.setattr(hung, "calc_fig", never)
    monkeypatch.setattr(chart_renderer, "RENDER_S", 0.5)
    monkeypatch.setattr(chart_renderer, "START_S", 60)
    with pytest.raises(chart_renderer.RenderError, match="TimeoutError"):
        files.chart_png(bar(), width=200, height=150, scale=1)
    assert chart_renderer._browser is None  # the stuck browser is closed
    monkeypatch.setattr(chart_renderer, "RENDER_S", 60)
    png = files.chart_png(bar(), width=200, height=150, scale=1)
    assert png.startswith(b"\x89PNG") and chart_renderer._browser is not hung


def broken(*args, **kwargs):
    raise chart_renderer.RenderError("the chart could not be drawn as a picture (test)")


def test_a_picture_without_its_chart_still_carries_its_context(monkeypatch):
    monkeypatch.setattr(chart_renderer, "png", broken)
    png = files.picture(bar(), "Budgets by province", ["Counts budgets."], ["Donor: A"], width=600, scale=1,
                        unavailable="This chart could not be drawn as a picture just now.")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.width == 600
    grey = (0xF3, 0xF3, 0xF3)
    assert image.getpixel((60, 200)) == grey or image.getpixel((300, 300)) == grey  # the empty chart's place


def test_slides_and_brief_go_out_when_no_chart_can_be_drawn(monkeypatch, tmp_path):
    from pptx import Presentation

    from mekong.exports import brief, slides
    from mekong.exports.view import view_from_query
    from mekong.store.db import Portfolio
    from tests.fixture_db import build_fixture

    monkeypatch.setattr(chart_renderer, "png", broken)
    portfolio = Portfolio(build_fixture(tmp_path / "fixture.duckdb"))
    view = view_from_query(portfolio, "lang=fr", pages=("map",))
    deck = Presentation(io.BytesIO(slides.write_deck(portfolio, view)))
    picture = next(s for s in deck.slides[1].shapes if s.shape_type == 13)  # MSO_SHAPE_TYPE.PICTURE
    assert picture.name == "Budgets par province"
    pdf = brief.write_brief(portfolio, view)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert "n'a pas pu être dessiné en image" in " ".join(text.split())
