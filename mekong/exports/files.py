"""Files out: tables as CSV and XLSX, charts as PNG, each saying which filters, data date
and sources they show."""
import csv
import io
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

from mekong.exports import chart_renderer
from mekong.paths import FONT_DIR

# A cell starting so is read as a formula by spreadsheets (CSV injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value) -> bool:
    """A string a spreadsheet would read as a formula (or the start of one)."""
    return isinstance(value, str) and value.startswith(_FORMULA_START)


def safe_cell(value):
    """Text a spreadsheet shows as written, for CSV: a string that would start a formula
    gets a leading apostrophe; numbers and everything else stay as they are. (In XLSX,
    such strings are written as string cells instead: see text_cells.)"""
    if formula_like(value):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The table with safe_cell applied to its text cells and column names."""
    out = df.copy()
    for c in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[c]) or pd.api.types.is_datetime64_any_dtype(out[c])):
            out[c] = out[c].astype(object).map(safe_cell)
    out.columns = [safe_cell(c) for c in out.columns]
    return out


def text_cells(sheet) -> None:
    """An openpyxl sheet's cells that it took for formulas (their text starts with '='),
    written back as string cells: the text as written, never evaluated."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f" and isinstance(cell.value, str):
                cell.data_type = "s"


def table_csv(df: pd.DataFrame, header_lines: list[str] = ()) -> bytes:
    """The table as CSV; `header_lines` (title, filters, data date, sources) come first,
    one per row, then an empty row and the table."""
    buf = io.StringIO()
    if header_lines:
        writer = csv.writer(buf, lineterminator="\r\n")
        for line in header_lines:
            writer.writerow([safe_cell(line)])
        writer.writerow([])
    # CRLF rows (RFC 4180), so that a carriage return inside a value is quoted too
    safe_frame(df).to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig")  # the BOM lets Excel read the accents


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
        text_cells(sheet)
    return buf.getvalue()


def chart_png(fig: go.Figure, width: int = 1600, height: int = 900, scale: float = 1.0) -> bytes:
    """Render a plotly figure to PNG offline, with kaleido and Debian's Chromium
    (chart_renderer.RenderError when it cannot)."""
    return chart_renderer.png(fig, width, height, scale)


# ---------------------------------------------------------------- pictures with their context

ACCENT, TEXT, GREY = (0x1F, 0x6F, 0x8B), (0x33, 0x33, 0x33), (0x55, 0x55, 0x55)
# Type sizes in pixels of a 1200-pixel-wide picture (a 16:9 slide is 1200 x 675).
TITLE_PX, NOTE_PX, FOOTER_PX, PAD_PX = 30, 15, 13, 40


@lru_cache(maxsize=8)
def font(size: int, bold: bool = False):
    """DejaVu Sans (Debian's fonts-dejavu-core): it has every accent of French and Vietnamese."""
    from PIL import ImageFont

    return ImageFont.truetype(str(FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


def _wrap(text: str, f, width: float) -> list[str]:
    """Lines of `text` no wider than `width` pixels in font `f`."""
    lines: list[str] = []
    for para in str(text).split("\n"):
        words, line = para.split(" "), ""
        for w in words:
            candidate = f"{line} {w}" if line else w
            if f.getlength(candidate) <= width or not line:
                line = candidate
            else:
                lines.append(line)
                line = w
        while f.getlength(line) > width and len(line) > 1:  # one word wider than the picture
            cut = max(1, int(len(line) * width / f.getlength(line)))
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return lines


def picture(fig: go.Figure, title: str, notes: list[str], footer: list[str], width: int = 1200,
            height: int | None = None, chart_height: int = 560, scale: float = 2, zoom: float = 1.0,
            unavailable: str = "") -> bytes:
    """The chart as a PNG that carries its context, as Our World in Data's downloads do:
    the title above it, the notes (what it counts, money it leaves out, the presenter's
    note) and the footer (filters, data date, sources) under it. The texts are drawn as
    plain text (nothing in them is read as markup). `height` fixes the picture's height
    (a slide) and the chart takes what the texts leave; else the chart is `chart_height`
    high. Sizes are in pixels at scale 1; `zoom` enlarges the chart's own type (a chart
    built for the page rather than for a slide). When Chromium cannot draw the chart, its
    place holds the text `unavailable` instead."""
    from PIL import Image, ImageDraw

    s = scale * width / 1200  # type grows with the picture
    pad, inner = round(PAD_PX * s), round(width * scale) - 2 * round(PAD_PX * s)
    f_title, f_note, f_foot = font(round(TITLE_PX * s), True), font(round(NOTE_PX * s)), font(round(FOOTER_PX * s))
    blocks = [(_wrap(title, f_title, inner), f_title, ACCENT, round(TITLE_PX * s * 1.25))]
    note_lines = [line for n in notes if n for line in _wrap(n, f_note, inner)]
    foot_lines = [line for n in footer if n for line in _wrap(n, f_foot, inner)]
    top = pad // 2 + len(blocks[0][0]) * blocks[0][3] + pad // 4
    below = (len(note_lines) * round(NOTE_PX * s * 1.35) + pad // 4 + len(foot_lines) * round(FOOTER_PX * s * 1.35)
             + pad // 2 + round(4 * s))
    total_h = round(height * scale) if height else top + round(chart_height * scale) + below
    chart_h = max(round(120 * scale), total_h - top - below)
    chart = go.Figure(fig)
    chart.update_layout(width=None, height=None)
    k = scale * zoom
    try:
        png = chart_png(chart, width=round(inner / k), height=round(chart_h / k), scale=k)
        image = Image.open(io.BytesIO(png)).convert("RGB")
    except chart_renderer.RenderError:  # the picture still carries its title, notes and footer
        image = Image.new("RGB", (inner, chart_h), (0xF3, 0xF3, 0xF3))
        ImageDraw.Draw(image).multiline_text((pad, pad), "\n".join(_wrap(unavailable, f_note, inner - 2 * pad)),
                                             font=f_note, fill=GREY)
    canvas = Image.new("RGB", (round(width * scale), total_h), "white")
    canvas.paste(image, (pad, top))
    draw = ImageDraw.Draw(canvas)
    y = pad // 2
    for line in blocks[0][0]:
        draw.text((pad, y), line, font=f_title, fill=ACCENT)
        y += blocks[0][3]
    y = top + image.height + pad // 8
    for line in note_lines:
        draw.text((pad, y), line, font=f_note, fill=TEXT)
        y += round(NOTE_PX * s * 1.35)
    y += pad // 8
    draw.line((pad, y, pad + inner, y), fill=(0xCC, 0xCC, 0xCC), width=max(1, round(s)))
    y += pad // 8
    for line in foot_lines:
        draw.text((pad, y), line, font=f_foot, fill=GREY)
        y += round(FOOTER_PX * s * 1.35)
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()
