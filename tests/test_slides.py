"""`python -m mekong slides` on the default portfolio: a deck python-pptx opens, with the
expected slides, titles, the filter line and the sources, in both languages; every chart
carries its title, filters, data date and sources (grouped with a native chart, drawn
into a picture and in its alternative text); notes of the link under their chart."""
import subprocess
import sys

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

from mekong.paths import ROOT


def make_deck(seed_db, tmp_path, *args):
    out = tmp_path / "deck.pptx"
    done = subprocess.run([sys.executable, "-m", "mekong", "slides", "--db", str(seed_db), "--out", str(out), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return Presentation(str(out)), done.stderr


def _shapes(shapes):
    for s in shapes:
        if s.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _shapes(s.shapes)
        else:
            yield s


def texts(slide) -> str:
    """The slide's text: its text boxes (in groups too) and its pictures' alternative text."""
    out = []
    for s in _shapes(slide.shapes):
        if s.has_text_frame:
            out.append(s.text_frame.text)
        elif s.shape_type == MSO_SHAPE_TYPE.PICTURE:
            out.append(s._element.nvPicPr.cNvPr.get("descr", ""))
    return "\n".join(out)


def charts(slide) -> list:
    return [s.chart for s in _shapes(slide.shapes) if getattr(s, "has_chart", False)]


def titles(deck) -> list[str]:
    return [s.name for s in deck.slides]


@pytest.fixture(scope="module")
def english(seed_db, tmp_path_factory):
    return make_deck(seed_db, tmp_path_factory.mktemp("en"), "--lang", "en")[0]


def test_english_deck(english):
    assert (english.slide_width, english.slide_height) == (Emu(12_192_000), Emu(6_858_000))  # 16:9
    assert titles(english) == [
        "Mekong cooperation dashboard", "Who funds what, where and when", "Budgets by donor", "Budgets by sector",
        "Budgets by country or region", "Budgets by province", "Budgets per year",
        "Budgets: donors and the sectors they fund", "Budgets: from donor to implementer to country",
        "Activities over time", "Budgets by province", "Sources and method"]
    assert "All activities · EUR" in texts(english.slides[0])
    # bars and years are native PowerPoint charts with the real figures; the rest are pictures
    donor_chart = charts(english.slides[2])[0]
    values = dict(zip(donor_chart.plots[0].categories, donor_chart.series[0].values))
    assert values == {"Government of Luxembourg": 7_600_000, "AIMF": 7_000_000, "Local contribution (not a donor)": 600_000}
    assert any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in english.slides[7].shapes)  # treemap as a picture
    # each chart keeps its context: a native chart is grouped with its title and stamp, a
    # picture has them drawn in and as its alternative text
    assert [s.shape_type for s in english.slides[2].shapes] == [MSO_SHAPE_TYPE.GROUP]
    for slide in list(english.slides)[1:-1]:
        text = texts(slide)
        assert slide.name in text and "All activities · EUR" in text, slide.name
        assert "Data date: not stated by the sources" in text and "Sources: " in text, slide.name
    sources = texts(english.slides[-1])
    assert "LAO/021 Développement intégré à Bolikhamxay (fiche projet LuxDev) (LuxDev): 2 activities" in sources
    assert "Focus sur la coopération de l’AIMF avec les villes du Cambodge: 8 activities" in sources


def test_french_deck_with_a_filter_query(seed_db, tmp_path):
    deck, stderr = make_deck(seed_db, tmp_path, "--lang", "fr", "--query", "country=LA&ccy=USD&donor=nobody")
    assert "ignored donor='nobody'" in stderr
    t = titles(deck)
    assert t[0] == "Tableau de bord de la coopération au Mékong"
    assert t[2] == "Budgets par bailleur" and t[-1] == "Sources et méthode"
    assert len(deck.slides) == 12
    first = texts(deck.slides[0])
    assert "Pays\u202f: Laos · USD" in first
    assert "nobody" in first  # the ignored value is said, not silently dropped
    chart = charts(deck.slides[2])[0]
    assert set(chart.plots[0].categories) == {"Gouvernement luxembourgeois", "Contribution locale (hors bailleurs)"}
    assert "Laos" in texts(deck.slides[2])  # the footer carries the filters on every chart slide


def test_a_view_with_no_money_keeps_its_title_map_and_sources(seed_db, tmp_path):
    deck, _ = make_deck(seed_db, tmp_path, "--query", "donor=ch-switzerland", "--lang", "en")
    assert titles(deck) == ["Mekong cooperation dashboard", "Who funds what, where and when", "Budgets by province",
                            "Sources and method"]
    assert "Donor: Switzerland" in texts(deck.slides[0])


def test_one_page_with_notes_and_flow(seed_db, tmp_path):
    """--page map gives the map alone; a note of the link goes under its chart (as text,
    on the slide and in the speaker notes), one on no chart is said to be ignored."""
    deck, stderr = make_deck(seed_db, tmp_path, "--lang", "fr", "--page", "map", "--query",
                             "country=LA&note-map=Bolikhamxay seulement <b>&note-nowhere=x")
    assert titles(deck) == ["Tableau de bord de la coopération au Mékong", "Budgets par province", "Sources et méthode"]
    assert "ignored note-nowhere='x'" in stderr
    assert "Carte" in texts(deck.slides[0]) and "note-nowhere" in texts(deck.slides[0])
    assert "Note\u202f: Bolikhamxay seulement <b>" in texts(deck.slides[1])
    assert "Note\u202f: Bolikhamxay seulement <b>" in deck.slides[1].notes_slide.notes_text_frame.text



def test_the_flow_of_the_link(tmp_path):
    """The hand-computed fixture: P4's disbursement of 100 EUR from A is the one disbursement."""
    from mekong.exports.slides import build_deck
    from mekong.exports.view import view_from_query
    from mekong.store.db import Portfolio
    from tests.fixture_db import build_fixture

    portfolio = Portfolio(build_fixture(tmp_path / "fixture.duckdb"))
    deck = build_deck(portfolio, view_from_query(portfolio, "flow=disbursement&note-by-donor=Only one donor", "en",
                                                 pages=("funding",)))
    assert titles(deck)[1] == "Disbursements by donor"
    chart = charts(deck.slides[1])[0]
    assert dict(zip(chart.plots[0].categories, chart.series[0].values)) == {"Donor A": 100}
    assert "Note: Only one donor" in texts(deck.slides[1])
    assert all("Note:" not in texts(s) for s in list(deck.slides)[2:])
