"""A table for st.dataframe whose cells show given text while the columns keep their
values (numbers sort by amount, dates by time).

Streamlit shows a pandas Styler's display values in the grid and keeps the data for
sorting. But pandas builds the HTML of every cell of a Styler (classes, attributes,
formatting), which Streamlit then throws away: a quarter of a second for a table of
5,000 activities at every rerun. Streamlit reads only `_compute()` and the display values
of `_translate()` (streamlit/elements/lib/pandas_styler_utils.py), so this Styler gives
just those: the text of the shown columns, and "" for a missing value elsewhere.
"""
import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler


def cell_text(data: pd.DataFrame, shown: dict[str, list[str]]) -> Styler:
    """A Styler of `data` (Streamlit checks the exact class, so not a subclass: its two
    methods are replaced on the object) whose cells show `shown` {column: text of each cell}."""
    unknown = set(shown) - set(data.columns)
    if unknown:
        raise KeyError(f"no such column: {sorted(unknown)}")
    styler = Styler(data)
    styler._compute = lambda: styler
    styler._translate = lambda *args, **kwargs: {"body": _display_values(data, shown)}
    return styler


def _display_values(data: pd.DataFrame, shown: dict[str, list[str]]) -> list[list[dict]]:
    body: list[list[dict]] = [[] for _ in range(len(data))]
    for j, column in enumerate(data.columns):
        text = shown.get(column)
        if text is None:  # a missing value reads as an empty cell, not "None" or "nan"
            cells = ((int(i), "") for i in np.flatnonzero(data.iloc[:, j].isna().to_numpy()))
        else:
            cells = enumerate(text)
        for i, value in cells:
            body[i].append({"id": f"row{i}_col{j}", "display_value": value})
    return body
