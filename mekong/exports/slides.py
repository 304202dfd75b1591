"""A 16:9 PowerPoint deck of a view: a title slide with the filters and the data date,
one slide per chart, and a sources slide. Used by `python -m mekong slides` and the app's
Slides button (which hands it the view on screen: its pages, language, filters, currency,
flow and notes).

Every chart carries its context, so that it says what it shows wherever it is copied
to: bars and years are native PowerPoint charts grouped with their title, notes and the
line of filters, data date and sources; the other charts are pictures with all of that
drawn into the image (and in their alternative text)."""
import io
from contextlib import contextmanager
from pathlib import Path

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.util import Emu, Pt

from mekong.exports import files
from mekong.exports.view import Reader, View, view_panels
from mekong.store.db import Portfolio
from mekong.views import describe, panels

WIDTH, HEIGHT = Emu(12_192_000), Emu(6_858_000)  # 13.333 x 7.5 inches: 16:9
MARGIN = Emu(457_200)
ACCENT = RGBColor(0x1F, 0x6F, 0x8B)
GREY = RGBColor(0x55, 0x55, 0x55)
SCALE = 1.6  # type size of pictured charts on a slide
PICTURE_PX = (1200, 675)  # a picture slide's size in pixels (rendered at twice that)
BODY_Y, BODY_H = Emu(950_000), Emu(4_750_000)
NOTES_Y, NOTES_H = Emu(5_750_000), Emu(560_000)
FOOTER_Y, FOOTER_H = HEIGHT - Emu(520_000), Emu(440_000)


def _text(shapes, text: str, x, y, w, h, size: int, color=None, bold: bool = False):
    box = shapes.add_textbox(x, y, w, h)
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(text.split("\n")):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.text = line
        p.font.size = Pt(size)
        p.font.bold = bold
        if color is not None:
            p.font.color.rgb = color
    return box


def _blank(prs, name: str):
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    slide.name = name[:200]
    return slide


def _note_lines(t, p: panels.Panel, note: str) -> list[str]:
    return [x for x in (p.caption, t("note.shown", note=note) if note else "") if x]


def _speaker_notes(slide, lines: list[str]) -> None:
    if lines:
        slide.notes_slide.notes_text_frame.text = "\n".join(lines)


class _TextWorkbookWriter(CategoryWorkbookWriter):
    """The chart's embedded workbook with every label written as a string cell: XlsxWriter
    would make a formula of a label starting with '=' (files.formula_like), and a
    spreadsheet opened from the slide would evaluate it."""

    @contextmanager
    def _open_worksheet(self, xlsx_file):
        from xlsxwriter import Workbook

        workbook = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class _ChartData(CategoryChartData):
    @property
    def _workbook_writer(self):
        return _TextWorkbookWriter(self)


def _native_chart(shapes, p: panels.Panel, currency: str) -> None:
    table = p.table.dropna(subset=[p.table.columns[0]])
    labels = [str(int(v)) if isinstance(v, float) else str(v) for v in table.iloc[:, 0]]
    values = [float(v) for v in table.iloc[:, 1]]
    kind = XL_CHART_TYPE.BAR_CLUSTERED if p.kind == "bar" else XL_CHART_TYPE.COLUMN_CLUSTERED
    if p.kind == "bar":  # PowerPoint draws the first category at the bottom
        labels, values = labels[:15][::-1], values[:15][::-1]
    data = _ChartData()
    data.categories = labels
    data.add_series(currency, values)
    chart = shapes.add_chart(kind, MARGIN, BODY_Y, WIDTH - 2 * MARGIN, BODY_H, data).chart
    chart.has_legend = False
    chart.has_title = False
    chart.font.size = Pt(12)
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format = '#,##0'
    plot.data_labels.number_format_is_linked = False
    plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    plot.series[0].format.fill.solid()
    plot.series[0].format.fill.fore_color.rgb = ACCENT
    chart.value_axis.minimum_scale = 0  # bars start at zero, always
    chart.value_axis.tick_labels.number_format = '#,##0'
    chart.value_axis.tick_labels.number_format_is_linked = False


def _figures(shapes, p: panels.Panel) -> None:
    cols, w, h = 3, (WIDTH - 2 * MARGIN) // 3, BODY_H // 2
    for i, (label, value) in enumerate(p.table.itertuples(index=False)):
        x, y = MARGIN + (i % cols) * w, BODY_Y + (i // cols) * h + Emu(300_000)
        _text(shapes, str(label), x, y, w, Emu(500_000), 16, GREY)
        _text(shapes, str(value), x, y + Emu(500_000), w, Emu(900_000), 26, ACCENT, bold=True)


def _grouped(slide, p: panels.Panel, note_lines: list[str], footer: str, currency: str) -> None:
    """A native chart (or the key figures) in one group with its title, notes and footer:
    moved or copied, it keeps its context."""
    group = slide.shapes.add_group_shape()
    group.name = p.title[:200]
    shapes = group.shapes
    _text(shapes, p.title, MARGIN, Emu(200_000), WIDTH - 2 * MARGIN, Emu(700_000), 24, ACCENT, bold=True)
    if p.kind == "figures":
        _figures(shapes, p)
    else:
        _native_chart(shapes, p, currency)
    if note_lines:
        _text(shapes, "\n".join(note_lines), MARGIN, NOTES_Y, WIDTH - 2 * MARGIN, NOTES_H, 10, GREY)
    _text(shapes, footer, MARGIN, FOOTER_Y, WIDTH - 2 * MARGIN, FOOTER_H, 10, GREY)


def _picture(slide, p: panels.Panel, note_lines: list[str], stamp_lines: list[str], unavailable: str) -> None:
    """The chart as a picture the size of the slide, its title, notes, filters, data date
    and sources drawn in; the same text is its alternative text."""
    png = files.picture(p.figure, p.title, note_lines, stamp_lines, width=PICTURE_PX[0], height=PICTURE_PX[1],
                        unavailable=unavailable)
    pic = slide.shapes.add_picture(io.BytesIO(png), 0, 0, width=WIDTH, height=HEIGHT)
    pic.name = p.title[:200]
    pic._element.nvPicPr.cNvPr.set("descr", "\n".join([p.title, *note_lines, *stamp_lines]))


def _title_slide(prs, r: Reader, stamp) -> None:
    t, view = r.t, r.view
    slide = _blank(prs, t("common.app_title"))
    _text(slide.shapes, t("common.app_title"), MARGIN, Emu(1_300_000), WIDTH - 2 * MARGIN, Emu(1_200_000), 40, ACCENT,
          bold=True)
    pages = " · ".join(t(f"nav.{page}") for page in view.pages)
    _text(slide.shapes, pages, MARGIN, Emu(2_600_000), WIDTH - 2 * MARGIN, Emu(600_000), 24, GREY)
    _text(slide.shapes, stamp.filters, MARGIN, Emu(3_300_000), WIDTH - 2 * MARGIN, Emu(800_000), 20)
    _text(slide.shapes, stamp.data_date, MARGIN, Emu(4_100_000), WIDTH - 2 * MARGIN, Emu(500_000), 16, GREY)
    if view.ignored:
        note = t("filters.ignored", items=t("common.list_sep").join(f"{i.param} = {i.value}" for i in view.ignored))
        _text(slide.shapes, note, MARGIN, Emu(4_700_000), WIDTH - 2 * MARGIN, Emu(600_000), 12, GREY)


def _sources_slide(prs, r: Reader, footer: str) -> None:
    t = r.t
    slide = _blank(prs, t("slides.sources"))
    _text(slide.shapes, t("slides.sources"), MARGIN, Emu(200_000), WIDTH - 2 * MARGIN, Emu(700_000), 24, ACCENT, bold=True)
    docs = r.q("view_sources")
    lines = [f"• {describe.document_title(d, t, r.view.lang)}"
             + (f" ({describe.publisher_text(d.publisher, t)})" if isinstance(d.publisher, str) else "")
             + f": {t('slides.n_activities', n=int(d.n_projects))}" for d in docs.itertuples()]
    lines += ["", t("slides.method")]
    _text(slide.shapes, "\n".join(lines), MARGIN, BODY_Y, WIDTH - 2 * MARGIN, BODY_H, 14)
    _text(slide.shapes, footer, MARGIN, FOOTER_Y, WIDTH - 2 * MARGIN, FOOTER_H, 10, GREY)


def build_deck(portfolio: Portfolio, view: View) -> Presentation:
    r = Reader(portfolio, view)
    stamp = r.stamp()
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    _title_slide(prs, r, stamp)
    for p in view_panels(r, SCALE):
        slide = _blank(prs, p.title)
        lines = _note_lines(r.t, p, view.notes.get(p.key, ""))
        if p.kind in ("bar", "columns", "figures"):
            _grouped(slide, p, lines, stamp.line(), view.filters.currency)
        else:
            _picture(slide, p, lines, stamp.lines(), r.t("export.unavailable"))
        _speaker_notes(slide, lines)
    _sources_slide(prs, r, stamp.line())
    return prs


def write_deck(portfolio: Portfolio, view: View, out: Path | None = None) -> bytes:
    buf = io.BytesIO()
    build_deck(portfolio, view).save(buf)
    data = buf.getvalue()
    if out is not None:
        Path(out).write_bytes(data)
    return data
