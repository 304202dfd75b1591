"""Files out: tables as CSV and XLSX, charts as PNG, each saying which filters and
sources they show."""
import io

import pandas as pd
import plotly.graph_objects as go

_kaleido_started = False


# A cell starting so is read as a formula by spreadsheets (CSV injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text a spreadsheet shows as written: a string that would start a formula gets a
    leading apostrophe; numbers and everything else stay as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def table_csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False).encode("utf-8-sig")  # the BOM lets Excel read the accents


def table_xlsx(df: pd.DataFrame, title: str, header_lines: list[str]) -> bytes:
    """One sheet: the title and the filter/source lines on top, the table below."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        start = len(header_lines) + 2
        df.to_excel(xl, index=False, startrow=start, sheet_name="data")
        sheet = xl.sheets["data"]
        sheet.cell(row=1, column=1, value=title)
        for i, line in enumerate(header_lines, start=2):
            sheet.cell(row=i, column=1, value=line)
    return buf.getvalue()


def chart_png(fig: go.Figure, width: int = 1600, height: int = 900, scale: float = 1.0) -> bytes:
    """Render a plotly figure to PNG offline, with kaleido and Debian's Chromium."""
    global _kaleido_started
    import kaleido

    if not _kaleido_started:
        kaleido.start_sync_server(silence_warnings=True)
        _kaleido_started = True
    return kaleido.calc_fig_sync(fig, opts={"format": "png", "width": width, "height": height, "scale": scale})
