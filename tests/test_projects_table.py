"""The projects table: columns that sort by amount and by time, cells written for the
page's language at the precision each date is known, and what Streamlit is sent of it."""
import datetime as dt

import pandas as pd
import pyarrow as pa
from streamlit.elements.lib.pandas_styler_utils import marshall_styler
from streamlit.proto.ArrowData_pb2 import ArrowData

from mekong.app.cell_text import cell_text
from mekong.views import i18n, projects_table


def _rows() -> pd.DataFrame:
    return pd.DataFrame({
        "project_id": ["a", "b", "c", "d"],
        "code": ["LAO/021", None, "X-1", ""],
        "title": ["Livelihoods", "Heritage", "X-1 water", "Roads"],
        "status": ["Closed", None, "Implementation", "Pipeline"],
        "countries": ["Laos", "Cambodia", None, "Viet Nam"],
        "funders": ["Luxembourg", None, "AFD", "ADB"],
        "start_date": [dt.date(2009, 10, 1), dt.date(2019, 1, 1), None, dt.date(2014, 4, 1)],
        "start_precision": ["month", "year", None, "month"],
        "end_date": [dt.date(2016, 6, 30), None, None, dt.date(2020, 12, 31)],
        "end_precision": ["day", None, None, "day"],
        "budget": [8_200_000.4, 0.0, None, 1_500.0],
        "budget_approximate": [False, False, False, True],
        "budget_disclosed": [True, True, False, True],
    })


def _t(lang):
    return lambda key, **values: i18n.text(key, lang, **values)


def test_values_sort_and_cells_read():
    table = projects_table.build(_rows(), _t("fr"), "fr", "EUR")
    v = table.values
    start, end = table.dates
    assert list(v.columns[:5]) == ["Titre", table.budget, "Note", start, end]
    assert v[table.budget].dtype == "float64" and str(v[start].dtype) == "date32[day][pyarrow]"
    assert v[table.budget].tolist()[0] == 8_200_000.4 and v[table.budget].isna().tolist() == [False, True, True, False]
    # sorted by time, not by text ('2019' < 'avr. 2014' < 'oct. 2009' as text)
    assert v.sort_values(start)["Titre"].tolist()[:3] == [
        "LAO/021 · Livelihoods", "Roads", "Heritage"]
    assert table.shown[start] == ["oct. 2009", "2019", "", "avr. 2014"]
    assert table.shown[end] == ["30 juin 2016", "", "", "31 déc. 2020"]
    assert table.shown[table.budget] == ["8\u202f200\u202f000", "", "", "1\u202f500"]
    assert v["Note"].tolist()[1] != "" and v["Note"].tolist()[3] == "~" and v["Note"].tolist()[0] == ""  # a stated 0 is named
    assert v["Titre"].tolist()[2] == "X-1 water"  # the code is not repeated


def test_streamlit_gets_the_values_and_the_text():
    table = projects_table.build(_rows(), _t("en"), "en", "EUR")
    proto = ArrowData()
    marshall_styler(proto, cell_text(table.values, table.shown), "t")
    shown = pa.ipc.open_stream(proto.styler.display_values).read_all().to_pandas()
    start = table.dates[0]
    assert shown[start].tolist() == ["Oct 2009", "2019", "", "Apr 2014"]
    assert shown[table.budget].tolist() == ["8,200,000", "", "", "1,500"]
    assert shown["Countries"].tolist() == ["Laos", "Cambodia", "", "Viet Nam"]  # missing: empty, not "None"
    assert shown["Title"].tolist()[0] == "LAO/021 · Livelihoods"


def test_a_missing_value_is_an_empty_cell():
    proto = ArrowData()
    marshall_styler(proto, cell_text(pd.DataFrame({"a": [1.5, None], "b": ["x", None]}), {}), "t")
    shown = pa.ipc.open_stream(proto.styler.display_values).read_all().to_pandas()
    assert shown["a"].tolist() == ["1.5", ""] and shown["b"].tolist() == ["x", ""]
