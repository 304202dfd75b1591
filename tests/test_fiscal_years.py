"""Money by each partner government's fiscal year, on a hand-computed fixture (EUR):

T1  Thailand 100 %: a budget of 366 EUR for 1 October 2019 to 30 September 2020 (366
    days): one Thai fiscal year, FY2020, all 366; two calendar years, 92 in 2019 (92
    days, October-December) and 274 in 2020.
M1  Myanmar 100 %: a disbursement of 50 EUR on 15 July 2018: Myanmar's interim
    six-month year April-September 2018.
R1  Thailand 50 % / Laos 50 %: a disbursement of 80 EUR on 15 November 2016: 40 in
    the Thai FY2017; 40 in no Lao fiscal year (October-December 2016 is in none).
The activities' dates: T1 its budget's period, M1 April-December 2018, R1 the year 2016.
"""
import datetime as dt
from dataclasses import replace

import pytest

from mekong.reference.fiscal import fiscal_years
from mekong.store.db import Portfolio
from mekong.views import filters as flt
from tests.fixture_db import build_fixture

FACTS = """
INSERT INTO document (document_id, title, publisher, file, language, kind) VALUES ('doc', 'Fixture', 'Tests', 'fixture', 'en', 'seed');
INSERT INTO source VALUES ('src', 'doc', 'fixture passage', NULL);
INSERT INTO organisation (org_id, ref, name_en, name_fr, type, source_id) VALUES ('A', NULL, 'Donor A', NULL, NULL, 'src');
INSERT INTO project (project_id, code, title_en, status, hierarchy, document_id, source_id) VALUES
  ('T1', 'T-1', 'Thai budget', '2', 1, 'doc', 'src'), ('M1', 'M-1', 'Myanmar', '2', 1, 'doc', 'src'),
  ('R1', 'R-1', 'Thai-Lao', '2', 1, 'doc', 'src');
INSERT INTO participation VALUES ('T1', 'A', 'funding', 'src'), ('M1', 'A', 'funding', 'src'), ('R1', 'A', 'funding', 'src');
INSERT INTO project_country VALUES ('T1', 'TH', 100, 'src'), ('M1', 'MM', 100, 'src'), ('R1', 'TH', 50, 'src'),
  ('R1', 'LA', 50, 'src');
INSERT INTO project_date VALUES ('T1', 'planned_start', '2019-10-01', 'day', 'src'), ('T1', 'planned_end', '2020-09-30', 'day', 'src'),
  ('M1', 'planned_start', '2018-04-01', 'day', 'src'), ('M1', 'planned_end', '2018-12-31', 'day', 'src'),
  ('R1', 'planned_start', '2016-01-01', 'day', 'src'), ('R1', 'planned_end', '2016-12-31', 'day', 'src');
INSERT INTO budget (budget_id, project_id, kind, type, contributor_org_id, amount, currency, period_start, period_end, value_date, source_id) VALUES
  ('b1', 'T1', 'budget', 'original', NULL, 366, 'EUR', '2019-10-01', '2020-09-30', '2019-10-01', 'src');
INSERT INTO "transaction" (transaction_id, project_id, type, date, amount, currency, value_date, provider_org_id, source_id) VALUES
  ('t1', 'M1', '3', '2018-07-15', 50, 'EUR', NULL, 'A', 'src'),
  ('t2', 'R1', '3', '2016-11-15', 80, 'EUR', NULL, 'A', 'src');
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return Portfolio(build_fixture(tmp_path_factory.mktemp("fy") / "fy.duckdb", FACTS))


def run(db, name, f, flow):
    return db.frame(name, {**f.params(), "lang": "en", "flow": flow, "today": dt.date(2026, 1, 1)})


def fiscal(db, f, flow):
    df = run(db, "funding_by_fiscal_year", f, flow)
    return {(c if isinstance(c, str) else None, lb if isinstance(lb, str) else None,
             int(y) if y == y and y is not None else None): round(v, 9)
            for c, lb, y, v in zip(df["country"], df["label"], df["year"], df["value"])}


def calendar(db, f, flow):
    df = run(db, "funding_by_year", f, flow)
    return {int(y): round(v, 9) for y, v in zip(df["year"], df["value"]) if y == y}


def test_a_thai_budget_is_one_thai_fiscal_year_and_two_calendar_years(db):
    th = flt.Filters(country=("TH",), yearbasis="fiscal")
    assert calendar(db, th, "budget") == {2019: 92, 2020: 274}
    assert fiscal(db, th, "budget") == {("TH", "FY2020", None): 366}


def test_a_myanmar_transaction_of_july_2018_is_in_the_interim_year(db):
    mm = flt.Filters(country=("MM",), yearbasis="fiscal")
    assert fiscal(db, mm, "disbursement") == {("MM", "FY2018 (Apr–Sep)", None): 50}
    (row,) = run(db, "funding_by_fiscal_year", mm, "disbursement").itertuples()
    assert row.months == 6 and row.start_date == dt.date(2018, 4, 1)


def test_each_country_in_its_own_fiscal_years_and_money_conserved(db):
    every = flt.Filters(yearbasis="fiscal")
    got = fiscal(db, every, "disbursement")
    assert got == {("MM", "FY2018 (Apr–Sep)", None): 50, ("TH", "FY2017", None): 40, ("LA", None, None): 40}
    for f in (every, replace(every, country=("TH",)), replace(every, country=("LA",)),
              replace(every, country=("TH", "LA"))):
        for flow in ("budget", "disbursement"):
            assert sum(fiscal(db, f, flow).values()) == pytest.approx(sum(calendar(db, f, flow).values())), (f, flow)


def test_the_rules_tile_the_years_they_cover():
    fys = fiscal_years()
    th = [f for f in fys if f.country == "TH"]
    assert all(b.start == a.end + dt.timedelta(days=1) for a, b in zip(th, th[1:]))
    mm = {f.label: (f.start, f.end, f.months) for f in fys if f.country == "MM"}
    assert mm["FY2017/18"] == (dt.date(2017, 4, 1), dt.date(2018, 3, 31), 12)
    assert mm["FY2018 (Apr–Sep)"] == (dt.date(2018, 4, 1), dt.date(2018, 9, 30), 6)
    assert mm["FY2018/19"] == (dt.date(2018, 10, 1), dt.date(2019, 9, 30), 12)
    assert mm["FY2021/22 (Oct–Mar)"] == (dt.date(2021, 10, 1), dt.date(2022, 3, 31), 6)
    assert mm["FY2022/23"] == (dt.date(2022, 4, 1), dt.date(2023, 3, 31), 12)
    la = {f.label: (f.start, f.end) for f in fys if f.country == "LA"}
    assert la["FY2015/16"] == (dt.date(2015, 10, 1), dt.date(2016, 9, 30))
    assert la["FY2017"] == (dt.date(2017, 1, 1), dt.date(2017, 12, 31))
    assert all(f.source for f in fys)


def test_url_round_trip_of_the_year_basis():
    f, ignored = flt.from_query({"yearbasis": ["fiscal"]}, flt.Options())
    assert f.yearbasis == "fiscal" and not ignored
    assert flt.from_query({}, flt.Options())[0].yearbasis == "calendar"
    f, ignored = flt.from_query({"yearbasis": ["lunar"]}, flt.Options())
    assert f.yearbasis == "calendar" and [(i.param, i.value) for i in ignored] == [("yearbasis", "lunar")]

def _total(db, f, flow):
    t = run(db, "flow_total", f, flow).iloc[0].total
    return 0.0 if t is None or t != t else round(float(t), 9)


def test_the_year_filter_in_thai_fiscal_years(db):
    """FY2020 alone (years=2020&years=2020 under yearbasis=fiscal) selects all of the Thai budget
    of October 2019 to September 2020; calendar 2019 alone selects its 92 days of 366
    (92 EUR, about 1/4); Thai FY2019 (October 2018 to September 2019) none of it."""
    th = flt.Filters(country=("TH",), yearbasis="fiscal")
    fy2020 = replace(th, year_from=2020, year_to=2020)
    assert fiscal(db, fy2020, "budget") == {("TH", "FY2020", None): 366}
    assert _total(db, fy2020, "budget") == 366
    assert calendar(db, fy2020, "budget") == {2019: 92, 2020: 274}   # the same money by calendar year
    cal2019 = replace(th, yearbasis="calendar", year_from=2019, year_to=2019)
    assert _total(db, cal2019, "budget") == 92 and calendar(db, cal2019, "budget") == {2019: 92}
    fy2019 = replace(th, year_from=2019, year_to=2019)
    assert _total(db, fy2019, "budget") == 0 and fiscal(db, fy2019, "budget") == {}


def test_the_year_filter_in_myanmar_fiscal_years(db):
    """July 2018 is in Myanmar's interim year FY2018 (Apr–Sep), selected by 2018; 2017
    (FY2017/18, April 2017 to March 2018) holds none of it."""
    mm = flt.Filters(country=("MM",), yearbasis="fiscal")
    got = replace(mm, year_from=2018, year_to=2018)
    assert fiscal(db, got, "disbursement") == {("MM", "FY2018 (Apr–Sep)", None): 50}
    assert _total(db, got, "disbursement") == 50
    assert _total(db, replace(mm, year_from=2017, year_to=2017), "disbursement") == 0


def test_the_year_filter_with_several_countries_in_fiscal_years(db):
    """Each country's money in its own fiscal years whose label begins with a year in the
    range: 2017 selects R1's Thai half (FY2017, October 2016 to September 2017), not its
    Lao half (October-December 2016 is in no Lao fiscal year), nor M1 (Myanmar, 2018)."""
    every = flt.Filters(yearbasis="fiscal", year_from=2017, year_to=2017)
    assert fiscal(db, every, "disbursement") == {("TH", "FY2017", None): 40}
    assert _total(db, every, "disbursement") == 40
    assert calendar(db, every, "disbursement") == {2016: 40}
    # by calendar years 2016 holds all of R1
    assert _total(db, replace(every, yearbasis="calendar", year_from=2016, year_to=2016), "disbursement") == 80
    both = replace(every, year_from=2016, year_to=2018)
    assert _total(db, both, "disbursement") == 90 == sum(fiscal(db, both, "disbursement").values())


def test_the_command_line_totals_by_fiscal_year(db):
    from mekong.exports.totals import totals
    got = totals(db, "country=TH&yearbasis=fiscal", by="year")
    assert [(b["key"], b["label"], b["amount"], b["activities"]) for b in got["buckets"]] == [("TH:FY2020", "FY2020", 366.0, 1)]
    assert [(b["key"], b["amount"]) for b in totals(db, "country=TH", by="year")["buckets"]] == [("2019", 92.0), ("2020", 274.0)]
    got = totals(db, "yearbasis=fiscal&flow=disbursement", by="year")
    assert {b["key"]: b["amount"] for b in got["buckets"]} == {
        "MM:FY2018 (Apr–Sep)": 50.0, "TH:FY2017": 40.0, "LA:~no_fiscal_year": 40.0}
    assert sum(b["amount"] for b in got["buckets"]) == got["total"] == 130.0
    # the year filter in fiscal years: the total and every breakdown follow it
    got = totals(db, "country=TH&yearbasis=fiscal&years=2020&years=2020", by="year")
    assert [(b["key"], b["amount"]) for b in got["buckets"]] == [("TH:FY2020", 366.0)] and got["total"] == 366.0
    assert totals(db, "country=TH&years=2019&years=2019", by="year")["total"] == 92.0
    for by in ("donor", "country", "year"):
        got = totals(db, "yearbasis=fiscal&flow=disbursement&years=2017&years=2017", by=by)
        assert got["total"] == 40.0 and sum(b["amount"] for b in got["buckets"]) == 40.0, by


def test_the_fiscal_panel_labels_the_interim_year_and_the_countries(db):
    from mekong.views import i18n, panels
    f = flt.Filters(yearbasis="fiscal")
    def t(key, **kw):
        return i18n.text(key, "en", **kw)
    def q(name, **extra):
        return run(db, name, f, extra.get("flow", "budget"))
    p = panels.by_year(t, q, f, "en", "disbursement")
    assert list(p.table["Fiscal year"]) == ["LA: in no known fiscal year", "MM FY2018 (Apr–Sep) (6 months)", "TH FY2017"]
    bar = p.figure.data[0]
    assert list(bar.width) == [0.8, 0.4, 0.8]


def test_slides_follow_the_year_basis(db):
    from mekong.exports.slides import build_deck
    from mekong.exports.view import view_from_query
    from tests.test_slides import charts, texts, titles
    deck = build_deck(db, view_from_query(db, "country=TH&yearbasis=fiscal", "en", pages=("funding",)))
    assert "Budgets by fiscal year" in titles(deck)
    slide = deck.slides[titles(deck).index("Budgets by fiscal year")]
    chart = charts(slide)[0]
    assert dict(zip(chart.plots[0].categories, chart.series[0].values)) == {"FY2020": 366}
    assert "Fiscal years of the partner governments" in texts(deck.slides[0])


def test_slides_and_their_filters_line_follow_the_fiscal_year_filter(db):
    from mekong.exports.slides import build_deck
    from mekong.exports.view import view_from_query
    from mekong.views import describe, i18n
    from tests.test_slides import charts, texts, titles
    view = view_from_query(db, "country=TH&yearbasis=fiscal&years=2020&years=2020", "en", pages=("funding",))
    assert (view.filters.year_from, view.filters.year_to, view.filters.yearbasis) == (2020, 2020, "fiscal")
    deck = build_deck(db, view)
    slide = deck.slides[titles(deck).index("Budgets by fiscal year")]
    chart = charts(slide)[0]
    assert dict(zip(chart.plots[0].categories, chart.series[0].values)) == {"FY2020": 366}
    line = describe.filters_line(view.filters, {"country": {"TH": "Thailand"}}, lambda k, **kw: i18n.text(k, "en", **kw))
    assert "Fiscal years: FY2020–FY2020" in line
    assert "Fiscal years: FY2020–FY2020" in texts(deck.slides[0])
