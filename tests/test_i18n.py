"""Every interface string exists in English and French, and numbers, money and dates
are written for the language."""
import datetime as dt
import re
import string
from pathlib import Path

import pytest

from mekong.views import fmt, i18n
from mekong.views.filters import LIST_FILTERS

ROOT = Path(__file__).resolve().parents[1]
CODE = [p for p in [ROOT / "dashboard.py", *ROOT.glob("pages/*.py"), *ROOT.glob("mekong/**/*.py")]]
LITERAL_KEY = re.compile(r"""\b(?:t|text)\(\s*["']([a-z_]+\.[a-z0-9_]+)["']\s*[,)]""")


def placeholders(s: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(s) if name}


def test_every_entry_has_both_languages():
    missing = [k for k, v in i18n.catalog().items() if not (v.get("en") or "").strip() or not (v.get("fr") or "").strip()]
    assert not missing, f"missing a language: {missing}"


def test_both_languages_have_the_same_placeholders():
    odd = [k for k, v in i18n.catalog().items() if placeholders(v["en"]) != placeholders(v["fr"])]
    assert not odd


def test_every_key_the_code_uses_exists():
    used = {k for p in CODE for k in LITERAL_KEY.findall(p.read_text(encoding="utf-8"))}
    assert len(used) > 100
    unknown = sorted(used - set(i18n.catalog()))
    assert not unknown, f"keys used in code but not in mekong/views/locale: {unknown}"


@pytest.mark.parametrize("family,names", [
    ("filters", LIST_FILTERS), ("describe", LIST_FILTERS),
    ("flows", ["budget", "commitment", "disbursement", "expenditure", "planned_disbursement", "incoming_funds"]),
    ("buckets", ["several_funders", "not_stated", "split_unknown", "national", "several", "none"]),
    ("project", ["role_funding", "role_accountable", "role_extending", "role_implementing", "kind_budget",
                 "kind_planned_disbursement", "type_original", "type_revised", "place_country", "place_region",
                 "place_province", "place_district", "place_city", "place_point", "fact_project", "fact_status",
                 "fact_dates", "fact_partners", "fact_sectors", "fact_places", "fact_budgets", "fact_transactions",
                 "fact_events", "rel_part", "rel_successor"]),
    ("notes", ["gap_no_amount", "gap_not_converted", "gap_donor_share_unknown", "gap_split_unknown",
               "counts_budget", "counts_transactions"]),
    ("about", ["kind_seed", "kind_iati", "kind_spreadsheet", "kind_synthetic"]),
])
def test_keys_built_at_run_time_exist(family, names):
    missing = [f"{family}.{n}" for n in names if f"{family}.{n}" not in i18n.catalog()]
    assert not missing


def test_a_missing_key_fails_loudly():
    with pytest.raises(KeyError):
        i18n.text("nowhere.nothing", "fr")


def test_codelist_names_have_french(seed_db):
    from mekong.store.db import connect

    con = connect(seed_db)
    assert con.execute("SELECT count(*) FROM codelist WHERE list = 'ActivityStatus' AND name_fr IS NULL").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM country WHERE name_fr IS NULL").fetchone()[0] == 0
    assert con.execute("SELECT name_fr FROM sector WHERE code = '43040'").fetchone()[0] == "Développement rural"
    # every sector the portfolio uses has a French name
    assert con.execute("""SELECT count(*) FROM project_sector ps JOIN sector s USING (code)
                          WHERE ps.vocabulary = '1' AND s.name_fr IS NULL""").fetchone()[0] == 0


def test_language_from_browser_locale():
    assert i18n.normalise_lang("fr-FR") == "fr"
    assert i18n.normalise_lang("fr_CA") == "fr"
    assert i18n.normalise_lang("de-DE") == "en"
    assert i18n.normalise_lang(None) == "en"


def test_money_numbers_and_dates_follow_the_language():
    nb = str.maketrans({"\u202f": " ", "\xa0": " "})
    assert fmt.money(8_200_000, "EUR", "fr").translate(nb) == "8 200 000 EUR"
    assert fmt.money(8_200_000, "EUR", "en").translate(nb) == "EUR 8,200,000"
    assert fmt.money(7_000_000, "EUR", "en", approximate=True).translate(nb) == "~EUR 7,000,000"
    assert fmt.number(1234567.5, "fr").translate(nb) == "1 234 567,5"
    assert fmt.date(dt.date(2014, 12, 13), "fr") == "13 déc. 2014"
    assert fmt.date(dt.date(2009, 10, 1), "en", "month") == "Oct 2009"
    assert fmt.date(dt.date(2019, 1, 1), "fr", "year") == "2019"
    assert fmt.percent(0.25, "fr").translate(nb) == "25 %"


def test_french_texts_have_a_narrow_no_break_space_before_colons_and_the_like():
    """French writes "Bailleur : AIMF", "écarté ; conservé", "« Noms »" with a space that
    never breaks the line before the sign: U+202F in every French text of the catalogue."""
    ordinary = [(k, v["fr"]) for k, v in i18n.catalog().items() if re.search(r"[ \t][:;?!»]|«[ \t]", v["fr"])]
    assert not ordinary, ordinary[:5]
    assert i18n.text("describe.sources", "fr", sources="AIMF") == "Sources\u202f: AIMF"
    assert i18n.text("describe.sources", "en", sources="AIMF") == "Sources: AIMF"
    assert i18n.text("filters.ignored_unknown", "fr", param="p", value="v") == "p = «\u202fv\u202f» n'existe pas dans les données"
    assert i18n.french_spacing("Projection EPSG:4326 ; voir http://x") == "Projection EPSG:4326\u202f; voir http://x"
    assert i18n.french_spacing("100 % ; {a} % de plus") == "100\u00a0%\u202f; {a}\u00a0% de plus"
    assert not [k for k, v in i18n.catalog().items() if re.search(r"[\d}] %", v["fr"])]


def test_the_filter_line_in_french_and_in_english():
    from mekong.views import describe
    from mekong.views.filters import Filters

    f = Filters(donor=("aimf",), country=("LA",), year_from=2012, year_to=2014)
    labels = {"donor": {"aimf": "AIMF"}, "country": {"LA": "Laos"}}
    line = {lang: describe.filters_line(f, labels, lambda k, lang=lang, **v: i18n.text(k, lang, **v)) for lang in ("en", "fr")}
    assert line["en"] == "Donor: AIMF · Country: Laos · Years: 2012–2014 · EUR"
    assert line["fr"] == "Bailleur\u202f: AIMF · Pays\u202f: Laos · Années\u202f: 2012–2014 · EUR"


@pytest.mark.parametrize("key,values,en,fr", [
    ("notes.gap_no_amount", {"n": 1, "flow": "budget"},
     "1 of the selected activities discloses no budget: it is not",
     "1 des activités sélectionnées ne communique pas de budget\u202f: elle ne figure"),
    ("notes.gap_no_amount", {"n": 3, "flow": "budget"},
     "3 of the selected activities disclose no budget: they are not",
     "3 des activités sélectionnées ne communiquent pas de budget\u202f: elles ne figurent"),
    ("funding.single_charts", {"n": 1}, "The one-bar chart, for its note", "Le graphique à une barre, pour sa note"),
    ("funding.single_charts", {"n": 2}, "The 2 one-bar charts, for their notes", "Les 2 graphiques à une barre, pour leurs notes"),
    ("map.points_capped", {"shown": "5\u202f000", "n": "1"}, "1 more is not drawn as a point", "1 autre n'est pas dessiné"),
    ("map.points_capped", {"shown": "5\u202f000", "n": "1\u202f204"}, "1\u202f204 more are not drawn as points",
     "1\u202f204 autres ne sont pas dessinés"),
    ("data.removed", {"n": 1, "files": "a.xml"}, "Removed a.xml: 1 activity.", "Retrait de a.xml\u202f: 1 activité."),
    ("data.removed", {"n": 2, "files": "a.xml, b.xml"}, "Removed a.xml, b.xml: 2 activities.", "Retrait de a.xml, b.xml\u202f: 2 activités."),
])
def test_counts_agree_with_their_number(key, values, en, fr):
    """"1 of the selected activities discloses", not "1 ... disclose" (like the old "1 elements left out")."""
    assert en in i18n.text(key, "en", **values)
    assert fr in i18n.text(key, "fr", **values)


def test_no_french_text_leaves_its_plural_to_the_reader():
    lazy = [k for k, v in i18n.catalog().items() if re.search(r"\((e?s|x|e)\)", v["fr"]) or re.search(r"\(s\)", v["en"])]
    assert not lazy, lazy
