"""A 16:9 PowerPoint deck of a view: a title slide with the filters, one slide per chart
(native PowerPoint charts for bars and years, images rendered offline otherwise), a map
slide and a sources slide. Used by `python -m mekong slides` and the app's button."""
import datetime as dt
import io
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import parse_qs

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.util import Emu, Pt

from mekong.exports import files
from mekong.reference.load import load_countries_geojson, load_provinces_geojson
from mekong.store.db import Portfolio
from mekong.views import charts, describe, i18n, panels
from mekong.views.filters import Filters, Ignored, Options, from_query

WIDTH, HEIGHT = Emu(12_192_000), Emu(6_858_000)  # 13.333 x 7.5 inches: 16:9
MARGIN = Emu(457_200)
ACCENT = RGBColor(0x1F, 0x6F, 0x8B)
GREY = RGBColor(0x55, 0x55, 0x55)
PAGES = ("overview", "funding", "timeline")
SCALE = 1.6  # type size of pictured charts on a slide


@dataclass
class View:
    """What a deck shows: the filters, the language, the money flow, which pages."""
    filters: Filters
    lang: str = "en"
    flow: str = "budget"
    pages: tuple[str, ...] = PAGES
    ignored: tuple[Ignored, ...] = ()


def view_from_query(portfolio: Portfolio, query: str, lang: str | None = None, pages=PAGES) -> View:
    """A view from a URL query string ('donor=x&country=LA&ccy=USD&lang=fr'); values the
    data does not have are ignored and listed."""
    params = parse_qs(query.lstrip("?"), keep_blank_values=True)
    lang = i18n.normalise_lang(lang or (params.get("lang") or ["en"])[-1])
    rows = portfolio.frame("filter_options", {"lang": lang, "today": dt.date.today()})
    values = {d: set(g["value"]) for d, g in rows.groupby("dimension")}
    years = sorted(int(y) for y in values.pop("year", set()))
    options = Options(values=values, year_min=years[0] if years else None, year_max=years[-1] if years else None)
    filters, ignored = from_query(params, options)
    flow = (params.get("flow") or ["budget"])[-1]
    return View(filters, lang, flow, tuple(pages), tuple(ignored))


def _text(slide, text: str, x, y, w, h, size: int, color=None, bold: bool = False):
    box = slide.shapes.add_textbox(x, y, w, h)
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


def _frame(prs, title: str, footer: str):
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    _text(slide, title, MARGIN, Emu(200_000), WIDTH - 2 * MARGIN, Emu(700_000), 24, ACCENT, bold=True)
    _text(slide, footer, MARGIN, HEIGHT - Emu(520_000), WIDTH - 2 * MARGIN, Emu(400_000), 10, GREY)
    return slide


BODY_Y, BODY_H = Emu(950_000), Emu(4_750_000)


def _native_chart(slide, p: panels.Panel, currency: str) -> None:
    table = p.table.dropna(subset=[p.table.columns[0]])
    labels = [str(int(v)) if isinstance(v, float) else str(v) for v in table.iloc[:, 0]]
    values = [float(v) for v in table.iloc[:, 1]]
    kind = XL_CHART_TYPE.BAR_CLUSTERED if p.kind == "bar" else XL_CHART_TYPE.COLUMN_CLUSTERED
    if p.kind == "bar":  # PowerPoint draws the first category at the bottom
        labels, values = labels[:15][::-1], values[:15][::-1]
    data = CategoryChartData()
    data.categories = labels
    data.add_series(currency, values)
    chart = slide.shapes.add_chart(kind, MARGIN, BODY_Y, WIDTH - 2 * MARGIN, BODY_H, data).chart
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


def _figures(slide, p: panels.Panel) -> None:
    cols, w, h = 3, (WIDTH - 2 * MARGIN) // 3, BODY_H // 2
    for i, (label, value) in enumerate(p.table.itertuples(index=False)):
        x, y = MARGIN + (i % cols) * w, BODY_Y + (i // cols) * h + Emu(300_000)
        _text(slide, str(label), x, y, w, Emu(500_000), 16, GREY)
        _text(slide, str(value), x, y + Emu(500_000), w, Emu(900_000), 26, ACCENT, bold=True)


def _image(slide, fig) -> None:
    """The figure rendered offline at the shape of the slide's body, so it fits it (type
    size comes from the panels' scale, sharpness from the render scale)."""
    width = WIDTH - 2 * MARGIN
    px_w = 1200
    fig.update_layout(width=None, height=None)
    png = files.chart_png(fig, width=px_w, height=round(px_w * BODY_H / width), scale=2)
    slide.shapes.add_picture(io.BytesIO(png), MARGIN, BODY_Y, width=width, height=BODY_H)


def _panels(view: View, t, q) -> list[panels.Panel]:
    f, lang, today = view.filters, view.lang, dt.date.today()
    chosen: list[panels.Panel] = []
    for page in view.pages:
        if page == "overview":
            page_panels = panels.overview(t, q, f, lang, SCALE)
            chosen += page_panels[:1] if "funding" in view.pages else page_panels
        elif page == "funding":
            chosen += panels.funding(t, q, f, lang, view.flow, SCALE)
        elif page == "timeline":
            gantt, per_year = panels.timeline(t, q, f, lang, today, view.flow, SCALE)
            chosen += [gantt] if "funding" in view.pages else [gantt, per_year]
    return [p for p in chosen if p.figure is not None]


def build_deck(portfolio: Portfolio, view: View) -> Presentation:
    t = partial(i18n.text, lang=view.lang)
    base = {**view.filters.params(), "lang": view.lang, "today": dt.date.today(), "q": "", "limit": 100_000}

    def q(name: str, **extra) -> pd.DataFrame:
        return portfolio.frame(name, {**base, **extra})

    labels = describe.filter_labels(q("filter_options"))
    filters_line = describe.filters_line(view.filters, labels, t)
    when = q("data_date")
    date_line = describe.data_date_line(when, t, view.lang)
    docs = q("view_sources")
    footer = "  ·  ".join(x for x in (filters_line, date_line, describe.sources_line(docs, t)) if x)

    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _text(slide, t("common.app_title"), MARGIN, Emu(1_500_000), WIDTH - 2 * MARGIN, Emu(1_400_000), 40, ACCENT, bold=True)
    _text(slide, filters_line, MARGIN, Emu(3_300_000), WIDTH - 2 * MARGIN, Emu(800_000), 20)
    _text(slide, date_line, MARGIN, Emu(4_100_000), WIDTH - 2 * MARGIN, Emu(500_000), 16, GREY)
    if view.ignored:
        note = t("filters.ignored", items="; ".join(f"{i.param} = {i.value}" for i in view.ignored))
        _text(slide, note, MARGIN, Emu(4_700_000), WIDTH - 2 * MARGIN, Emu(600_000), 12, GREY)

    for p in _panels(view, t, q):
        slide = _frame(prs, p.title, footer)
        if p.kind in ("bar", "columns"):
            _native_chart(slide, p, view.filters.currency)
        elif p.kind == "figures":
            _figures(slide, p)
        else:
            _image(slide, p.figure)
        if p.caption:
            _text(slide, p.caption, MARGIN, HEIGHT - Emu(1_100_000), WIDTH - 2 * MARGIN, Emu(550_000), 10, GREY)

    provinces = q("funding_by_province", flow=view.flow)
    values = {k: v for k, v in zip(provinces["key"], provinces["value"]) if not str(k).startswith("~")}
    slide = _frame(prs, t("slides.map", flow=panels.flow_label(t, view.flow)), footer)
    _image(slide, charts.province_map(load_provinces_geojson(), load_countries_geojson(), values, view.filters.currency,
                                      view.lang, view.filters.currency, t("slides.map_no_data"), scale=SCALE))
    _text(slide, t("panels.province_rule"), MARGIN, HEIGHT - Emu(1_100_000), WIDTH - 2 * MARGIN, Emu(550_000), 10, GREY)

    slide = _frame(prs, t("slides.sources"), footer)
    lines = [f"• {d.title}" + (f" ({d.publisher})" if isinstance(d.publisher, str) else "")
             + f": {t('slides.n_activities', n=int(d.n_projects))}" for d in docs.itertuples()]
    lines += ["", t("slides.method")]
    _text(slide, "\n".join(lines), MARGIN, BODY_Y, WIDTH - 2 * MARGIN, BODY_H, 14)
    return prs


def write_deck(portfolio: Portfolio, view: View, out: Path | None = None) -> bytes:
    buf = io.BytesIO()
    build_deck(portfolio, view).save(buf)
    data = buf.getvalue()
    if out is not None:
        Path(out).write_bytes(data)
    return data
