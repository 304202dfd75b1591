"""AppTest: Viet Nam's provinces in either generation and fiscal years on the pages."""
import pytest

from tests.test_data_page import plain
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


@pytest.fixture()
def vn_app(app, tmp_path, monkeypatch):
    """The app on the Viet Nam fixture of test_vn2025_views (Quảng Ninh, Hà Giang, ...)."""
    import duckdb

    from mekong.paths import DATA_DIR
    from mekong.store import freshness
    from mekong.store.build import create_empty
    from mekong.store.derive import derive
    from tests.test_vn2025_views import FACTS
    path = tmp_path / "vn.duckdb"
    con = duckdb.connect(str(path))
    create_empty(con)
    con.execute(FACTS)
    derive(con)
    freshness.record(con, DATA_DIR)   # else the app takes it for an outdated seed build
    con.close()
    monkeypatch.setenv("MEKONG_DB", str(path))
    return app


def _texts(at):
    out = [m.value for m in at.markdown]
    for d in at.dataframe:
        out += [str(v) for v in d.value.astype(str).to_numpy().ravel()]
    return " | ".join(out)


def test_the_project_page_keeps_the_province_as_stated_beside_its_unit(vn_app):
    at = vn_app("projects", project="V3")
    _no_exception(at)
    assert "Hà Giang (as stated), now Tuyên Quang" in _texts(at)
    at = vn_app("projects", project="V3", vn="2024")
    _no_exception(at)
    assert "as stated" not in _texts(at) and "Hà Giang" in _texts(at)


def test_the_province_filter_offers_the_chosen_generation(vn_app):
    at = vn_app("funding", province=["VN-N08"])
    _no_exception(at)
    assert at.session_state["province"] == ["VN-N08"]
    at = vn_app("funding", province=["VN-03"])   # a former province, in the 34-unit view
    _no_exception(at)
    assert at.session_state["province"] == []
    assert any("VN-03" in plain(w.value) for w in at.warning)  # (shown as plain text: escaped)
    at = vn_app("funding", vn="2024", province=["VN-03"])
    _no_exception(at)
    assert at.session_state["province"] == ["VN-03"]
    # switching the generation in the session carries the choice over: Hà Giang is in Tuyên Quang
    at.session_state["vn"] = "2025"
    at.run()
    _no_exception(at)
    assert at.session_state["province"] == ["VN-N08"] and at.query_params["province"] == "VN-N08"
    at.session_state["vn"] = "2024"
    at.run()
    assert at.session_state["province"] == ["VN-03", "VN-07"]


def test_the_year_filter_offers_the_fiscal_years_of_the_one_country(app):
    """yearbasis=fiscal with one country: the slider's years are Laos's fiscal years, named
    under it as its government writes them; the URL stays years=YYYY&years=YYYY."""
    at = app("funding", yearbasis="fiscal", country=["LA"], years=["2014", "2018"])
    _no_exception(at)
    (slider,) = at.slider
    assert slider.label == "Fiscal years" and slider.value == (2014, 2018)
    assert at.query_params["years"] == ["2014", "2018"]
    assert "Fiscal years FY2014/15 to FY2018" in [c.value for c in at.caption]
    slider.set_value((2016, 2017)).run()
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Fiscal years 2016") and c.endswith("no fiscal year to FY2017") for c in captions), captions
    assert at.query_params["years"] == ["2016", "2017"]


def test_the_year_filter_with_several_countries_says_each_country_s_own(app):
    at = app("funding", yearbasis="fiscal", years=["2014", "2018"])
    _no_exception(at)
    (slider,) = at.slider
    assert slider.label == "Fiscal years (each country's own)" and slider.value == (2014, 2018)
    at = app("funding", years=["2014", "2018"])
    assert [s.label for s in at.slider] == ["Years"]
