"""Charts that plotly.js would animate on a filter change are drawn anew (issue 22)."""
import pandas as pd

from mekong.app.widgets import chart_key
from mekong.views.panels import Panel


def test_the_sankey_gets_a_new_element_when_its_data_changes():
    a = Panel("sankey", "t", None, table=pd.DataFrame({"donor": ["A"], "EUR": [1.0]}))
    b = Panel("sankey", "t", None, table=pd.DataFrame({"donor": ["A"], "EUR": [2.0]}))
    assert chart_key("chart", a) != chart_key("chart", b)
    assert chart_key("chart", a) == chart_key("chart", Panel("sankey", "x", None, table=a.table.copy()))
    assert chart_key("chart", a).startswith("chart-sankey-")


def test_other_charts_keep_their_element_and_update_in_place():
    a = Panel("by-donor", "t", None, table=pd.DataFrame({"donor": ["A"], "EUR": [1.0]}))
    b = Panel("by-donor", "t", None, table=pd.DataFrame({"donor": ["B"], "EUR": [2.0]}))
    assert chart_key("chart", a) == chart_key("chart", b) == "chart-by-donor"
    assert chart_key("present", Panel("sankey", "t", None)) == "present-sankey"
