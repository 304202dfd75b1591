"""The spreadsheet template for partners without IATI: its documented columns and files.

One sheet (or CSV file) per kind of fact. Most partners need only `activities`: one row
per activity with its dates, organisations, countries, sectors and total budget. The other
sheets add what does not fit on one row: budgets per year or revised, transactions, places.
"""
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from mekong.views import i18n


@dataclass(frozen=True)
class Column:
    name: str
    example: str
    required: bool = False


# What to write in each column is interface text: mekong/views/locale/template.toml, key
# <sheet>_<column>, in English and French (see description()).
SHEETS: dict[str, list[Column]] = {
    "activities": [
        Column("activity_id", "XM-DAC-41114-PROJECT-00012345", True),
        Column("code", "LAO/021"),
        Column("title_en", "Rural water supply"),
        Column("title_fr", "Approvisionnement en eau rural"),
        Column("description_en", ""),
        Column("description_fr", ""),
        Column("status", "2"),
        Column("planned_start", "2021-01-01"),
        Column("actual_start", ""),
        Column("planned_end", "2024-12-31"),
        Column("actual_end", ""),
        Column("reporting_org", "Sida [SE-0]"),
        Column("funding_orgs", "Sida [SE-0]; UNICEF [XM-DAC-41122]"),
        Column("implementing_orgs", "Ministry of Health"),
        Column("extending_orgs", ""),
        Column("accountable_orgs", ""),
        Column("countries", "KH 60; LA 40"),
        Column("regions", ""),
        Column("sectors", "14030 70; 12261 30"),
        Column("currency", "EUR"),
        Column("budget_amount", "2500000"),
    ],
    "budgets": [
        Column("activity_id", "XM-DAC-41114-PROJECT-00012345", True),
        Column("budget_kind", "budget"),
        Column("budget_type", "original"),
        Column("period_start", "2021-01-01"),
        Column("period_end", "2021-12-31"),
        Column("amount", "800000", True),
        Column("currency", "EUR"),
        Column("value_date", ""),
    ],
    "transactions": [
        Column("activity_id", "XM-DAC-41114-PROJECT-00012345", True),
        Column("transaction_type", "3", True),
        Column("date", "2021-03-15"),
        Column("amount", "250000", True),
        Column("currency", "EUR"),
        Column("value_date", ""),
        Column("provider_org", "Sida [SE-0]"),
        Column("receiver_org", "Ministry of Health"),
        Column("sector", ""),
        Column("country", ""),
        Column("description", "First instalment"),
    ],
    "locations": [
        Column("activity_id", "XM-DAC-41114-PROJECT-00012345", True),
        Column("location_name", "Paksan", True),
        Column("location_kind", "city"),
        Column("province", "LA-BL"),
        Column("country", "LA"),
        Column("lat", "18.3976"),
        Column("lon", "103.6548"),
        Column("note", "project office"),
    ],
}

XLSX_NAME = "mekong-import-template.xlsx"


def _t(key: str, lang: str) -> str:
    return i18n.text(f"template.{key}", lang)


def description(sheet: str, column: str, lang: str = "en") -> str:
    """What to write in a column, in English or French."""
    return _t(f"{sheet}_{column}", lang)


def columns_markdown(lang: str = "en") -> str:
    """The documented column list, for the Data page."""
    out = []
    head = " | ".join(_t(k, lang) for k in ("head_column", "head_required", "head_what", "head_example"))
    for sheet, cols in SHEETS.items():
        out.append(f"**{sheet}**\n\n| {head} |\n|---|---|---|---|")
        for c in cols:
            out.append(f"| `{c.name}` | {_t('yes', lang) if c.required else ''} | {description(sheet, c.name, lang)} | {c.example} |")
        out.append("")
    return "\n".join(out)


def csv_bytes(sheet: str) -> bytes:
    """The header row of one sheet as a UTF-8 CSV file (with a BOM so Excel reads it as UTF-8)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow([c.name for c in SHEETS[sheet]])
    return buf.getvalue().encode("utf-8-sig")


def xlsx_bytes(lang: str = "en") -> bytes:
    """The workbook: a README sheet with the column list (in `lang`), then one empty sheet
    per kind of fact."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    readme = wb.active
    readme.title = "README"
    readme.append([_t("readme_intro", lang)])
    readme.append([])
    readme.append([_t(k, lang) for k in ("head_sheet", "head_column", "head_required", "head_what", "head_example")])
    for sheet, cols in SHEETS.items():
        for c in cols:
            readme.append([sheet, c.name, _t("yes", lang) if c.required else "", description(sheet, c.name, lang), c.example])
        ws = wb.create_sheet(sheet)
        ws.append([c.name for c in cols])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for cell in ws["1"]:
            ws.column_dimensions[cell.column_letter].width = max(12, len(cell.value) + 4)
    for cell in readme[3]:
        cell.font = Font(bold=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_template(out_dir: Path, lang: str = "en") -> list[Path]:
    """Write the workbook and one CSV per sheet into out_dir; returns the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / XLSX_NAME]
    paths[0].write_bytes(xlsx_bytes(lang))
    for sheet in SHEETS:
        p = out_dir / f"{sheet}.csv"
        p.write_bytes(csv_bytes(sheet))
        paths.append(p)
    return paths
