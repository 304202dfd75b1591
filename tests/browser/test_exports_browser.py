"""The files a person downloads from a filtered French page, in Debian's Chromium, match
the view on screen: the slides (language, filters, only this page, the charts' data),
the PDF brief, a chart's PNG (its title and stamp drawn in), and the CSV and Excel files
(the current filters in their header lines). A chart note written on the page goes into
the link, the slides and the brief."""
import io
import shutil
import subprocess

import openpyxl
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from tests.browser.conftest import ARTIFACTS, screenshot, wait_idle

FILTERED = "lang=fr&donor=lu-government"
FILTER_LINE = "Bailleur\u202f: Gouvernement luxembourgeois · EUR"


def _shapes(shapes):
    for s in shapes:
        if s.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _shapes(s.shapes)
        else:
            yield s


def slide_text(slide) -> str:
    out = []
    for s in _shapes(slide.shapes):
        if s.has_text_frame:
            out.append(s.text_frame.text)
        elif s.shape_type == MSO_SHAPE_TYPE.PICTURE:
            out.append(s._element.nvPicPr.cNvPr.get("descr", ""))
    return "\n".join(out)


def download(page, trigger, timeout: int = 180_000) -> bytes:
    with page.expect_download(timeout=timeout) as info:
        trigger()
    d = info.value
    return d.suggested_filename, open(d.path(), "rb").read()


@pytest.fixture()
def french_page(browser, app_url):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def test_the_slides_are_the_filtered_french_funding_page(french_page, app_url):
    page = french_page
    page.goto(f"{app_url}/funding?{FILTERED}")
    wait_idle(page)
    assert page.locator("[data-testid='stMain']").get_by_text(FILTER_LINE).is_visible()  # the line under the title
    name, data = download(page, lambda: page.get_by_role("button", name="Diapositives (PowerPoint)").click())
    assert name == "mekong_funding_donor-lu-government_EUR_fr.pptx"
    deck = Presentation(io.BytesIO(data))
    assert [s.name for s in deck.slides] == [
        "Tableau de bord de la coopération au Mékong", "Budgets par bailleur", "Budgets par secteur",
        "Budgets par pays ou région", "Budgets par province", "Budgets par année",
        "Budgets\u202f: les bailleurs et les secteurs qu'ils financent",
        "Budgets\u202f: du bailleur à l'organisation de mise en œuvre et au pays", "Sources et méthode"]
    assert "Financements" in slide_text(deck.slides[0]) and FILTER_LINE in slide_text(deck.slides[0])
    for slide in list(deck.slides)[1:]:
        assert FILTER_LINE in slide_text(slide), slide.name
    donors = next(s.chart for s in _shapes(deck.slides[1].shapes) if getattr(s, "has_chart", False))
    assert dict(zip(donors.plots[0].categories, donors.series[0].values)) == {"Gouvernement luxembourgeois": 7_600_000}
    countries = next(s.chart for s in _shapes(deck.slides[3].shapes) if getattr(s, "has_chart", False))
    assert list(countries.plots[0].categories) == ["Laos"]


def test_the_slides_of_the_map_page_hold_the_map(french_page, app_url):
    page = french_page
    page.goto(f"{app_url}/map?{FILTERED}")
    wait_idle(page)
    name, data = download(page, lambda: page.get_by_role("button", name="Diapositives (PowerPoint)").click())
    deck = Presentation(io.BytesIO(data))
    assert [s.name for s in deck.slides] == ["Tableau de bord de la coopération au Mékong", "Budgets par province",
                                             "Sources et méthode"]
    assert "Carte" in slide_text(deck.slides[0])


def open_one_bar_charts(page) -> None:
    """One donor chosen: the one-bar charts are folded under a line that names them."""
    page.get_by_text("graphiques à une barre").click()
    page.wait_for_timeout(500)


def test_a_note_goes_into_the_link_the_slides_and_the_brief(french_page, app_url):
    page = french_page
    page.goto(f"{app_url}/funding?{FILTERED}")
    wait_idle(page)
    open_one_bar_charts(page)
    page.get_by_role("button", name="Note", exact=True).first.click()
    field = page.get_by_role("textbox", name="Note sur ce graphique")
    field.fill("2021 incomplet : données jusqu'en juin <b>!</b>")
    field.press("Enter")
    wait_idle(page)
    page.keyboard.press("Escape")
    wait_idle(page)
    shown = page.locator(".st-key-note-by-donor")
    assert shown.inner_text() == "Note\u202f: 2021 incomplet : données jusqu'en juin <b>!</b>"
    assert "note-by-donor=2021" in page.url
    screenshot(page, "note-under-chart")
    _, data = download(page, lambda: page.get_by_role("button", name="Diapositives (PowerPoint)").click())
    deck = Presentation(io.BytesIO(data))
    assert "Note\u202f: 2021 incomplet : données jusqu'en juin <b>!</b>" in slide_text(deck.slides[1])
    if shutil.which("pdftotext"):
        name, pdf = download(page, lambda: page.get_by_role("button", name="Note de synthèse (PDF)").click())
        assert name == "mekong_funding_donor-lu-government_EUR_fr.pdf"
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        text = " ".join(text.split())  # pdftotext writes the narrow no-break space as a space
        assert "Note : 2021 incomplet : données jusqu'en juin <b>!</b>" in text
        assert FILTER_LINE.replace("\u202f", " ") in text and "Budgets par bailleur" in text and "AIMF" not in text


def _from_menu(page, chart_title: str, label: str):
    """Download `label` from the Download menu of the chart titled `chart_title`."""
    button = page.get_by_role("button", name=label)
    if not button.is_visible():  # the menu is closed
        block = page.locator("[data-testid='stVerticalBlock']", has=page.get_by_role("heading", name=chart_title)).last
        block.get_by_role("button", name="Télécharger", exact=True).first.click()
        button.wait_for(state="visible")
    return download(page, button.click)


def test_png_csv_and_excel_carry_the_view(french_page, app_url):
    page = french_page
    page.goto(f"{app_url}/funding?{FILTERED}")
    wait_idle(page)
    open_one_bar_charts(page)
    name, data = _from_menu(page, "Budgets par bailleur", "Tableau (CSV)")
    assert name == "mekong_by-donor_donor-lu-government_EUR_fr.csv"
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Budgets par bailleur" and lines[1] == FILTER_LINE
    assert lines[2] == "Date des données\u202f: non indiquée par les sources" and lines[3].startswith('"Sources\u202f:')
    assert lines[5] == "Nom,EUR,Activités" and lines[6] == "Gouvernement luxembourgeois,7600000.0,1" and len(lines) == 7

    name, data = _from_menu(page, "Budgets par bailleur", "Tableau (Excel)")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["data"]
    assert sheet["A1"].value == "Budgets par bailleur" and sheet["A2"].value == FILTER_LINE
    assert [c.value for c in sheet[6]][:3] == ["Nom", "EUR", "Activités"]

    name, data = _from_menu(page, "Budgets par bailleur", "Graphique (PNG)")
    assert name == "mekong_by-donor_donor-lu-government_EUR_fr.png"
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert image.width == 2400 and image.height > 1200
    # the title in the accent colour across the top, the grey stamp lines at the bottom
    top = image.crop((0, 0, image.width, 110)).getcolors(2**24)
    bottom = image.crop((0, image.height - 160, image.width, image.height)).getcolors(2**24)
    assert sum(n for n, c in top if c == (0x1F, 0x6F, 0x8B)) > 500
    assert sum(n for n, c in bottom if c == (0x55, 0x55, 0x55)) > 500
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / "download-by-donor-fr.png")
