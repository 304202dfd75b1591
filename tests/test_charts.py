"""The pure figure builders of mekong/views/charts.py: what they draw from a small frame."""
import datetime as dt

import pandas as pd

from mekong.views import charts


def donors() -> pd.DataFrame:
    return pd.DataFrame({
        "name": ["Gouvernement luxembourgeois", "Plusieurs bailleurs (répartition non indiquée)", "AIMF"],
        "value": [7_600_000.0, 1_250_000.0, 600_000.0],
        "bucket": [False, True, False],
    })


def test_bars_largest_on_top_with_values_written_short_and_in_full_on_hover():
    bar = charts.bar_h(donors(), "name", "value", "EUR", "fr", bucket_col="bucket").data[0]
    # plotly draws the first row at the bottom: the largest comes last
    assert list(bar.x) == [600_000.0, 1_250_000.0, 7_600_000.0]
    assert list(bar.text) == ["600\u00a0k\u00a0EUR", "1,2\u00a0M\u00a0EUR", "7,6\u00a0M\u00a0EUR"]
    assert bar.hovertext[2] == "Gouvernement luxembourgeois<br>7\u202f600\u202f000\u00a0EUR"
    assert list(bar.marker.color) == [charts.PALETTE[0], charts.BUCKET_COLOR, charts.PALETTE[0]]


def test_long_names_take_two_lines_at_most_and_keep_their_full_name():
    fig = charts.bar_h(donors(), "name", "value", "EUR", "fr")
    names, ticks = list(fig.layout.yaxis.tickvals), list(fig.layout.yaxis.ticktext)
    assert names == ["AIMF", "Plusieurs bailleurs (répartition non indiquée)", "Gouvernement luxembourgeois"]
    assert ticks == ["AIMF", "Plusieurs bailleurs<br>(répartition non indiquée)", "Gouvernement luxembourgeois"]
    very_long = "Ministry of Planning and Investment of the Lao People's Democratic Republic, Vientiane"
    lines = charts._two_lines(very_long).split("<br>")
    assert len(lines) == 2 and lines[1].endswith("…") and all(len(line) <= 28 for line in lines)


def test_year_bars_leave_out_money_without_a_year():
    df = pd.DataFrame({"year": [2014, None, 2015], "value": [100.0, 50.0, 200.0]})
    bar = charts.year_bars(df, "EUR", "en").data[0]
    assert list(bar.x) == [2014, 2015] and list(bar.y) == [100.0, 200.0]


def test_money_axes_read_milliards_in_the_readers_language():
    """Plotly's "~s" writes 1.2e9 as "1.2G": the ticks are written by the builder, "Md" in
    French and "B" in English, few enough for a chart half the page wide."""
    df = pd.DataFrame({"year": [2019, 2020, 2021], "value": [300_000_000.0, 1_200_000_000.0, 900_000_000.0]})
    fr, en = charts.year_bars(df, "EUR", "fr").layout.yaxis, charts.year_bars(df, "EUR", "en").layout.yaxis
    assert list(fr.tickvals) == list(en.tickvals) == [0, 500_000_000, 1_000_000_000]
    assert list(fr.ticktext) == ["0", "500\u00a0M", "1\u00a0Md"]
    assert list(en.ticktext) == ["0", "500M", "1B"]
    assert fr.tickformat is None and fr.range[1] >= 1_200_000_000  # the highest bar is whole
    bars = charts.bar_h(donors(), "name", "value", "EUR", "fr").layout.xaxis
    assert list(bars.ticktext) == ["0", "5\u00a0M"] and bars.range[1] >= 7_600_000  # three ticks at most
    # half steps where they are round: 2.5 written whole, not rounded to "2,5" of a "2,25"
    assert charts.money_axis([9_000_000], "fr")["ticktext"] == ["0", "2,5\u00a0M", "5\u00a0M", "7,5\u00a0M"]
    assert charts.money_axis([1_000_000], "en")["ticktext"] == ["0", "250K", "500K", "750K", "1M"]
    assert charts.money_axis([], "en")["tickvals"] == [0]
    neg = charts.money_axis([-400_000, 2_000_000], "en")
    assert neg["ticktext"] == ["0", "1M", "2M"] and neg["range"][0] < -400_000


def test_years_are_ticked_one_a_year_only_while_they_fit():
    few = charts.year_bars(pd.DataFrame({"year": range(2015, 2023), "value": 1.0}), "EUR", "en")
    many = charts.year_bars(pd.DataFrame({"year": range(2007, 2027), "value": 1.0}), "EUR", "en")
    assert few.layout.xaxis.dtick == 1 and many.layout.xaxis.dtick is None and many.layout.xaxis.nticks <= 10


def test_gantt_tells_actual_planned_and_open_ended_activities_apart():
    df = pd.DataFrame({
        "project_id": ["a", "b", "c", "d"],
        "title": ["Actual", "Planned end", "No end date", "No start date"],
        "start_date": [dt.date(2010, 1, 1), dt.date(2012, 1, 1), dt.date(2020, 1, 1), None],
        "end_date": [dt.date(2016, 9, 30), dt.date(2018, 1, 1), None, dt.date(2019, 1, 1)],
        "start_actual": [True, True, True, False], "end_actual": [True, False, False, False],
        "start_precision": ["day"] * 4, "end_precision": ["day"] * 4,
    })
    labels = {"actual": "actual", "planned": "planned", "open": "open", "events": "events"}
    fig = charts.gantt(df, "en", dt.date(2026, 6, 30), labels)
    by_kind = {trace.name: list(trace.y) for trace in fig.data}
    assert by_kind == {"actual": ["Actual"], "planned": ["Planned end"], "open": ["No end date"]}
    open_bar = next(tr for tr in fig.data if tr.name == "open")
    # an activity with no end date runs to today (and one day more: the end is inclusive)
    days = open_bar.x[0] / 86_400_000
    assert days == (dt.date(2026, 6, 30) - dt.date(2020, 1, 1)).days + 1


def test_a_sankey_node_cut_short_gives_its_whole_name_on_hover():
    name = "Bolikhamxay Province, Planning and Investment Department"
    df = pd.DataFrame({"donor": ["lu"], "donor_name": ["Government of Luxembourg"], "impl": ["bl"],
                       "impl_name": [name], "value": [8_200_000.0]})
    node = charts.sankey(df, [("donor", "donor_name"), ("impl", "impl_name")], "value", "EUR", "en").data[0].node
    assert list(node.label) == ["Government of Luxembourg", name[:38] + "…"]
    assert list(node.customdata) == ["Government of Luxembourg", name] and "%{customdata}" in node.hovertemplate


def test_every_chart_carries_plotly_white_for_what_it_draws_and_nothing_else(seed_db):
    """The charts' template is plotly_white cut to the traces they draw: a chart with a
    trace of another kind would lose plotly_white's look for it without a word."""
    import plotly.io as pio

    from mekong.store.db import Portfolio
    from mekong.views import i18n, panels
    from mekong.views.filters import Filters

    db, f = Portfolio(seed_db), Filters()

    def q(name, **extra):
        return db.frame(name, {**f.params(), "lang": "en", "today": dt.date(2026, 12, 1), "q": "", "limit": 5000, **extra})

    def t(key, **values):
        return i18n.text(key, "en", **values)

    built = (panels.funding(t, q, f, "en", "budget") + panels.overview_charts(t, q, f, "en")
             + panels.timeline(t, q, f, "en", dt.date(2026, 12, 1)))
    figures = [p.figure for p in built if p.figure is not None]
    assert len(figures) >= 8
    white = pio.templates["plotly_white"]
    drawn = set()
    for fig in figures:
        template = fig.layout.template
        drawn |= {trace.type for trace in fig.data}
        for name in charts.TRACE_TYPES:
            assert getattr(template.data, name) == getattr(white.data, name)
        assert template.layout.xaxis == white.layout.xaxis and template.layout.colorway == white.layout.colorway
        assert template.layout.geo.to_plotly_json() == {} and template.data.pie == ()
    assert drawn <= set(charts.TRACE_TYPES) and {"bar", "treemap", "sankey"} <= drawn
