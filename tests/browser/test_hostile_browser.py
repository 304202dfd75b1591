"""Nothing from a link or an imported file is rendered as Markdown or HTML: every page is
opened with Markdown, HTML and link values in every URL parameter, on a database holding
an imported activity whose every text field is such a value. No request may leave
127.0.0.1, and no value may become a link, an image, an icon or a formula; the values are
still shown, as text. Then the CSV and Excel downloads of a chart are checked cell by cell
for the formula strings of the import."""
import csv
import io
import re
import shutil
from urllib.parse import urlencode, urlparse

import pytest

from mekong.importers import import_files
from mekong.importers.template import csv_bytes
from tests.browser.conftest import screenshot, start_app, wait_idle

EVIL = "evil.example"
HOSTILE = (f"![x](http://{EVIL}/i.png) [log in again](http://{EVIL}/login) <img src='http://{EVIL}/h.png'> "
           f"<a href='http://{EVIL}/a'>a</a> :material/skull: :red[alarm] $x^2$ www.{EVIL} http://{EVIL}/auto "
           "<b>bold</b> **strong**")
FORMULA = '=HYPERLINK("http://evil.example/f","f")'
PARAMS = ["donor", "implementer", "category", "sector", "country", "province", "status", "years", "ccy", "count",
          "flow", "lang", "q", "present", "slide", "place", "basemap", "metric", "layer", "note-by-donor", "note-x"]
PAGES = ["overview", "funding", "timeline", "map", "projects", "data", "about"]
PID = "XX-HOSTILE-1"


def _activities_csv() -> bytes:
    header = csv_bytes("activities").decode("utf-8-sig").strip().split(",")
    rows = []
    for pid, text, donor in ((PID, HOSTILE, HOSTILE), ("XX-FORMULA-2", FORMULA, FORMULA)):
        row = {c: text for c in header}
        row.update(activity_id=pid, status="2", planned_start="2021-01-01", actual_start="", planned_end="2023-12-31",
                   actual_end="", countries="LA", regions="", sectors="14030", currency="EUR", budget_amount="250000",
                   funding_orgs=donor, reporting_org=donor, implementing_orgs=donor, extending_orgs="",
                   accountable_orgs="")
        rows.append(row)
    buf = io.StringIO()
    w = csv.DictWriter(buf, header, lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode()


def _locations_csv() -> bytes:
    header = csv_bytes("locations").decode("utf-8-sig").strip().split(",")
    buf = io.StringIO()
    w = csv.DictWriter(buf, header, lineterminator="\r\n")
    w.writeheader()
    w.writerow({"activity_id": PID, "location_name": HOSTILE, "location_kind": "point", "province": "Vientiane Capital",
                "country": "LA", "lat": "17.97", "lon": "102.6", "note": HOSTILE})
    return buf.getvalue().encode()


@pytest.fixture(scope="module")
def hostile_url(seed_db, tmp_path_factory, browser):
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "mekong.duckdb"
    shutil.copyfile(seed_db, db)
    (folder / "activities.csv").write_bytes(_activities_csv())
    (folder / "locations.csv").write_bytes(_locations_csv())
    report = import_files([folder / "activities.csv", folder / "locations.csv"], db)
    assert report.applied, report.reason
    proc, url = start_app(db)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture()
def guarded(browser):
    """A page whose every request is recorded; any leaving 127.0.0.1 is aborted."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB", accept_downloads=True)
    outside: list[str] = []

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    pg = context.new_page()
    pg.outside = outside
    yield pg
    context.close()


LINKS_JS = """() => [...document.querySelectorAll('a, img, image, iframe, source, video, audio')]
    .map(e => [e.tagName, e.getAttribute('href') || e.getAttribute('xlink:href') || e.getAttribute('src') || '',
               (e.closest('[data-testid]') || e).getAttribute('data-testid')])
    .filter(v => v[1].includes('evil') && !v[1].startsWith('#'))"""


def _check(page, name: str) -> None:
    assert not page.outside, f"{name}: requests left 127.0.0.1: {page.outside}"
    assert page.evaluate(LINKS_JS) == [], name
    assert page.locator("[data-testid='stIconMaterial']", has_text="skull").count() == 0, name
    assert page.locator(".katex").count() == 0, name
    assert page.locator("b:text-is('bold'), strong:text-is('strong'), strong:text-is('bold')").count() == 0, name
    assert page.locator("[data-testid='stException']").count() == 0, name


@pytest.mark.parametrize("name", PAGES)
def test_hostile_values_stay_text_on_every_page(hostile_url, guarded, name):
    query = urlencode([(p, HOSTILE) for p in PARAMS])
    guarded.goto(f"{hostile_url}/{name}?{query}")
    wait_idle(guarded)
    screenshot(guarded, f"hostile-{name}")
    _check(guarded, name)
    # the link's values are said as text (the filter warning), not dropped in silence
    if name != "about":
        assert guarded.get_by_text("log in again", exact=False).count() > 0, name


def test_the_hostile_project_page(hostile_url, guarded):
    guarded.goto(f"{hostile_url}/projects?project={PID}&lang=en")
    wait_idle(guarded)
    screenshot(guarded, "hostile-project")
    _check(guarded, "project")
    assert guarded.get_by_text("log in again", exact=False).count() > 0
    # the chart's hover texts and labels are text too: hover every bar of the page
    for bar in guarded.locator(".js-plotly-plot .bars path").all()[:6]:
        bar.hover(force=True)
        guarded.wait_for_timeout(150)
        _check(guarded, "project hover")


def test_hostile_map_tooltip(hostile_url, guarded):
    guarded.goto(f"{hostile_url}/map?country=LA&lang=en")
    wait_idle(guarded)
    canvas = guarded.locator("canvas").first
    box = canvas.bounding_box()
    for x in range(0, int(box["width"]), 40):  # sweep the map so that tooltips open
        for y in range(0, int(box["height"]), 40):
            guarded.mouse.move(box["x"] + x, box["y"] + y)
    _check(guarded, "map tooltip")


def test_downloads_from_the_browser_hold_no_formula(hostile_url, guarded, tmp_path):
    from openpyxl import load_workbook

    guarded.goto(f"{hostile_url}/funding?country=LA&lang=en")
    wait_idle(guarded)
    got = {}
    for kind, label in (("csv", "Table (CSV)"), ("xlsx", "Table (Excel)")):
        button = guarded.get_by_role("button", name=label).first
        if not button.is_visible():  # open the first chart's Download menu (budgets by donor)
            heading = guarded.get_by_role("heading", name=re.compile("by donor"))
            block = guarded.locator("[data-testid='stVerticalBlock']", has=heading).last
            block.get_by_role("button", name="Download", exact=True).first.click()
            button.wait_for(state="visible")
        with guarded.expect_download(timeout=60_000) as d:
            button.click()
        path = tmp_path / f"table.{kind}"
        d.value.save_as(path)
        got[kind] = path
    rows = list(csv.reader(io.StringIO(got["csv"].read_bytes().decode("utf-8-sig"), newline="")))
    table = [r for r in rows if len(r) >= 2]
    row = next(r for r in table if FORMULA in r[0])
    assert row[0] == "'" + FORMULA and float(row[1]) > 0
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for c in r)
    ws = load_workbook(got["xlsx"]).active
    cell = next(c for r in ws.iter_rows() for c in r if c.value == FORMULA)
    assert cell.data_type == "s"
    amount = ws.cell(row=cell.row, column=2)
    assert amount.data_type == "n" and amount.value == pytest.approx(float(row[1]))
    assert not [c for r in ws.iter_rows() for c in r if c.data_type == "f"]
