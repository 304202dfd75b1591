"""AppTest: Viet Nam's provinces in either generation on the pages (seed portfolio)."""
from tests.test_map_page import deck_spec


def _no_exception(at):
    assert not at.exception, [e.value for e in at.exception]


def _vn_codes(at):
    layer = next(x for x in deck_spec(at)["layers"] if x["id"] == "provinces")
    return {f["properties"]["iso"] for f in layer["data"]["features"] if f["properties"]["iso"].startswith("VN-")}


def test_the_map_draws_the_2025_units_by_default_and_keeps_the_url_clean(app):
    at = app("map")
    _no_exception(at)
    assert at.session_state["vn"] == "2025"
    codes = _vn_codes(at)
    assert len(codes) == 34 and all(c.startswith("VN-N") for c in codes)
    assert "vn" not in at.query_params


def test_vn_2024_in_the_url_draws_the_former_provinces_and_stays_there(app):
    at = app("map", vn="2024")
    _no_exception(at)
    assert at.session_state["vn"] == "2024"
    codes = _vn_codes(at)
    assert len(codes) == 63 and "VN-03" in codes and not any(c.startswith("VN-N") for c in codes)
    assert at.query_params["vn"] == "2024"


def test_a_malformed_generation_is_ignored_with_a_notice(app):
    at = app("overview", vn="1999")
    _no_exception(at)
    assert at.session_state["vn"] == "2025"
    assert any("1999" in w.value for w in at.warning)


def test_sources_and_credits_show_the_crosswalk(app):
    at = app("about", lang="fr")
    _no_exception(at)
    assert any("vietnamadminunits 1.0.4" in m.value for m in at.markdown)
    table = next(d.value for d in at.dataframe if "Code dans le tableau de bord" in d.value.columns)
    assert len(table) == 63
    row = table[table["Ancienne province (ISO 3166-2)"] == "VN-03"].iloc[0]
    assert row["Unité depuis le 1er juillet 2025 (code officiel)"] == "Tuyên Quang (08)"
    assert row["Code dans le tableau de bord"] == "VN-N08"


def test_sources_and_credits_list_the_fiscal_year_rules_with_their_sources(app):
    at = app("about")
    _no_exception(at)
    table = next(d.value for d in at.dataframe if "Fiscal years" in d.value.columns)
    mm = table[table["Country"].str.startswith("Myanmar")]
    assert list(mm["Months"]) == [12, 6, 12, 6, 12]
    assert all(isinstance(s, str) and s for s in table["Source"])
    assert "FY2018 (Apr–Sep)" in set(mm["Fiscal years"])


def test_fiscal_years_from_the_url_on_the_funding_page(app):
    at = app("funding", yearbasis="fiscal", country=["LA"])
    _no_exception(at)
    assert at.session_state["yearbasis"] == "fiscal"
    assert at.query_params["yearbasis"] == "fiscal"
    assert any("by fiscal year" in s.value for s in at.subheader)
