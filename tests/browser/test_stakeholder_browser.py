"""Every page as a person in the meeting sees it (issue 19): at 1920x1080, 1440x900 and
1280x720, in English and French, on the embedded portfolio and after a real IATI file
was imported through the Data page. Screenshots (what is on the screen at that size) go
to test-artifacts/stakeholder-*.png."""
import re
import shutil
import urllib.error
import urllib.request

import pytest

from tests.browser.conftest import ARTIFACTS, start_app, wait_idle

SIZES = {"1920": (1920, 1080), "1440": (1440, 900), "1280": (1280, 720)}
PAGES = ["overview", "funding", "timeline", "map", "projects", "data", "about"]
CHARTS = "[data-testid='stPlotlyChart']"
# English a French page must not show (Streamlit's own words included)
ENGLISH = ["Local contribution", "Upload", "per file", "Browse files", "Drag and drop", "Page not found",
           "elements left out", "left out", "kept as published", "Not stated", "Several funders", "None",
           "Today", "Counts budgets", "Donors", "Budgets by"]
REAL_FILE = "mekong_subset_dportal_covid_2021.xml"
UNDP = "XM-DAC-41114-OUTPUT-00121246"  # an activity of the real file


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"stakeholder-{name}.png"))


def screen_text(page, quotes: bool = True) -> str:
    """What the page says in words: main area and sidebar, icons left out, chart texts in;
    with quotes=False without the quoted source passages (the documents' own words)."""
    return page.evaluate("""(quotes) => {
        const skip = document.querySelectorAll('[data-testid="stIconMaterial"]' + (quotes ? '' : ', [data-testid="stText"]'));
        skip.forEach(e => e.dataset.hiddenText = e.textContent);
        skip.forEach(e => e.textContent = '');
        const text = document.querySelector('[data-testid="stApp"]').innerText + '\\n' +
            [...document.querySelectorAll('.main-svg')].map(s => s.textContent).join('\\n');
        skip.forEach(e => e.textContent = e.dataset.hiddenText);
        return text; }""", quotes)


def goto(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def check_page(page, lang: str) -> str:
    assert page.locator("[role='dialog']").count() == 0  # e.g. "Page not found"
    assert page.locator("[data-testid='stException']").count() == 0
    text = screen_text(page, quotes=False)
    assert not re.search(r"\bnan\b|\bNaN\b", text), "a missing value shown as nan"
    if lang == "fr":
        found = [w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]
        assert not found, f"English on a French page: {found}"
    return text


@pytest.fixture(scope="module")
def imported(browser, seed_db, shared_dir, tmp_path_factory, app_url):
    """A dashboard on a copy of the embedded portfolio, after a real IATI file was imported
    through the Data page of a French session (its report is read there)."""
    db = tmp_path_factory.mktemp("imported") / "mekong.duckdb"
    shutil.copyfile(seed_db, db)
    proc, url = start_app(db)
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="fr-FR")
    page = context.new_page()
    goto(page, f"{url}/data?lang=fr")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(shared_dir / "testdata" / "iati" / REAL_FILE))
    page.wait_for_function("() => [...document.querySelectorAll('button')].some("
                           "b => b.innerText.trim().endsWith('Importer') && !b.disabled)", timeout=60_000)
    page.get_by_role("button", name="Importer").click()
    page.locator("[data-testid='stAlertContentSuccess']").wait_for(timeout=120_000)
    wait_idle(page)
    report = screen_text(page)
    shot(page, "import-report-fr")
    context.close()
    yield url, report
    proc.terminate()
    proc.wait(timeout=10)


def test_the_import_report_is_in_french(imported):
    _, report = imported
    assert "activités importées depuis" in report and REAL_FILE in report
    assert "Écarts au format" in report and "éléments écartés" in report
    for english in ("elements left out", "kept as published", "left out", "The importer's messages"):
        assert english not in report


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_after_an_import(browser, imported, size, lang):
    url, _ = imported
    w, h = SIZES[size]
    context = browser.new_context(viewport={"width": w, "height": h}, locale="en-GB")
    page = context.new_page()
    for name in PAGES if size == "1440" else ["overview", "funding", "projects", "map"]:
        goto(page, f"{url}/{name}?lang={lang}")
        if name in ("overview", "funding", "timeline"):
            page.wait_for_function(f"() => document.querySelectorAll(\"{CHARTS}\").length >= 2", timeout=60_000)
        text = check_page(page, lang)
        shot(page, f"imported-{name}-{lang}-{size}")
        if name == "funding":
            # sector names from the codelist in the page's language (12264 is newer than pyIATI)
            assert ("12264 COVID-19 control" if lang == "en" else "12264 Lutte contre la COVID-19") in text
            # the years drawn are those with money (budgets of 0 run to 2050)
            years = [int(y) for y in page.locator(CHARTS).nth(4).locator(".xtick text").all_text_contents() if y.isdigit()]
            assert years and max(years) <= 2027 < 2050
            assert "2028–2050" in text or "2028 à 2050" in text
            assert text.count("Counts budgets" if lang == "en" else "Compte les budgets") == 1
            # every bar of the donors' chart says its amount, the smallest too (under a pixel)
            bars = page.locator(CHARTS).first.locator(".point")
            assert bars.count() >= 10 and bars.locator("text").count() == bars.count()
        if name == "projects":
            _table_fits(page, allow_scroll=size == "1280")
            _budget_and_dates_on_screen(page, lang)
            cells = page.locator("[data-testid='stDataFrame'] td").all_inner_texts()
            # names people write, not the publisher's capitals
            assert not [c for c in cells if re.fullmatch(r"[A-Z]{2,}( [A-Z]{2,}){2,}.*", c)]
        if name == "map":
            box = page.locator("[data-testid='stSelectbox']").first.bounding_box()
            assert box["x"] + box["width"] <= w  # the flow choice is whole on the screen
    context.close()


def _budget_and_dates_on_screen(page, lang: str) -> None:
    """The budget and both dates come right after the title, and the grid shows them
    without its scroll bar: the row marker and those columns (as sized in pages/projects.py)
    fit the grid's visible width, at 1280x720 too."""
    heads = page.locator("[data-testid='stDataFrame'] th").all_inner_texts()
    first = ["Title", "Budget", "Note", "Start", "End"] if lang == "en" else ["Titre", "Budget", "Note", "Début", "Fin"]
    assert [h.split(" (")[0] for h in heads[:5]] == first, heads
    visible = page.evaluate("() => document.querySelector('[data-testid=\"stDataFrame\"] .dvn-scroller').clientWidth")
    assert 36 + 200 + 120 + 70 + 100 + 100 <= visible, visible


def _table_fits(page, allow_scroll: bool) -> None:
    """The projects table shows its columns whole: the dates, budgets and notes fit their
    cells, and at 1440 and 1920 no column is beyond the right edge."""
    widths = {"Budget": 120, "Note": 70, "Start": 100, "End": 100, "Début": 100, "Fin": 100}
    fits = page.evaluate("""(widths) => {
        const heads = [...document.querySelectorAll('[data-testid="stDataFrame"] th')].map(h => h.innerText);
        const ctx = document.createElement('canvas').getContext('2d');
        ctx.font = '14px "Source Sans", sans-serif';
        const out = [];
        document.querySelectorAll('[data-testid="stDataFrame"] tbody tr').forEach(tr => {
            [...tr.children].forEach((td, i) => {
                const head = heads[i].startsWith('Budget') ? 'Budget' : heads[i];
                // the grid's text for screen readers has the raw values: written as on screen
                // (a date at its longest, to the day: "30 sept. 2024")
                const raw = td.innerText;
                const text = !raw ? raw
                    : head === 'Budget' ? Math.round(parseFloat(raw)).toLocaleString('en-GB')
                    : ['Start', 'End', 'Début', 'Fin'].includes(head)
                        ? new Date(raw + 'T00:00:00Z').toLocaleDateString(['Début', 'Fin'].includes(head) ? 'fr-FR' : 'en-GB',
                                                                         {day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC'})
                    : raw;
                if (widths[head]) out.push([head, text, ctx.measureText(text).width + 16 <= widths[head]]);
            });
        });
        const s = document.querySelector('[data-testid="stDataFrame"] .dvn-scroller');
        return {cells: out, scroll: [s.scrollWidth, s.clientWidth]};
    }""", widths)
    cut = [(h, v) for h, v, ok in fits["cells"] if not ok]
    assert fits["cells"] and not cut, cut
    if not allow_scroll:
        assert fits["scroll"][0] <= fits["scroll"][1] + 1


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("size", list(SIZES))
def test_embedded_portfolio(browser, app_url, size, lang):
    w, h = SIZES[size]
    context = browser.new_context(viewport={"width": w, "height": h}, locale="en-GB")
    page = context.new_page()
    # the first page's own name opens it, no "Page not found"
    goto(page, f"{app_url}/overview?lang={lang}")
    page.wait_for_function(f"() => document.querySelectorAll(\"{CHARTS}\").length >= 2", timeout=60_000)
    assert re.match(r"^http://[^/]+/\?", page.url)
    text = check_page(page, lang)
    squeezed = re.sub(r"\s+", "", text)  # a chart label may be on two lines
    assert ("Localcontribution(notadonor)" if lang == "en" else "Contributionlocale(horsbailleurs)") in squeezed
    assert "AIMF" in text
    assert "Viet Nam" in text if lang == "en" else "Viêt Nam" in text
    # the filters start on the screen, above the tools
    donor = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.bounding_box()
    assert donor["y"] + donor["height"] <= h
    shot(page, f"seed-overview-{lang}-{size}")
    # the tick labels of the two charts side by side do not crowd: one year a tick at most
    years = page.locator(CHARTS).nth(1).locator(".xtick text").all_text_contents()
    assert len(years) == len(set(years))
    _ticks_apart(page, lang)
    for name in PAGES[1:] if size == "1440" else ["funding", "timeline", "projects"]:
        goto(page, f"{app_url}/{name}?lang={lang}")
        text = check_page(page, lang)
        if name == "funding":
            _ticks_apart(page, lang)
        shot(page, f"seed-{name}-{lang}-{size}")
        sidebar = page.locator("[data-testid='stSidebar']").inner_text()
        # the filters are not shown where they do not apply
        assert (("Filters" if lang == "en" else "Filtres") in sidebar) == (name not in ("data", "about"))
        if name == "timeline":
            assert ("Today" if lang == "en" else "Aujourd'hui") in text
        if name == "data" and lang == "fr":
            after = page.evaluate("""() => getComputedStyle(document.querySelector(
                '[data-testid="stFileUploaderDropzone"] button [data-has-shortcut]'), '::after').content""")
            assert after == '"Choisir des fichiers"'
    context.close()


def _ticks_apart(page, lang: str) -> None:
    """The tick labels of every chart on the page do not touch one another (with a few
    pixels between them), and money reads "M"/"Md" in French, never plotly's SI "G"."""
    crowded = page.evaluate("""() => {
        const out = [];
        document.querySelectorAll('[data-testid="stPlotlyChart"]').forEach((chart, c) => {
            ['xtick', 'ytick'].forEach(kind => {
                const boxes = [...chart.querySelectorAll('.' + kind + ' text')].filter(t => t.textContent)
                    .map(t => [t.textContent, t.getBoundingClientRect()]);
                for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
                    const [a, A] = boxes[i], [b, B] = boxes[j];
                    const apart = kind === 'xtick' ? (A.right + 4 <= B.left || B.right + 4 <= A.left)
                                                   : (A.bottom <= B.top || B.bottom <= A.top);
                    if (!apart) out.push([c, a, b]);
                }
            });
        });
        return out; }""")
    assert not crowded, f"tick labels touch: {crowded[:5]}"
    ticks = page.locator(f"{CHARTS} .xtick text, {CHARTS} .ytick text").all_text_contents()
    assert not [t for t in ticks if re.fullmatch(r"[\d.,\s\u00a0]+G", t)]
    if lang == "fr":
        assert [t for t in ticks if re.fullmatch(r"[\d,]+\u00a0(k|M|Md)", t)], ticks


def test_the_projects_table_sorts_by_amount(browser, app_url):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-GB")
    page = context.new_page()
    goto(page, f"{app_url}/projects?lang=en")
    grid = page.locator("[data-testid='stDataFrame']")
    box = grid.bounding_box()
    budget_x = box["x"] + 36 + 200 + 60  # row marker, title, middle of the budget column
    header_y = box["y"] + 18
    for _ in range(2):  # ascending, then descending
        page.mouse.click(budget_x, header_y)
        page.wait_for_timeout(500)
    shot(page, "seed-projects-sorted-by-budget")
    first = page.locator("[data-testid='stDataFrame'] tbody tr").first.inner_text()
    assert "LAO/021" in first and ("8,200,000" in first or "8200000" in first)  # (the grid may give the raw number)
    budgets = [float(v.replace(",", "")) for v in page.locator(
        "[data-testid='stDataFrame'] td[aria-colindex='2']").all_inner_texts() if v]
    assert budgets == sorted(budgets, reverse=True) and len(budgets) >= 2
    # by start date, in time (as text "2019" would come before "Apr 2014" and "Oct 2009")
    page.mouse.click(box["x"] + 36 + 200 + 120 + 70 + 50, header_y)
    page.wait_for_timeout(500)
    shot(page, "seed-projects-sorted-by-start")
    # (the grid's cells give the values; the canvas shows them at their precision: the screenshot)
    starts = [v for v in page.locator("[data-testid='stDataFrame'] td[aria-colindex='4']").all_inner_texts() if v.strip()]
    years = [int(re.search(r"\d{4}", v).group()) for v in starts]
    assert len(set(years)) >= 3 and years == sorted(years), starts
    context.close()


def test_funding_with_one_filter_says_it_in_one_line(browser, app_url):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-GB")
    page = context.new_page()
    goto(page, f"{app_url}/funding?lang=en&donor=aimf")
    text = check_page(page, "en")
    assert "One bar each, so folded away" in text and "Budgets by donor: AIMF" in text
    assert text.count("Counts budgets") == 1
    shot(page, "seed-funding-one-donor")
    context.close()


def test_share_box_shows_its_copy_button(browser, app_url):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-GB")
    page = context.new_page()
    goto(page, f"{app_url}/funding?lang=en")
    page.locator("[data-testid='stSidebar']").get_by_text("Share link").click()
    code = page.locator("[data-testid='stPopoverBody'] [data-testid='stCode']")
    code.wait_for()
    page.mouse.move(5, 5)  # the pointer is elsewhere
    button = code.locator("button").first
    assert page.evaluate("b => getComputedStyle(b).opacity", button.element_handle()) == "1"
    assert button.is_visible()
    shot(page, "seed-share")
    context.close()


def _contrast(fg: str, bg: str) -> float:
    def lum(rgb):
        c = [int(x) / 255 for x in re.findall(r"[\d.]+", rgb)[:3]]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    a, b = sorted([lum(fg), lum(bg)], reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_project_pages(browser, app_url, imported):
    context = browser.new_context(viewport={"width": 1440, "height": 2400}, locale="en-GB")
    page = context.new_page()
    goto(page, f"{app_url}/projects?lang=fr&project=seed:lao-021")
    text = check_page(page, "fr")
    assert "Ce passage indique" in text and "fact_" not in text
    passage = page.locator("[data-testid='stText']").first
    color = page.evaluate("e => getComputedStyle(e).color", passage.element_handle())
    assert _contrast(color, "rgb(255, 255, 255)") >= 7  # read easily, not light grey
    # a small map of its places (Streamlit draws it once its map code has loaded)
    page.locator("[data-testid='stDeckGlJsonChart']").first.wait_for(state="attached", timeout=30_000)
    assert page.locator("[data-testid='stDeckGlJsonChart']").count() == 1
    # what the source says of each place is read whole (once the places table is drawn)
    page.locator("[data-testid='stDataFrame'] th", has_text="Selon la source").first.wait_for(state="attached")
    notes = page.evaluate("""() => {
        const ctx = document.createElement('canvas').getContext('2d');
        ctx.font = '14px "Source Sans", sans-serif';
        for (const t of document.querySelectorAll('[data-testid="stDataFrame"] table')) {
            const heads = [...t.querySelectorAll('th')].map(h => h.innerText);
            const i = heads.indexOf('Selon la source');
            if (i >= 0) return [...t.querySelectorAll('tbody tr')].map(tr => [tr.children[i].innerText,
                                                                            ctx.measureText(tr.children[i].innerText).width]);
        }
        return null; }""")
    assert notes and any(n for n, _ in notes) and all(w + 16 <= 480 for _, w in notes), notes
    shot(page, "seed-project-lao-021-fr")
    url, _ = imported
    goto(page, f"{url}/projects?lang=en&project={UNDP}")
    check_page(page, "en")
    link = page.get_by_role("link", name="This activity on d-portal")
    assert link.get_attribute("href") == f"https://d-portal.org/ctrack.html#view=act&aid={UNDP}"
    shot(page, "imported-project-undp-en")
    context.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_unknown_address_opens_the_first_page(browser, app_url, lang):
    """No English "Page not found" pop-up: the first page, saying in its language that
    there is no page at that address (the address shown as text)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-GB")
    page = context.new_page()
    # a server that has had its first visitor (the very first one, at an unknown address,
    # still gets Streamlit's pop-up: mekong/app/entry.py says why)
    goto(page, f"{app_url}/?lang={lang}")
    page.wait_for_function(f"() => document.querySelectorAll(\"{CHARTS}\").length >= 2", timeout=60_000)
    # an address of several parts too (Streamlit alone gives a blank page there)
    for path, shown in (("nonsense", "/nonsense"), ("%C3%A9t%C3%A9_*x*", "/été_*x*"), ("fr/xyz", "/fr/xyz"),
                        ("overview/abc/d%20e", "/overview/abc/d e")):
        goto(page, f"{app_url}/{path}?lang={lang}")
        page.wait_for_function(f"() => document.querySelectorAll(\"{CHARTS}\").length >= 2", timeout=60_000)
        assert re.match(rf"^http://[^/]+/\?lang={lang}$", page.url)
        text = check_page(page, lang)
        said = (f"There is no page at the address {shown}: here is the overview." if lang == "en"
                else f"Aucune page ne se trouve à l'adresse {shown}\u202f: voici la vue d'ensemble.")
        assert said in text
    shot(page, f"unknown-address-{lang}")
    # only a browser asking for a page is sent on; the frontend's look-ups stay 404
    for path, accept, status in (("fr/_stcore/health", "text/html", 404), ("fr/xyz", "*/*", 200),
                                 ("fr/xyz", "text/html", 302)):
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            answer = opener.open(urllib.request.Request(f"{app_url}/{path}", headers={"Accept": accept}))
            got, where = answer.status, None
        except urllib.error.HTTPError as e:
            got, where = e.code, e.headers.get("Location")
        assert got == status, (path, accept, got)
        if status == 302:
            assert where == "/fr%2Fxyz"
    goto(page, f"{app_url}/funding?lang={lang}")  # said once, not on the next page
    assert "/nonsense" not in screen_text(page) and "/été" not in screen_text(page)
    context.close()


def test_streamlits_and_plotlys_own_words_in_french(browser, app_url):
    """The table's toolbar, its tooltips and the charts' toolbar speak the page's language;
    back in English after switching."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-GB")
    page = context.new_page()
    goto(page, f"{app_url}/projects?lang=fr")
    grid = page.locator("[data-testid='stDataFrame']")
    grid.hover()
    toolbar = page.locator("[data-testid='stElementToolbar']").first
    toolbar.wait_for()
    labels = toolbar.locator("button").evaluate_all("bs => bs.map(b => b.getAttribute('aria-label'))")
    assert "Télécharger en CSV" in labels and "Rechercher" in labels and "Download as CSV" not in labels, labels
    toolbar.get_by_role("button", name="Télécharger en CSV").hover()
    tip = page.locator("[data-testid='stTooltipContent'], [role='tooltip']").last
    tip.wait_for()
    page.wait_for_timeout(200)
    assert "Télécharger en CSV" in tip.inner_text()
    shot(page, "fr-table-toolbar")
    goto(page, f"{app_url}/funding?lang=fr")
    chart = page.locator(CHARTS).first
    chart.hover()
    titles = chart.locator(".modebar-btn").evaluate_all("bs => bs.map(b => b.getAttribute('data-title'))")
    assert "Zoom avant" in titles and "Zoom in" not in titles and "Réinitialiser les axes" in titles, titles
    goto(page, f"{app_url}/projects?lang=en")
    page.locator("[data-testid='stDataFrame']").hover()
    labels = page.locator("[data-testid='stElementToolbar'] button").evaluate_all("bs => bs.map(b => b.getAttribute('aria-label'))")
    assert "Download as CSV" in labels, labels
    context.close()
