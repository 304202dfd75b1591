"""Every query in queries/ against the fixture portfolio of tests/fixture_db.py, with
answers computed by hand there (co-funders, sector and country percentages, original
plus revised budgets, mixed currencies)."""
import datetime as dt

import pytest

from mekong.store.db import Portfolio
from mekong.store.sqlfiles import all_queries
from mekong.views import breakdowns
from mekong.views.filters import Filters
from tests.fixture_db import USD_PER_EUR_2020_06_15, build_fixture

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return Portfolio(build_fixture(tmp_path_factory.mktemp("fixture") / "fixture.duckdb"))


def run(db, name, filters=None, **extra):
    params = {**(filters or Filters()).params(), "lang": "en", "today": TODAY, "q": "", "limit": 1000,
              "flow": "budget", "project_id": "P2", "check": None, "document_id": None,
              "parts": ["donor", "sector", "country", "province", "treemap", "sankey"], "drawn": [], "max_points": 2000,
              **breakdowns.LIMITS, **extra}
    return db.frame(name, params)


def part(db, name, filters=None, **extra):
    """One breakdown of funding_breakdowns.sql, counted alone."""
    return breakdowns.breakdown(lambda n, **e: run(db, n, filters, **{**extra, **e}), extra.get("flow", "budget"), name)


def none(v):
    """pandas shows SQL NULL as None or NaN; the tests compare with None."""
    return None if v is None or v != v else v


def rows_of(df):
    """A breakdown's rows as tuples, amounts rounded to a millionth (sums in another order differ in the last digits)."""
    return [tuple(round(v, 6) if isinstance(v, float) and v == v else none(v) for v in row)
            for row in df.itertuples(index=False)]


def as_dict(df, key, value="value"):
    d = {none(k): round(v, 6) for k, v in zip(df[key], df[value])}
    assert len(d) == len(df), f"duplicate keys in {key}"
    return d


@pytest.mark.parametrize("name", all_queries())
def test_every_query_runs(db, name):
    run(db, name)


def test_headline(db):
    h = run(db, "overview_headline").iloc[0]
    # P1 600 + 400, P2 1200 (revised, not + 1000) + 500, P3 1125.30 USD = 1000 EUR; LAK not added
    assert h.total == pytest.approx(1000 + 1700 + 1000)
    assert h.n_projects == 4
    assert h.n_with_budget == 3
    assert h.n_active == 1          # P3 (status 2, no end); P1 is status 2 but its end (2021) has passed
    assert h.n_donors == 2
    assert h.n_countries == 4       # LA, KH, VN, TH
    assert h.n_provinces == 1


def test_headline_with_filters(db):
    assert run(db, "overview_headline", Filters(country=("KH",))).iloc[0].total == pytest.approx(850)
    assert run(db, "overview_headline", Filters(sector=("11110",))).iloc[0].total == pytest.approx(600)
    assert run(db, "overview_headline", Filters(category=("121",))).iloc[0].total == pytest.approx(400)
    # donor B: only its stated 400 of P1; P3's shared money is left to money_gaps
    assert run(db, "overview_headline", Filters(donor=("B",))).iloc[0].total == pytest.approx(400)
    # 2021 only: P1 365/731 of 1000, P2's 2021 budget 500
    assert run(db, "overview_headline", Filters(year_from=2021, year_to=2021)).iloc[0].total == pytest.approx(
        1000 * 365 / 731 + 500)


def test_headline_in_usd(db):
    h = run(db, "overview_headline", Filters(country=("TH",), currency="USD")).iloc[0]
    assert h.total == pytest.approx(1125.30)


def test_by_donor_never_divides_co_funding(db):
    d = as_dict(part(db, "donor"), "key")
    assert d == {"A": 600 + 1700, "B": 400, "~several funders": 1000}


def test_by_sector_splits_by_percentage(db):
    df = part(db, "sector")
    d = {(c if none(s) is None else s): round(v, 6) for c, s, v in zip(df["category"], df["sector"], df["value"])}
    assert d == {"11110": 600, "12110": 400, "43040": 1700, "~not_stated": 1000}


def test_by_sector_with_sector_filter(db):
    df = part(db, "sector", Filters(sector=("11110",)))
    assert as_dict(df, "sector") == {"11110": 600}


def test_by_country_splits_by_percentage(db):
    assert as_dict(part(db, "country"), "key") == {"LA": 1000, "KH": 850, "VN": 850, "TH": 1000}


def test_by_province_equal_split_and_national_bucket(db):
    d = as_dict(part(db, "province"), "key")
    # P2's Cambodian half sits in its one Cambodian province; everything else names no province
    assert d == {"KH-12": 850, "~national": 1000 + 850 + 1000}


def test_by_year_spreads_by_days(db):
    d = as_dict(run(db, "funding_by_year"), "year")
    assert d[2020] == pytest.approx(round(1000 * 366 / 731 + 1200 + 1000, 6))
    assert d[2021] == pytest.approx(round(1000 * 365 / 731 + 500, 6))
    assert sum(d.values()) == pytest.approx(3700)


def test_money_gaps(db):
    gaps = {(r.reason, none(r.currency)): (r.amount, r.n_projects) for r in run(db, "money_gaps").itertuples()}
    assert gaps[("not_converted", "LAK")] == (5_000_000, 1)
    assert gaps[("no_amount", None)][1] == 1  # P4 has no budget
    donor_b = {r.reason: r.amount for r in run(db, "money_gaps", Filters(donor=("B",))).itertuples()}
    assert donor_b["donor_share_unknown"] == pytest.approx(1000)


def test_transaction_flows(db):
    assert set(run(db, "funding_flows")["flow"]) == {"budget", "commitment", "disbursement"}
    assert as_dict(part(db, "country", flow="commitment"), "key") == {"region:99:MEKONG": 300}
    assert as_dict(part(db, "donor", flow="disbursement"), "key") == {"A": 100}
    assert as_dict(run(db, "funding_by_year", flow="commitment"), "year") == {2021: 300}


def test_treemap_and_sankey(db):
    tm = part(db, "treemap")
    assert {(k, none(s)): round(v, 6) for k, s, v in zip(tm["donor_key"], tm["sector"], tm["value"])} == {
        ("A", "11110"): 360, ("A", "12110"): 240, ("B", "11110"): 240, ("B", "12110"): 160,
        ("A", "43040"): 1700, ("~several funders", None): 1000}
    sk = part(db, "sankey")
    flows = {(d, i, c): round(v, 6) for d, i, c, v in zip(sk["donor_key"], sk["implementer_key"], sk["country_key"], sk["value"])}
    assert flows == {("A", "X", "LA"): 600, ("B", "X", "LA"): 400, ("A", "~several", "KH"): 850,
                     ("A", "~several", "VN"): 850, ("~several funders", "~none", "TH"): 1000}



def test_treemap_and_sankey_group_what_they_cannot_draw(db):
    """Past the limits, the query keeps the largest and groups the rest as '~other', and
    every breakdown still adds up to 3,700 (as test_treemap_and_sankey's rows)."""
    tm = run(db, "funding_breakdowns", parts=["treemap"], treemap_leaves=2)
    tm = tm[tm["part"] == "treemap"]
    # 6 cells: the 2 largest stay (A 43040, the several-funders bucket); the other 4 are
    # one cell per donor: A 360 + 240, B 240 + 160
    assert {(k, c): round(v, 6) for k, c, v in zip(tm["donor_key"], tm["category"], tm["value"])} == {
        ("A", "430"): 1700, ("~several funders", "~not_stated"): 1000, ("A", "~other"): 600, ("B", "~other"): 400}
    sk = run(db, "funding_breakdowns", parts=["sankey"], sankey_nodes=2)
    sk = sk[sk["part"] == "sankey"]
    # per stage the largest node stays: donor A (2,300), implementer ~several (1,700),
    # country LA (1,000, before TH's 1,000 by key)
    flows = {(d, i, c): round(v, 6) for d, i, c, v in zip(sk["donor_key"], sk["implementer_key"], sk["country_key"], sk["value"])}
    assert flows == {("A", "~other", "LA"): 600, ("~other", "~other", "LA"): 400, ("A", "~several", "~other"): 1700,
                     ("~other", "~other", "~other"): 1000}


@pytest.mark.parametrize("filters", [Filters(), Filters(country=("KH",)), Filters(sector=("11110",)),
                                     Filters(donor=("B",)), Filters(province=("KH-12",))],
                         ids=["none", "country", "sector", "donor", "province"])
def test_a_breakdown_alone_is_the_same_as_beside_the_funders(db, filters):
    """With no breakdown by funder asked (the map asks for provinces and national money),
    the query sums each activity's money straight from the rows, not per funder first:
    the same rows as on the funding page, which asks for all of them."""
    together = run(db, "funding_breakdowns", filters, parts=[*breakdowns.FUNDING, "national"])
    for name in ("sector", "country", "province", "national"):
        alone, beside = part(db, name, filters), breakdowns.part(together, name)
        assert not alone.empty or (name == "national" and filters != Filters())  # LA, TH, VN with none
        assert rows_of(alone) == rows_of(beside), name


def test_filter_options(db):
    opts = run(db, "filter_options")
    by_dim = {d: set(g["value"]) for d, g in opts.groupby("dimension")}
    assert by_dim["donor"] == {"A", "B"}
    assert by_dim["implementer"] == {"X", "Y"}
    assert by_dim["country"] == {"LA", "KH", "VN", "TH"}
    assert by_dim["province"] == {"KH-12"}
    assert by_dim["status"] == {"2", "4", "none"}
    assert by_dim["sector"] == {"11110", "12110", "43040"}
    assert by_dim["year"] == {"2020", "2021", "2026"}  # P3 has no end: runs to this year


def test_timeline(db):
    tl = run(db, "timeline_projects")
    assert list(tl["project_id"][:3]) == ["P1", "P2", "P3"] and tl["start_date"].isna().sum() == 1
    p1 = tl.set_index("project_id").loc["P1"]
    assert bool(p1.start_actual) and not bool(p1.end_actual)  # planned end
    assert run(db, "timeline_events")["title"].tolist() == ["Launch"]
    assert run(db, "timeline_events", Filters(year_from=2021, year_to=2021)).empty


def test_year_filter_keeps_running_and_drops_undated(db):
    ids = set(run(db, "projects_list", Filters(year_from=2025, year_to=2026))["project_id"])
    assert ids == {"P3"}  # started 2020, no end date; P4 has no dates


def test_projects_list_search_and_budget(db):
    rows = run(db, "projects_list").set_index("project_id")
    assert rows.loc["P2", "budget"] == pytest.approx(1700)
    assert rows.loc["P3", "budget"] != rows.loc["P3", "budget"]  # NaN: the LAK part is not converted
    assert not rows.loc["P4", "budget_disclosed"]
    assert set(run(db, "projects_list", q="ROADS")["project_id"]) == {"P2"}
    assert set(run(db, "projects_list", q="donor b")["project_id"]) == {"P1", "P3"}
    assert set(run(db, "projects_list", q="%")["project_id"]) == set()  # a literal %, not a wildcard hit


def test_project_pages(db):
    b = run(db, "project_budgets", project_id="P2").set_index("budget_id")
    assert not b.loc["b2o", "counted"] and b.loc["b2r", "counted"] and b.loc["b2n", "counted"]
    # curated data reads codes in the current (2.0x) names: status 4 is "Closed"
    assert run(db, "project_detail", project_id="P2").iloc[0].status_label == "Closed"
    assert set(run(db, "project_partners", project_id="P2")["org_id"]) == {"A", "X", "Y"}
    assert set(run(db, "project_places", project_id="P2")["code"]) == {"KH", "VN", "L1"}
    assert run(db, "project_sectors", project_id="P1")["percentage"].tolist() == [60, 40]
    assert run(db, "project_transactions", project_id="P4")["amount"].tolist() == [100, 300]
    assert run(db, "project_events", project_id="P1")["title"].tolist() == ["Launch"]
    assert run(db, "project_dates", project_id="P1")["type"].tolist() == ["actual_start", "planned_end"]
    assert run(db, "project_parts", project_id="P1").empty
    src = run(db, "project_sources", project_id="P2")
    assert src["passage"].tolist() == ["fixture passage"]
    assert "budgets" in src["facts"][0] and "places" in src["facts"][0]
    assert run(db, "data_documents")["n_projects"].tolist() == [4]


def test_usd_of_an_eur_amount_uses_the_value_date_rate(db):
    b = run(db, "project_budgets", project_id="P2", currency="USD").set_index("budget_id")
    assert b.loc["b2r", "value"] == pytest.approx(1200 * USD_PER_EUR_2020_06_15)


def test_a_province_counts_its_activity_once_when_a_place_names_another_country(tmp_path):
    """The country of a province is the one its ISO code names: a second place in KH-12
    that says it is in Viet Nam does not make P2 count twice in Phnom Penh (the province
    query counts rows as activities)."""
    import duckdb

    from mekong.store.derive import derive

    path = build_fixture(tmp_path / "fixture.duckdb")
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO location VALUES ('L2', 'Phnom Penh market', 'point', 'VN', 'KH-12', 11.57, 104.93, NULL, 'src')")
    con.execute("INSERT INTO project_location VALUES ('P2', 'L2', NULL, 'src')")
    derive(con)
    con.close()
    by_province = part(Portfolio(path), "province").set_index("key")
    assert by_province.loc["KH-12", "n_projects"] == 1
    assert by_province.loc["KH-12", "value"] == pytest.approx(850)


def test_grouped_cells_and_nodes_are_drawn_as_others(db, monkeypatch):
    """The panels draw what the query grouped as one "Others" cell or node, and say so."""
    from mekong.views import i18n, panels

    monkeypatch.setitem(breakdowns.LIMITS, "treemap_leaves", 2)
    monkeypatch.setitem(breakdowns.LIMITS, "sankey_nodes", 2)
    t = lambda key, **v: i18n.text(key, "en", **v)  # noqa: E731
    q = lambda name, **extra: run(db, name, **extra)  # noqa: E731
    tm = panels.donor_sector_treemap(t, q, Filters(), "en", "budget")
    leaves = {lab for lab, parent in zip(tm.figure.data[0].labels, tm.figure.data[0].parents) if parent.count("/") == 2}
    assert "Others" in leaves and t("panels.grouped_small") in tm.caption
    assert round(tm.figure.data[0].values[0], 6) == 3700  # the root: all of it
    sk = panels.donor_implementer_country_sankey(t, q, Filters(), "en", "budget")
    assert list(sk.figure.data[0].node.label).count("Others") == 3 and t("panels.grouped_small") in sk.caption
    assert round(sum(sk.figure.data[0].link.value) / 2, 6) == 3700  # two stages of links, each all of it
