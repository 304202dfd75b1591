"""The spreadsheet template for partners without IATI: its documented columns and files.

One sheet (or CSV file) per kind of fact. Most partners need only `activities`: one row
per activity with its dates, organisations, countries, sectors and total budget. The other
sheets add what does not fit on one row: budgets per year or revised, transactions, places.
"""
import csv
import io
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    example: str
    required: bool = False


_ORG = "name, optionally followed by its IATI organisation identifier in square brackets"
_ORGS = f"organisations separated by ';', each a {_ORG}"

SHEETS: dict[str, list[Column]] = {
    "activities": [
        Column("activity_id", "unique identifier of the activity: its IATI identifier when it has one, else "
               "your own code, unique across your files. Importing the same id again updates the activity",
               "XM-DAC-41114-PROJECT-00012345", True),
        Column("code", "your own short code for the activity", "LAO/021"),
        Column("title_en", "title in English (give title_en, title_fr or both)", "Rural water supply"),
        Column("title_fr", "title in French", "Approvisionnement en eau rural"),
        Column("description_en", "description in English", ""),
        Column("description_fr", "description in French", ""),
        Column("status", "IATI activity status, code or word: 1 pipeline, 2 implementation, 3 finalisation, "
               "4 closed, 5 cancelled, 6 suspended", "2"),
        Column("planned_start", "planned start date, YYYY-MM-DD", "2021-01-01"),
        Column("actual_start", "actual start date, YYYY-MM-DD", ""),
        Column("planned_end", "planned end date, YYYY-MM-DD", "2024-12-31"),
        Column("actual_end", "actual end date, YYYY-MM-DD", ""),
        Column("reporting_org", f"the organisation that reports the activity: {_ORG}", "Sida [SE-0]"),
        Column("funding_orgs", f"funders: {_ORGS}", "Sida [SE-0]; UNICEF [XM-DAC-41122]"),
        Column("implementing_orgs", f"implementers: {_ORGS}", "Ministry of Health"),
        Column("extending_orgs", f"organisations that manage the funds for the funder: {_ORGS}", ""),
        Column("accountable_orgs", f"organisations accountable for the activity: {_ORGS}", ""),
        Column("countries", "recipient countries: ISO 3166-1 two-letter codes separated by ';', each "
               "optionally followed by its percentage", "KH 60; LA 40"),
        Column("regions", "recipient regions: OECD DAC region codes (or MEKONG, SEA), each optionally with "
               "a percentage; countries and regions share 100 %", ""),
        Column("sectors", "OECD DAC 5-digit purpose codes separated by ';', each optionally followed by "
               "its percentage", "14030 70; 12261 30"),
        Column("currency", "ISO 4217 code of this activity's amounts (also used by the budgets and "
               "transactions sheets when they give none)", "EUR"),
        Column("budget_amount", "total budget of the whole activity, in `currency`, over the activity's "
               "dates; use the budgets sheet instead for yearly or revised budgets", "2500000"),
    ],
    "budgets": [
        Column("activity_id", "the activity, as in the activities sheet", "XM-DAC-41114-PROJECT-00012345", True),
        Column("budget_kind", "'budget' (default) or 'planned disbursement'", "budget"),
        Column("budget_type", "'original' (default) or 'revised' (a revised budget replaces the original of "
               "the same period; they are never added)", "original"),
        Column("period_start", "first day of the period, YYYY-MM-DD", "2021-01-01"),
        Column("period_end", "last day of the period, YYYY-MM-DD", "2021-12-31"),
        Column("amount", "the amount, a plain number (no thousands separators)", "800000", True),
        Column("currency", "ISO 4217 code; default: the activity's currency", "EUR"),
        Column("value_date", "date whose exchange rate converts the amount; default: the period start",
               ""),
    ],
    "transactions": [
        Column("activity_id", "the activity, as in the activities sheet", "XM-DAC-41114-PROJECT-00012345", True),
        Column("transaction_type", "IATI transaction type, code or word: 1 incoming funds, 2 commitment, "
               "3 disbursement, 4 expenditure, 11 incoming commitment", "3", True),
        Column("date", "date of the transaction, YYYY-MM-DD", "2021-03-15"),
        Column("amount", "the amount, a plain number (negative for a refund)", "250000", True),
        Column("currency", "ISO 4217 code; default: the activity's currency", "EUR"),
        Column("value_date", "date whose exchange rate converts the amount; default: the date", ""),
        Column("provider_org", f"who the money comes from: {_ORG}", "Sida [SE-0]"),
        Column("receiver_org", f"who receives it: {_ORG}", "Ministry of Health"),
        Column("sector", "DAC 5-digit code, when the activity has no sectors of its own", ""),
        Column("country", "ISO 3166-1 two-letter code, when the activity has no countries of its own", ""),
        Column("description", "what the transaction is", "First instalment"),
    ],
    "locations": [
        Column("activity_id", "the activity, as in the activities sheet", "XM-DAC-41114-PROJECT-00012345", True),
        Column("location_name", "name of the place", "Paksan", True),
        Column("location_kind", "province, district, city or point (default: point)", "city"),
        Column("province", "the province: ISO 3166-2 code (e.g. LA-BL) or its name; found from the name or "
               "the coordinates when empty", "LA-BL"),
        Column("country", "ISO 3166-1 two-letter code", "LA"),
        Column("lat", "latitude in decimal degrees (WGS 84)", "18.3976"),
        Column("lon", "longitude in decimal degrees (WGS 84)", "103.6548"),
        Column("note", "what the place is to the activity", "project office"),
    ],
}

XLSX_NAME = "mekong-import-template.xlsx"


def columns_markdown() -> str:
    """The documented column list, for the Data page."""
    out = []
    for sheet, cols in SHEETS.items():
        out.append(f"**{sheet}**\n\n| column | required | what to write | example |\n|---|---|---|---|")
        for c in cols:
            out.append(f"| `{c.name}` | {'yes' if c.required else ''} | {c.description} | {c.example} |")
        out.append("")
    return "\n".join(out)


def csv_bytes(sheet: str) -> bytes:
    """The header row of one sheet as a UTF-8 CSV file (with a BOM so Excel reads it as UTF-8)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow([c.name for c in SHEETS[sheet]])
    return buf.getvalue().encode("utf-8-sig")


def xlsx_bytes() -> bytes:
    """The workbook: a README sheet with the column list, then one empty sheet per kind of fact."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    readme = wb.active
    readme.title = "README"
    readme.append([("Mekong cooperation dashboard: import template. Fill one row per activity in "
                    "'activities'; the other sheets are optional. Dates YYYY-MM-DD, amounts plain numbers.")])
    readme.append([])
    readme.append(["sheet", "column", "required", "what to write", "example"])
    for sheet, cols in SHEETS.items():
        for c in cols:
            readme.append([sheet, c.name, "yes" if c.required else "", c.description, c.example])
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


def write_template(out_dir: Path) -> list[Path]:
    """Write the workbook and one CSV per sheet into out_dir; returns the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / XLSX_NAME]
    paths[0].write_bytes(xlsx_bytes())
    for sheet in SHEETS:
        p = out_dir / f"{sheet}.csv"
        p.write_bytes(csv_bytes(sheet))
        paths.append(p)
    return paths
