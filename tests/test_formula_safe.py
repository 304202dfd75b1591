"""Exports hold no live formulas: titles and names beginning with = + - @ a tab or a
carriage return, imported with the spreadsheet template, are written to CSV (a leading
apostrophe), Excel (string cells) and the slides' embedded workbooks (string cells) as
text; numbers stay numbers. The template import keeps such values as they were written."""
import csv
import io
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from mekong.exports import files
from mekong.importers import import_files
from mekong.importers.template import csv_bytes

DONOR = '=HYPERLINK("http://evil.example/x","click")'
IMPLEMENTER = "+SUM(1,2)"
TITLE = "\t=1+2"
HOSTILE = {"title_en": TITLE, "code": "@A1", "description_en": "-2+3", "title_fr": "\r=2"}


def hostile_csv(folder: Path) -> Path:
    """The template's activities sheet with one activity whose texts start formulas."""
    header = csv_bytes("activities").decode("utf-8-sig").strip().split(",")
    row = {c: "" for c in header}
    row.update(activity_id="XX-FORMULA-1", funding_orgs=DONOR, implementing_orgs=IMPLEMENTER, reporting_org=DONOR,
               countries="LA", sectors="14030", currency="EUR", budget_amount="123456", planned_start="2021-01-01",
               planned_end="2023-12-31", **HOSTILE)
    buf = io.StringIO()
    w = csv.DictWriter(buf, header, lineterminator="\r\n")
    w.writeheader()
    w.writerow(row)
    path = folder / "activities.csv"
    path.write_bytes(buf.getvalue().encode("utf-8"))
    return path


@pytest.fixture(scope="module")
def formula_db(seed_db, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("formula")
    db = folder / "mekong.duckdb"
    shutil.copyfile(seed_db, db)
    report = import_files([hostile_csv(folder)], db)
    assert report.applied, report.reason
    return db


def test_the_template_import_keeps_formula_like_text_as_written(formula_db):
    con = duckdb.connect(str(formula_db), read_only=True)
    row = con.execute("SELECT title_en, code, description_en, title_fr FROM project "
                      "WHERE project_id = 'XX-FORMULA-1'").fetchone()
    assert row == (TITLE, "@A1", "-2+3", "\r=2")
    names = {r[0] for r in con.execute("SELECT name_en FROM organisation").fetchall()}
    assert DONOR in names and IMPLEMENTER in names


def test_safe_cell_rule():
    for s in ("=1", "+1", "-1", "@x", "\t=1", "\r=1"):
        assert files.safe_cell(s) == "'" + s
    for v in ("a=1", " =1", 12, -3.5, None):
        assert files.safe_cell(v) == v


def _panel_tables(db):
    from mekong.exports.view import Reader, view_from_query, view_panels
    from mekong.store.db import Portfolio

    portfolio = Portfolio(db)
    view = view_from_query(portfolio, "country=LA", "en")
    return portfolio, view, {p.key: p for p in view_panels(Reader(portfolio, view)) if not p.table.empty}


def test_csv_and_excel_downloads_write_formula_text_as_text(formula_db):
    _, _, panels = _panel_tables(formula_db)
    by_donor = next(p for p in panels.values() if DONOR in p.table.astype(str).to_numpy().ravel())
    table = by_donor.table
    amount = float(table[table.iloc[:, 0] == DONOR].iloc[0, 1])
    # CSV: the name gets an apostrophe, the amount stays a number
    rows = list(csv.reader(io.StringIO(files.table_csv(table, ["=title"]).decode("utf-8-sig"), newline="")))
    assert rows[0] == ["'=title"]
    row = next(r for r in rows if r and r[0] == "'" + DONOR)
    assert float(row[1]) == amount
    for r in rows:
        for cell in r:
            assert not cell.startswith(files._FORMULA_START), (r, cell)
    # Excel: string cells, as written; numbers numeric; not one formula in the file
    data = files.table_xlsx(table, DONOR, [IMPLEMENTER])
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    ws = load_workbook(io.BytesIO(data)).active
    assert (ws["A1"].value, ws["A1"].data_type) == (DONOR, "s")
    assert (ws["A2"].value, ws["A2"].data_type) == (IMPLEMENTER, "s")
    cell = next(c for r in ws.iter_rows() for c in r if c.value == DONOR and c.row > 2)
    right = ws.cell(row=cell.row, column=2)
    assert cell.data_type == "s" and right.data_type == "n" and right.value == pytest.approx(amount)


def test_the_slides_embedded_workbooks_hold_no_formula(formula_db):
    from pptx import Presentation

    from mekong.exports.slides import build_deck

    portfolio, view, _ = _panel_tables(formula_db)
    buf = io.BytesIO()
    build_deck(portfolio, view).save(buf)
    seen = []
    for shape in (s for slide in Presentation(io.BytesIO(buf.getvalue())).slides for s in slide.shapes
                  for s in ([*s.shapes] if s.shape_type == 6 else [s])):
        if not getattr(shape, "has_chart", False):
            continue
        blob = shape.chart.part.chart_workbook.xlsx_part.blob
        sheet = zipfile.ZipFile(io.BytesIO(blob)).read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet
        ws = load_workbook(io.BytesIO(blob)).active
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type in ("s", "n"), (c.coordinate, c.value, c.data_type)
                seen.append(c.value)
    assert DONOR in seen  # the donor chart's workbook holds the name as text
