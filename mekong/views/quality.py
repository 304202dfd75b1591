"""The data-quality checks of the Data page in words: queries/data_quality.sql says what
each problem is (a key and its values), this writes it in the page's language."""
import pandas as pd


def _value(v):
    return None if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA else v


def detail(t, key, n=None, a=None, b=None) -> str:
    """'planned end 2020-12-31 before planned start 2021-01-01', '1 transaction row in
    LAK' ... for the row of queries/data_quality.sql; "" when it says nothing more."""
    key, n, a, b = (_value(v) for v in (key, n, a, b))
    if key is None:
        return ""
    if key == "not_converted":
        parts = []
        for item in (a or "").split("; "):
            count, kind, currency = item.split(" ", 2)
            parts.append(t("data.detail_rows", n=int(count), kind=t(f"data.detail_row_{kind}"), currency=currency))
        return t("common.list_sep").join(parts)
    return t(f"data.detail_{key}", n=int(n) if n is not None else 0, a=a or "", b=b or "")
