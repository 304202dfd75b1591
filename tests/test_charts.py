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
