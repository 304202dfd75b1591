"""`python -m mekong slides` on the default portfolio: a deck python-pptx opens, with the
expected slides, titles, the filter line and the sources, in both languages."""
import subprocess
import sys

import pytest
from pptx import Presentation
from pptx.util import Emu

from mekong.paths import ROOT


def make_deck(seed_db, tmp_path, *args):
    out = tmp_path / "deck.pptx"
    done = subprocess.run([sys.executable, "-m", "mekong", "slides", "--db", str(seed_db), "--out", str(out), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return Presentation(str(out)), done.stderr


def texts(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def titles(deck) -> list[str]:
    return [texts(s).split("\n")[0] for s in deck.slides]


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
    donor_chart = next(s for s in english.slides[2].shapes if s.has_chart).chart
    values = dict(zip(donor_chart.plots[0].categories, donor_chart.series[0].values))
    assert values == {"Government of Luxembourg": 7_600_000, "AIMF": 7_000_000, "Local contribution": 600_000}
    assert any(s.shape_type == 13 for s in english.slides[7].shapes)  # treemap as a picture
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
    assert "Pays : Laos · USD" in first.replace("\u202f", " ") or "Pays: Laos · USD" in first
    assert "nobody" in first  # the ignored value is said, not silently dropped
    chart = next(s for s in deck.slides[2].shapes if s.has_chart).chart
    assert set(chart.plots[0].categories) == {"Gouvernement luxembourgeois", "Local contribution"}
    assert "Laos" in texts(deck.slides[2])  # the footer carries the filters on every chart slide


def test_a_view_with_no_money_keeps_its_title_map_and_sources(seed_db, tmp_path):
    deck, _ = make_deck(seed_db, tmp_path, "--query", "donor=ch-switzerland", "--lang", "en")
    assert titles(deck) == ["Mekong cooperation dashboard", "Who funds what, where and when", "Budgets by province",
                            "Sources and method"]
    assert "Donor: Switzerland" in texts(deck.slides[0])
