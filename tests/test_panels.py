"""mekong/views/panels.py: how query rows become the names and numbers a chart shows."""
import pandas as pd

from mekong.views import i18n, panels
from mekong.views.filters import Filters


def t(key, **values):
    return i18n.text(key, "en", **values)


def answer(df: pd.DataFrame):
    return lambda name, **extra: df


def test_two_provinces_of_one_name_get_two_bars():
    """Laos has two provinces named Viangchan (the capital and the province around it):
    on one category axis they would be one row with two bars drawn over each other."""
    rows = pd.DataFrame({"key": ["LA-VI", "LA-VT", "KH-12", "~national"],
                         "label": ["Viangchan", "Viangchan", "Phnom Penh", None],
                         "country": ["LA", "LA", "KH", None], "value": [3.0, 2.0, 1.0, 5.0],
                         "approximate": [False] * 4, "n_projects": [1, 1, 1, 2], "part": "province"})
    p = panels.by_province(t, answer(rows), Filters(), "en", "budget")
    assert list(p.table.iloc[:, 0]) == ["Viangchan (LA-VI)", "Viangchan (LA-VT)", "Phnom Penh (KH)",
                                        "National / regional, not located"]
    assert sorted(p.figure.data[0].y) == sorted(p.table.iloc[:, 0])
    assert dict(zip(p.figure.data[0].y, p.figure.data[0].x)) == {
        "Viangchan (LA-VI)": 3.0, "Viangchan (LA-VT)": 2.0, "Phnom Penh (KH)": 1.0,
        "National / regional, not located": 5.0}


def test_two_donors_of_one_name_are_told_apart_by_their_key():
    rows = pd.DataFrame({"key": ["org-a", "org-b", "org-c"], "label": ["Ministry of Finance", "Ministry of Finance", "AFD"],
                         "value": [5.0, 4.0, 3.0], "approximate": [False] * 3, "n_projects": [1, 2, 3], "part": "donor"})
    p = panels.by_donor(t, answer(rows), Filters(), "en", "budget")
    assert list(p.table.iloc[:, 0]) == ["Ministry of Finance (org-a)", "Ministry of Finance (org-b)", "AFD"]
    assert len(set(p.figure.data[0].y)) == 3
