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


def t_fr(key, **values):
    return i18n.text(key, "fr", **values)


def test_years_without_money_are_not_drawn_and_said():
    """Budgets of 0 spread to 2050 would stretch the axis: the years drawn are those
    with money, the caption names the others, the table keeps every row."""
    years = list(range(2019, 2051))
    rows = pd.DataFrame({"year": [float(y) for y in years] + [None],
                         "value": [10.0, 20.0, 30.0] + [0.0] * (len(years) - 3) + [7.0],
                         "approximate": [False] * (len(years) + 1), "n_projects": [1] * (len(years) + 1)})
    p = panels.by_year(t, answer(rows), Filters(), "en", "budget")
    assert list(p.figure.data[0].x) == [2019, 2020, 2021]
    assert "Years 2022–2050 are not drawn" in p.caption
    assert len(p.table) == len(rows) and p.table["EUR"].sum() == 67.0  # nothing lost
    plain = rows.assign(value=[1.0] * len(rows))
    assert "not drawn" not in panels.by_year(t, answer(plain), Filters(), "en", "budget").caption


def test_a_sector_code_not_in_the_list_never_reads_nan():
    rows = pd.DataFrame({"category": ["122", "122"], "category_label": ["Basic health", "Basic health"],
                         "sector": ["12264", "99999"], "sector_label": ["COVID-19 control", None],
                         "value": [2.0, 1.0], "approximate": [False, False], "n_projects": [1, 1], "part": "sector"})
    p = panels.by_sector(t, answer(rows), Filters(), "en", "budget")
    assert list(p.table.iloc[:, 0]) == ["12264 COVID-19 control", "99999 (not in the DAC list)"]
    assert "nan" not in " ".join(p.table.iloc[:, 0])


def test_a_local_contribution_is_not_a_donor():
    rows = pd.DataFrame({"key": ["lu-government", "name:Local contribution"],
                         "label": ["Gouvernement luxembourgeois", "Local contribution"],
                         "value": [7.6e6, 6e5], "approximate": [False, False], "n_projects": [1, 1], "part": "donor"})
    p = panels.by_donor(t_fr, answer(rows), Filters(), "fr", "budget")
    assert list(p.table.iloc[:, 0]) == ["Gouvernement luxembourgeois", "Contribution locale (hors bailleurs)"]
    grey = dict(zip(p.figure.data[0].y, p.figure.data[0].marker.color))
    assert grey["Contribution locale (hors bailleurs)"] != grey["Gouvernement luxembourgeois"]


def test_counts_take_the_singular_the_language_gives():
    assert i18n.text("projects.count", "en", n="1") == "1 activity."
    assert i18n.text("projects.count", "en", n="1,234") == "1,234 activities."
    assert i18n.text("projects.count", "fr", n="0") == "0 activité."  # French: 0 and 1 are singular
    assert i18n.text("data.deviations_errors", "en", n="1") == "1 element left out"
    assert i18n.text("data.deviations_errors", "fr", n="2") == "2 éléments écartés"


def test_codelist_names_in_sentence_case_acronyms_kept():
    from mekong.views import fmt

    assert [fmt.label(x) for x in ("INDUSTRY", "WATER AND SANITATION", "AIMF", "UNICEF", "Basic health")] == [
        "Industry", "Water and sanitation", "AIMF", "UNICEF", "Basic health"]


def test_the_bars_add_up_to_the_total_past_the_largest():
    """Past the bars a chart has room for, the smallest are one grey "N others" bar, so
    the bars add up to the total; the table keeps every row."""
    rows = pd.DataFrame({"key": [f"org-{i}" for i in range(18)], "label": [f"Donor {i}" for i in range(18)],
                         "value": [1800.0 - 100 * i for i in range(18)], "approximate": [False] * 18,
                         "n_projects": [1] * 18, "part": "donor"})
    p = panels.by_donor(t, answer(rows), Filters(), "en", "budget")
    bar = p.figure.data[0]
    assert len(bar.y) == 15 and bar.y[0] == "4 others" and bar.x[0] == 100 + 200 + 300 + 400
    assert bar.marker.color[0] != bar.marker.color[1]  # grey, as the buckets
    assert sum(bar.x) == rows["value"].sum() and len(p.table) == 18
    assert "grouped as “Others”" in p.caption


def test_a_tiny_bar_still_says_its_amount():
    """plotly leaves out a bar far under a pixel, with its amount: it is drawn a sliver
    (1/5000 of the longest), its amount written as it is."""
    from mekong.views import charts
    df = pd.DataFrame({"name": ["Big", "Tiny"], "value": [418_000_000.0, 8_573.0], "bucket": [False, False]})
    bar = charts.bar_h(df, "name", "value", "EUR", "en", bucket_col="bucket").data[0]
    assert list(bar.x) == [418_000_000.0 / 5000, 418_000_000.0]
    assert bar.text[0] == "EUR\u00a08.6K"
    assert "8,573" in bar.hovertext[0]


def test_one_year_without_money_is_said_in_the_singular():
    rows = pd.DataFrame({"year": [2019.0, 2020.0, 2021.0], "value": [10.0, 20.0, 0.0],
                         "approximate": [False] * 3, "n_projects": [1] * 3})
    assert "Year 2021 is not drawn: the selected activities count no money in it" in \
        panels.by_year(t, answer(rows), Filters(), "en", "budget").caption
    assert "L'année 2021 n'est pas dessinée" in panels.by_year(t_fr, answer(rows), Filters(), "fr", "budget").caption
