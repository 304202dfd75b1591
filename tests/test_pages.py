"""AppTest: every page runs on the default portfolio, plain and with filters from the URL."""
import re

import pytest

PAGES = ["overview", "funding", "timeline", "projects", "map", "data", "about"]


def _no_exception(at):
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs(app, page):
    at = app(page)
    _no_exception(at)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_with_url_filters(app, page):
    at = app(page, donor=["lu-government"], country=["LA"], years=["2010", "2014"], ccy="USD", lang="fr")
    _no_exception(at)
    assert at.session_state["donor"] == ["lu-government"]
    assert at.session_state["country"] == ["LA"]


def test_overview_headline_follows_filters(app):
    at = app(donor=["lu-government"])
    _no_exception(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Total budget (EUR)"] == "EUR\u00a07,600,000"
    at = app(donor=["aimf"])
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Total budget (EUR)"] == "~EUR\u00a07,000,000"


def test_unknown_url_values_are_ignored_with_a_notice(app):
    at = app(donor=["no-such-donor", "lu-government"], years=["20x0", "2012"], ccy="GBP")
    _no_exception(at)
    assert at.session_state["donor"] == ["lu-government"]
    notice = " ".join(w.value for w in at.warning).replace("\\", "")  # shown as plain text: Markdown escapes
    assert "no-such-donor" in notice and "20x0" in notice and "GBP" in notice


@pytest.mark.parametrize("page,present", [("overview", True), ("map", True), ("projects", False), ("data", False)])
def test_present_is_offered_on_the_pages_with_charts(app, page, present):
    at = app(page, lang="en")
    _no_exception(at)
    assert any(b.label == "Present" for b in at.sidebar.button) is present


@pytest.mark.parametrize("page,names", [
    ("projects", ["projects"]), ("timeline", ["events"]), ("data", ["sources", "quality_no_budget"])])
def test_tables_offer_csv_and_excel_downloads(app, page, names):
    at = app(page, lang="en", country=["LA"])
    _no_exception(at)
    buttons = {(b.proto.label, key) for b in at.get("download_button") for key in names if f"-{key}" in b.proto.id}
    assert buttons == {(label, key) for key in names for label in ("Table (CSV)", "Table (Excel)")}


def test_a_synthetic_portfolio_says_it_is_not_real_data(app, tmp_path, monkeypatch):
    from mekong.store.synth import generate

    generate(tmp_path / "synth.duckdb", 50, seed=3)
    monkeypatch.setenv("MEKONG_DB", str(tmp_path / "synth.duckdb"))
    at = app("funding", lang="en")
    _no_exception(at)
    assert any("synthetic portfolio" in w.value and "not real data" in w.value for w in at.warning)


def test_the_default_portfolio_has_no_synthetic_notice(app):
    at = app(lang="en")
    assert not any("synthetic" in w.value for w in at.warning)


def test_headline_counts_are_written_the_language_s_way(app, tmp_path, monkeypatch):
    from mekong.store.synth import generate

    generate(tmp_path / "synth.duckdb", 1200, seed=5)
    monkeypatch.setenv("MEKONG_DB", str(tmp_path / "synth.duckdb"))
    en = {m.label: m.value for m in app(lang="en").metric}
    assert en["Budget disclosed"].endswith(" of 1,200"), en
    fr = {m.label: m.value for m in app(lang="fr").metric}
    assert any(v.endswith(" sur 1\u202f200") for v in fr.values()), fr


def test_a_total_too_long_for_its_box_is_written_short_with_the_exact_one_in_the_help(app, tmp_path, monkeypatch):
    import datetime as dt

    from mekong.store.db import Portfolio
    from mekong.store.synth import generate
    from mekong.views.filters import Filters

    generate(tmp_path / "synth.duckdb", 300, seed=5)
    monkeypatch.setenv("MEKONG_DB", str(tmp_path / "synth.duckdb"))
    head = Portfolio(tmp_path / "synth.duckdb").frame(
        "overview_headline", {**Filters().params(), "today": dt.date.today()}).iloc[0]
    exact, tilde = round(head["total"]), "~" if head["total_approximate"] else ""
    assert exact >= 1e9  # the synthetic portfolio is in the billions
    box = next(m for m in app(lang="en").metric if m.label == "Total budget (EUR)")
    assert box.value == f"{tilde}EUR\u00a0{exact / 1e9:.1f}B", box.value
    assert f"Exactly: {tilde}EUR\u00a0{exact:,}." in box.help
    fr = next(m for m in app(lang="fr").metric if m.label == "Budget total (EUR)")
    assert fr.value.endswith("\u00a0Md\u00a0EUR"), fr.value


def test_filters_are_not_drawn_where_they_do_not_apply_and_are_kept(app):
    """Data and Sources and credits draw no filters; the choices stay for the other pages
    and in the link."""
    at = app("funding", donor=["lu-government"], years=["2010", "2014"], ccy="USD", lang="en")
    _no_exception(at)
    assert [m.label for m in at.sidebar.multiselect][:1] == ["Donor (funding organisation)"]
    for page in ("data", "about"):
        at.switch_page(f"pages/{page}.py").run()
        _no_exception(at)
        assert not at.sidebar.multiselect and not at.sidebar.slider
        assert at.query_params["donor"] in ("lu-government", ["lu-government"]) and at.query_params["ccy"] in ("USD", ["USD"])
    at.switch_page("pages/funding.py").run()
    assert at.session_state["donor"] == ["lu-government"] and at.session_state["years"] == (2010, 2014)
    assert at.session_state["ccy"] == "USD"
    assert [m.value for m in at.sidebar.multiselect][0] == ["lu-government"]


def test_the_project_page_writes_french_colons(app):
    """French puts a (narrow no-break) space before a colon: "Financement : ...", "13 déc. 2014 : ..."."""
    at = app("projects", project="seed:lao-021", lang="fr")
    assert not at.exception
    texts = [m.value for m in at.markdown]
    assert any(v.startswith("**Financement**\u202f: ") for v in texts), texts
    assert any(v.startswith("**13 déc. 2014**\u202f: ") for v in texts)
    assert not [v for v in texts if re.match(r"\*\*[^*]+\*\*: ", v)]
