"""A print-ready PDF brief of a view (A4, made offline with fpdf2 and DejaVu Sans): a
title page with the filters and the data date, each chart as a picture with its caption
and note, the table behind it (paginated, its header repeated on every page), the
sources and the method; every page numbered and stamped with the filters. Used by
`python -m mekong brief` and the app's PDF button, in English or French.

Everything is written as plain text: nothing from the data or a note is read as markup."""
import datetime as dt
import io
import math
from pathlib import Path

import pandas as pd
from fpdf import FPDF
from fpdf.enums import TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from mekong.exports import chart_renderer, files
from mekong.exports.view import Reader, View, view_panels
from mekong.paths import FONT_DIR
from mekong.store.db import Portfolio
from mekong.views import describe, fmt, panels

ACCENT, TEXT, GREY, RULE = (0x1F, 0x6F, 0x8B), (0x1A, 0x1A, 0x1A), (0x55, 0x55, 0x55), (0xCC, 0xCC, 0xCC)
MARGIN = 15  # mm
CHART_PX = 900  # a chart's width in pixels, drawn 180 mm wide (twice as many pixels for print)
PAGES_ALIAS = "{mekong:pages}"  # replaced by the number of pages once the brief is done


class _Brief(FPDF):
    def __init__(self, header_text: str, footer_text: str, page_word: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.header_text, self.footer_text, self.page_word = header_text, footer_text, page_word
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN, MARGIN + 4, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 6)
        self.alias_nb_pages(PAGES_ALIAS)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(8)
        self.set_font("DejaVu", "", 7.5)
        self.set_text_color(*GREY)
        self.cell(0, 4, self.header_text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(MARGIN + 4)

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.set_draw_color(*RULE)
        self.line(MARGIN, self.get_y() - 1.5, self.w - MARGIN, self.get_y() - 1.5)
        self.set_font("DejaVu", "", 7.5)
        self.set_text_color(*GREY)
        number = f"{self.page_word} {self.page_no()} / {PAGES_ALIAS}"
        room = self.w - 2 * MARGIN - self.get_string_width(number) - 6
        self.cell(room, 4, _fit(self, self.footer_text, room))
        self.cell(0, 4, number, align="R")


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """`text` cut with '…' to fit `width` mm in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _paragraph(pdf: FPDF, text: str, size: float, color=TEXT, bold: bool = False, space: float = 1.5) -> None:
    if not text:
        return
    pdf.set_font("DejaVu", "B" if bold else "", size)
    pdf.set_text_color(*color)
    pdf.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(space)


def _cell_text(value, column: str, currency: str, lang: str, t, label: bool = False) -> str:
    """A table cell as text: amounts and counts written the language's way, a label
    (the first column: a name or a year) as it is."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return t("common.not_disclosed") if column == currency else t("common.not_stated") if label else ""
    if isinstance(value, (pd.Timestamp, dt.date)):
        return fmt.date(value, lang)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if label or column != currency and float(value).is_integer():
            return str(int(value)) if label else fmt.number(int(value), lang)
        return fmt.number(round(value), lang) if column == currency else fmt.number(value, lang)
    return str(value)


def _widths(df: pd.DataFrame) -> list[float]:
    """Each column's share of the width, after the length of its texts."""
    out = []
    for c in df.columns:
        lengths = df[c].astype(str).str.len()
        typical = max(len(str(c)), int(lengths.quantile(0.8)) if len(lengths) else 0)
        out.append(min(max(typical, 8), 45))
    return out


def _table(pdf: FPDF, df: pd.DataFrame, currency: str, lang: str, t) -> None:
    """The table, its header row repeated at the top of every page it runs onto."""
    if df.empty:
        return
    numeric = [pd.api.types.is_numeric_dtype(df[c]) for c in df.columns]
    widths = _widths(df)
    pdf.set_font("DejaVu", "", 8)
    pdf.set_text_color(*TEXT)
    pdf.set_draw_color(*RULE)
    heading = FontFace(emphasis="BOLD", color=ACCENT, fill_color=(0xEE, 0xF3, 0xF6))
    with pdf.table(col_widths=widths, text_align=["RIGHT" if n else "LEFT" for n in numeric], headings_style=heading,
                   repeat_headings=1, line_height=4, padding=1, cell_fill_color=(0xF7, 0xF9, 0xFA),
                   cell_fill_mode=TableCellFillMode.ROWS, borders_layout="HORIZONTAL_LINES") as table:
        table.row([str(c) for c in df.columns])
        for values in df.itertuples(index=False):
            table.row([_cell_text(v, str(c), currency, lang, t, label=i == 0)
                       for i, (v, c) in enumerate(zip(values, df.columns))])
    pdf.ln(3)


def _chart(pdf: FPDF, p: panels.Panel, note: str, r: Reader) -> None:
    """The chart under its title, its caption and note, then its table; on the page it
    follows when the chart and the table's first rows still fit there."""
    t = r.t
    height = p.figure.layout.height or 450
    height = min(max(int(height), 300), int(CHART_PX * 1.1))
    width_mm = pdf.w - 2 * MARGIN
    pdf.set_font("DejaVu", "", 8.5)
    caption_lines = math.ceil(pdf.get_string_width(p.caption) / width_mm) + 1 + (2 if note else 0)
    pdf.set_font("DejaVu", "B", 14)
    title_lines = math.ceil(pdf.get_string_width(p.title) / width_mm)
    needed = 9 * title_lines + width_mm * height / CHART_PX + 4.5 * caption_lines + 8 * min(len(p.table) + 1, 4) + 10
    if pdf.page_no() == 1 or pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()
    else:
        pdf.ln(6)
    _paragraph(pdf, p.title, 14, ACCENT, bold=True, space=2)
    figure = p.figure.__class__(p.figure)  # a copy: its own size would win over the one asked for
    figure.update_layout(width=None, height=None)
    try:
        png = files.chart_png(figure, width=CHART_PX, height=height, scale=2)
        pdf.image(io.BytesIO(png), x=MARGIN, w=width_mm, h=width_mm * height / CHART_PX)
    except chart_renderer.RenderError:  # the brief goes out with the chart's table and a word why
        _paragraph(pdf, t("export.unavailable"), 9.5, TEXT, space=2)
    pdf.ln(2)
    _paragraph(pdf, p.caption, 8.5, GREY)
    if note:
        _paragraph(pdf, t("note.shown", note=note), 9.5, TEXT, bold=True, space=3)
    _table(pdf, p.table, r.view.filters.currency, r.view.lang, t)


def build_brief(portfolio: Portfolio, view: View, today: dt.date | None = None) -> FPDF:
    r = Reader(portfolio, view, today)
    t, stamp = r.t, r.stamp()
    pages = " · ".join(t(f"nav.{page}") for page in view.pages)
    pdf = _Brief(f"{t('common.app_title')} — {pages}", f"{stamp.filters} · {stamp.data_date}", t("brief.page"))
    pdf.set_title(f"{t('common.app_title')} — {pages}")
    pdf.set_lang(view.lang)
    pdf.set_creator("Mekong cooperation dashboard")

    pdf.add_page()
    pdf.ln(40)
    _paragraph(pdf, t("common.app_title"), 24, ACCENT, bold=True, space=4)
    _paragraph(pdf, pages, 16, GREY, space=10)
    _paragraph(pdf, stamp.filters, 12, TEXT, space=3)
    _paragraph(pdf, stamp.data_date, 11, GREY, space=3)
    _paragraph(pdf, stamp.sources, 9, GREY, space=6)
    if view.ignored:
        _paragraph(pdf, t("filters.ignored", items=t("common.list_sep").join(f"{i.param} = {i.value}" for i in view.ignored)), 9, GREY)
    _paragraph(pdf, t("brief.made", date=fmt.date(r.today, view.lang)), 9, GREY)

    drawn = view_panels(r)
    for p in drawn:
        _chart(pdf, p, view.notes.get(p.key, ""), r)
    if not drawn:
        _paragraph(pdf, t("common.no_match"), 11, TEXT)

    pdf.add_page()
    _paragraph(pdf, t("slides.sources"), 14, ACCENT, bold=True, space=3)
    for d in r.q("view_sources").itertuples():
        publisher = f" ({describe.publisher_text(d.publisher, t)})" if isinstance(d.publisher, str) else ""
        title = describe.document_title(d, t, r.view.lang)
        _paragraph(pdf, "• " + t("common.label_value", label=f"{title}{publisher}",
                                 value=t("slides.n_activities", n=int(d.n_projects))), 9.5, TEXT, space=1)
    pdf.ln(3)
    _paragraph(pdf, t("slides.method"), 9.5, GREY)
    return pdf


def write_brief(portfolio: Portfolio, view: View, out: Path | None = None) -> bytes:
    data = bytes(build_brief(portfolio, view).output())
    if out is not None:
        Path(out).write_bytes(data)
    return data
