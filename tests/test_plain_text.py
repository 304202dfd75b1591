"""Values from a link or a file are shown as plain text: fmt.md for Markdown (Streamlit's
messages, captions, buttons), fmt.html_text for plotly's labels and hover texts."""
import datetime as dt

import pandas as pd

from mekong.views import charts, fmt

LINK = "<a href='http://evil.example/a'>x</a>"


def test_md_leaves_nothing_live():
    out = fmt.md("![x](http://e.x/i.png) [in](http://e.x) :material/skull: $x$ **b** <i> &amp; www.e.x a@b.c\nnext")
    for live in ("![", "](", ":material/", "**", "<i>", "$x$", "http://", "www.", "a@b"):
        assert live not in out, live
    assert "\\&amp;" in out  # an entity stays as written
    assert "\n" not in out
    # the reader sees the text as written: escapes and word joiners only
    assert out.replace("\\", "").replace("\u2060", "") == (
        "![x](http://e.x/i.png) [in](http://e.x) :material/skull: $x$ **b** <i> &amp; www.e.x a@b.c next")


def test_html_text():
    assert fmt.html_text("<b>A & B</b>") == "&lt;b&gt;A &amp; B&lt;/b&gt;"


def _strings(fig) -> str:
    return repr(fig.to_plotly_json())


def test_chart_labels_and_hover_texts_are_escaped():
    df = pd.DataFrame({"name": [LINK, "Plain"], "value": [3.0, 1.0], "k2": ["a", "b"], "n2": [LINK, "c"]})
    figures = [
        charts.bar_h(df, "name", "value", "EUR", "en"),
        charts.treemap(df, ["name", "n2"], "value", "EUR", "en", root=LINK),
        charts.sankey(df.assign(k1=["1", "2"]), [("k1", "name"), ("k2", "n2")], "value", "EUR", "en"),
        charts.gantt(pd.DataFrame({"project_id": ["p"], "title": [LINK], "start_date": [dt.date(2020, 1, 1)],
                                   "end_date": [dt.date(2021, 1, 1)], "start_actual": [True], "end_actual": [True],
                                   "start_precision": ["day"], "end_precision": ["day"]}),
                     "en", dt.date(2026, 1, 1), {"actual": "a", "planned": "p", "open": "o", "events": "e"},
                     events=pd.DataFrame({"start_date": [dt.date(2020, 6, 1)], "title": [LINK], "precision": ["day"]})),
    ]
    for fig in figures:
        text = _strings(fig)
        assert "<a href" not in text and "&lt;a href" in text, type(fig.data[0]).__name__
