"""The spreadsheet template (XLSX workbook or CSV files) -> a Batch, like an IATI file.

The columns are documented in template.py. A workbook is one document; the CSV files of
one import are read together as one document (one CSV per sheet, recognised by its header)
named after the activities file. Rows of the budgets, transactions and locations sheets
must name an activity of the activities sheet.
"""
import csv
import datetime as dt
import hashlib
import io
import re
from decimal import Decimal

from mekong.importers import codes
from mekong.importers.batch import Batch, Deviation
from mekong.importers.iati import IatiReader
from mekong.importers.safety import Refused
from mekong.importers.template import SHEETS
from mekong.importers.values import (
    CENT,
    Unreadable,
    currency_code,
    parse_amount,
    parse_date,
    parse_percentage,
    split_problem,
)

_REQUIRED = {s: [c.name for c in cols if c.required] for s, cols in SHEETS.items()}
_KNOWN = {s: {c.name for c in cols} for s, cols in SHEETS.items()}
# A CSV file is recognised by a column only its sheet has.
_MARKERS = {"activities": {"title_en", "title_fr", "funding_orgs", "sectors"},
            "budgets": {"budget_type", "budget_kind", "period_start"},
            "transactions": {"transaction_type"}, "locations": {"location_name"}}
_ORG = re.compile(r"^(.*?)\s*\[([^\]]*)\]\s*$")
_ROLES = {"funding_orgs": "funding", "accountable_orgs": "accountable", "extending_orgs": "extending",
          "implementing_orgs": "implementing"}
_DATES = {"planned_start": "planned_start", "actual_start": "actual_start", "planned_end": "planned_end",
          "actual_end": "actual_end"}


def _header(cells) -> list[str]:
    return [re.sub(r"\s+", "_", str(c).strip().lower()) if c is not None else "" for c in cells]


_AS_WRITTEN = ("=", "+", "-", "@", "\t", "\r")


def _text(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, (dt.datetime, dt.date)):
        return (v.date() if isinstance(v, dt.datetime) else v).isoformat()
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v)
    # A value starting as a formula would (a tab, a carriage return, = + - @) is kept as
    # written: trimming "\t=1+2" would make a formula of it. Exports write such text as
    # text (mekong/exports/files.py).
    s = s.rstrip() if s.startswith(_AS_WRITTEN) else s.strip()
    return s or None


class _Sheet:
    """One sheet's rows as dicts, with the file and row number to report deviations."""

    def __init__(self, name: str, file: str, header: list[str], rows: list[tuple[int, tuple]]):
        self.name, self.file, self.header = name, file, header
        missing = [c for c in _REQUIRED[name] if c not in header]
        if missing:
            raise Refused(file, f"sheet '{name}' has no column '{missing[0]}' (its first row must hold the "
                                "column names of the template)", 1)
        self.rows = [(n, dict(zip(header, r))) for n, r in rows if any(_text(v) for v in r)]
        self.unknown = [c for c in header if c and c not in _KNOWN[name]]


def read_workbook(name: str, data: bytes, reader: IatiReader, document: dict) -> Batch:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds for a damaged workbook
        raise Refused(name, f"cannot be read as an .xlsx workbook ({type(e).__name__}: {e})") from None
    sheets, ignored = {}, []
    try:
        for ws in wb.worksheets:
            title = ws.title.strip().lower()
            if title not in SHEETS:
                if title != "readme":
                    ignored.append(ws.title)
                continue
            rows = ws.iter_rows(values_only=True)
            header = _header(next(rows, ()))
            sheets[title] = _Sheet(title, name, header, [(n, r) for n, r in enumerate(rows, 2)])
    finally:
        wb.close()
    if "activities" not in sheets:
        raise Refused(name, "has no sheet named 'activities' (use the template from the Data page)")
    batch = _SheetReader(reader, document, sheets).read()
    for title in ignored:
        batch.deviations.insert(0, Deviation(name, None, f"sheet '{title}'", "is not a sheet of the template; "
                                                                           "ignored", "warning"))
    return batch


def read_csv_set(files: list[tuple[str, str, str]], reader: IatiReader, make_document) -> Batch:
    """files: (name, text, sha256) of every CSV file of one import."""
    sheets = {}
    for name, text, _ in files:
        rows = list(csv.reader(io.StringIO(text)))
        header = _header(rows[0]) if rows else []
        kind = next((s for s, marks in _MARKERS.items() if marks & set(header)), None)
        if kind is None or "activity_id" not in header:
            raise Refused(name, "is not a sheet of the import template: its first row must hold the column "
                                "names (activity_id, title_en, ... for activities; see the Data page)", 1)
        if kind in sheets:
            raise Refused(name, f"is a second '{kind}' sheet in this import (the first is "
                                f"{sheets[kind].file}); import one set of CSV files at a time")
        sheets[kind] = _Sheet(kind, name, header, [(n, tuple(r)) for n, r in enumerate(rows[1:], 2)])
    if "activities" not in sheets:
        raise Refused(files[0][0], "the CSV files of this import hold no activities sheet (a CSV whose "
                                   "header has activity_id and title_en); budgets, transactions and "
                                   "locations need their activities")
    main = sheets["activities"].file
    sha = hashlib.sha256("".join(sorted(s for _, _, s in files)).encode()).hexdigest() if len(files) > 1 \
        else files[0][2]
    document = make_document(main, sha)
    document["note"] = "CSV files: " + ", ".join(n for n, _, _ in files)
    return _SheetReader(reader, document, sheets).read()


class _SheetReader:
    def __init__(self, reader: IatiReader, document: dict, sheets: dict[str, _Sheet]):
        self.r, self.sheets = reader, sheets
        self.b = Batch(document=document)
        self.currency: dict[str, str | None] = {}
        self.countries: dict[str, set] = {}
        self.n: dict[tuple[str, str], int] = {}   # (activity, 'b'/'pd'/'t'/'l') -> rows so far

    def dev(self, sheet: _Sheet, n: int, activity, column: str, message: str, severity: str = "error"):
        self.b.deviations.append(Deviation(sheet.file, activity, f"{sheet.name}!row {n}, {column}", message,
                                           severity, n))

    def next_id(self, pid: str, prefix: str) -> str:
        k = self.n[(pid, prefix)] = self.n.get((pid, prefix), 0) + 1
        return f"{pid}:{prefix}{k}"

    def read(self) -> Batch:
        for s in self.sheets.values():
            for c in s.unknown:
                self.b.deviations.append(Deviation(s.file, None, f"{s.name}!{c}", "is not a column of the "
                                                   "template; ignored", "warning", 1))
        publishers = {}
        for n, row in self.sheets["activities"].rows:
            self.activity(n, row, publishers)
        for kind, fn in (("budgets", self.budget), ("transactions", self.transaction),
                         ("locations", self.location)):
            if kind in self.sheets:
                for n, row in self.sheets[kind].rows:
                    pid = _text(row.get("activity_id"))
                    if pid not in self.currency:
                        self.dev(self.sheets[kind], n, pid, "activity_id",
                                 f"activity '{pid}' is not in the activities sheet; row left out"
                                 if pid else "has no activity_id; row left out")
                        continue
                    fn(self.sheets[kind], n, row, pid)
        if not self.b.rows["project"]:
            raise Refused(self.sheets["activities"].file, "has no activity that can be read (no row of the "
                                                          "activities sheet has an activity_id)")
        names = sorted(publishers, key=publishers.get, reverse=True)
        d = self.b.document
        d["title"] = f"Spreadsheet: {d['file']}"
        d["publisher"] = "; ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "") \
            if names else None
        d["note"] = ((d.get("note") or "") + f"; {len(self.b.rows['project'])} activities").lstrip("; ")
        return self.b

    # --- helpers -----------------------------------------------------------------
    def _date(self, s, n, pid, row, col):
        try:
            v = row.get(col)
            if isinstance(v, (dt.datetime, dt.date)):
                return v.date() if isinstance(v, dt.datetime) else v
            return parse_date(_text(v))
        except Unreadable as e:
            self.dev(s, n, pid, col, f"{e}; left out")
            return None

    def _amount(self, s, n, pid, row, col) -> Decimal | None:
        v = row.get(col)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return Decimal(repr(v)).quantize(CENT)
        try:
            return parse_amount(_text(v))
        except Unreadable as e:
            self.dev(s, n, pid, col, f"{e}; row left out")
            return None

    def _currency(self, s, n, pid, row) -> str:
        try:
            cur = currency_code(_text(row.get("currency")))
        except Unreadable as e:
            self.dev(s, n, pid, "currency", f"{e}")
            cur = None
        cur = cur or self.currency.get(pid)
        if cur is None:
            self.dev(s, n, pid, "currency", "no currency here or in the activities sheet; kept as XXX "
                     "(unknown currency), never converted")
            cur = "XXX"
        return cur

    def _org(self, text: str | None, source_id: str) -> tuple[str | None, str | None]:
        if not text:
            return None, None
        m = _ORG.match(text)
        name, ref = (m.group(1).strip() or None, m.group(2).strip() or None) if m else (text.strip(), None)
        return self.b.org(ref, name, None, None, source_id), name

    def _split(self, s, n, pid, col, text) -> list[tuple[str, float | None]]:
        """'KH 60; LA 40' -> [('KH', 60.0), ('LA', 40.0)]."""
        out = []
        for part in filter(None, (p.strip() for p in re.split(r"[;\n]", text or ""))):
            bits = part.replace(",", " ").split()
            code = bits[0]
            pct = None
            if len(bits) > 1:
                try:
                    pct = parse_percentage(bits[1])
                except Unreadable as e:
                    self.dev(s, n, pid, col, f"{code}: {e}; kept without a percentage")
            out.append((code, pct))
        return out

    # --- sheets ------------------------------------------------------------------
    def activity(self, n, row, publishers):
        s = self.sheets["activities"]
        pid = _text(row.get("activity_id"))
        if not pid:
            self.dev(s, n, None, "activity_id", "has no activity_id; the row is left out")
            return
        if pid in self.r.seen:
            self.dev(s, n, pid, "activity_id", "repeats an activity read earlier in this import; left out")
            return
        self.r.seen.add(pid)
        src = f"{self.b.document_id}#{pid}"
        self.b.add("source", source_id=src, document_id=self.b.document_id,
                   passage=f"{s.file}: {s.name} row {n}", note=None)
        t = {c: _text(row.get(c)) for c in ("code", "title_en", "title_fr", "description_en", "description_fr",
                                             "status", "reporting_org")}
        if not t["title_en"] and not t["title_fr"]:
            self.dev(s, n, pid, "title_en", "the activity has no title", "warning")
        for field in ("title", "description"):
            for lang in ("en", "fr"):
                if t[f"{field}_{lang}"]:
                    self.b.add("project_text", project_id=pid, field=field, type="1" if field == "description"
                               else None, lang=lang, text=t[f"{field}_{lang}"], source_id=src)
        status = codes.status_code(t["status"])
        if t["status"] and status is None:
            self.dev(s, n, pid, "status", f"'{t['status']}' is not an IATI activity status; left out")
        reporting, rname = self._org(t["reporting_org"], src)
        if rname or reporting:
            publishers[rname or reporting] = publishers.get(rname or reporting, 0) + 1
        self.b.add("project", project_id=pid, iati_id=pid, code=t["code"], title_en=t["title_en"],
                   title_fr=t["title_fr"], description_en=t["description_en"], description_fr=t["description_fr"],
                   status=status, status_source_id=src if status else None, reporting_org_id=reporting,
                   hierarchy=1, parent_id=None, scope_note=None, iati_version=None, secondary_reporter=False,
                   last_updated=None, document_id=self.b.document_id,
                   source_id=src)
        for col, dtype in _DATES.items():
            d = self._date(s, n, pid, row, col)
            if d:
                self.b.add("project_date", project_id=pid, type=dtype, date=d, source_id=src)
        for col, role in _ROLES.items():
            done = set()
            for part in filter(None, (p.strip() for p in (_text(row.get(col)) or "").split(";"))):
                org_id, _ = self._org(part, src)
                if org_id and org_id not in done:
                    done.add(org_id)
                    self.b.add("participation", project_id=pid, org_id=org_id, role=role, source_id=src)
        split = []
        self.countries[pid] = set()
        for code, pct in self._split(s, n, pid, "countries", _text(row.get("countries"))):
            code = code.upper()
            if code not in self.r.places.countries:
                self.dev(s, n, pid, "countries", f"'{code}' is not an ISO 3166-1 country code; left out")
            elif code not in self.countries[pid]:
                self.countries[pid].add(code)
                split.append(pct)
                self.b.add("project_country", project_id=pid, country=code, percentage=pct, source_id=src)
        for code, pct in self._split(s, n, pid, "regions", _text(row.get("regions"))):
            split.append(pct)
            self.b.add("project_region", project_id=pid, vocabulary="1" if code.isdigit() else "99",
                       code=code.upper(), percentage=pct, source_id=src)
        problem = split_problem(split)
        if problem:
            self.dev(s, n, pid, "countries/regions", problem, "warning")
        sectors, seen = {}, set()  # percentages per vocabulary
        for code, pct in self._split(s, n, pid, "sectors", _text(row.get("sectors"))):
            vocab = "2" if len(code) == 3 and code.isdigit() else "1"
            if not (code.isdigit() and len(code) in (3, 5)):
                self.dev(s, n, pid, "sectors", f"'{code}' is not a DAC 5-digit code; kept as written", "warning")
            if (vocab, code) in seen:
                continue
            seen.add((vocab, code))
            sectors.setdefault(vocab, []).append(pct)
            self.b.add("project_sector", project_id=pid, vocabulary=vocab, code=code, percentage=pct,
                       source_id=src)
        for pcts in sectors.values():
            problem = split_problem(pcts)
            if problem:
                self.dev(s, n, pid, "sectors", problem, "warning")
        try:
            self.currency[pid] = currency_code(_text(row.get("currency")))
        except Unreadable as e:
            self.dev(s, n, pid, "currency", str(e))
            self.currency[pid] = None
        if _text(row.get("budget_amount")):
            amount = self._amount(s, n, pid, row, "budget_amount")
            if amount is not None:
                self.b.add("budget", budget_id=self.next_id(pid, "b"), project_id=pid, kind="budget",
                           type="original", amount=amount, currency=self._currency(s, n, pid, row),
                           period_start=None, period_end=None, value_date=None, source_id=src)

    def budget(self, s, n, row, pid):
        src = f"{self.b.document_id}#{pid}"
        kind_text = (_text(row.get("budget_kind")) or "budget").lower().replace("_", " ")
        kind = {"budget": "budget", "planned disbursement": "planned_disbursement"}.get(kind_text)
        if kind is None:
            self.dev(s, n, pid, "budget_kind", f"'{kind_text}' is not 'budget' or 'planned disbursement'; "
                     "taken as budget", "warning")
            kind = "budget"
        raw = (_text(row.get("budget_type")) or "original").lower()
        btype = codes.BUDGET_TYPES.get(raw)
        if btype is None:
            self.dev(s, n, pid, "budget_type", f"'{raw}' is not 'original' or 'revised'; taken as original",
                     "warning")
            btype = "original"
        amount = self._amount(s, n, pid, row, "amount")
        if amount is None:
            return
        self.b.add("budget", budget_id=self.next_id(pid, "b" if kind == "budget" else "pd"), project_id=pid,
                   kind=kind, type=btype, amount=amount, currency=self._currency(s, n, pid, row),
                   period_start=self._date(s, n, pid, row, "period_start"),
                   period_end=self._date(s, n, pid, row, "period_end"),
                   value_date=self._date(s, n, pid, row, "value_date"), source_id=src)

    def transaction(self, s, n, row, pid):
        src = f"{self.b.document_id}#{pid}"
        raw = _text(row.get("transaction_type"))
        ttype = codes.transaction_type(raw)
        if ttype is None:
            self.dev(s, n, pid, "transaction_type", f"'{raw}' is not an IATI transaction type; row left out"
                     if raw else "no transaction type; row left out")
            return
        amount = self._amount(s, n, pid, row, "amount")
        if amount is None:
            return
        provider, pname = self._org(_text(row.get("provider_org")), src)
        receiver, rname = self._org(_text(row.get("receiver_org")), src)
        sector = _text(row.get("sector"))
        country = (_text(row.get("country")) or "").upper() or None
        if country and country not in self.r.places.countries:
            self.dev(s, n, pid, "country", f"'{country}' is not an ISO 3166-1 country code; left out")
            country = None
        self.b.add("transaction", transaction_id=self.next_id(pid, "t"), project_id=pid, type=ttype,
                   date=self._date(s, n, pid, row, "date"), amount=amount,
                   currency=self._currency(s, n, pid, row), value_date=self._date(s, n, pid, row, "value_date"),
                   provider_org_id=provider, provider_name=pname, receiver_org_id=receiver, receiver_name=rname,
                   sector_vocabulary="1" if sector else None, sector_code=sector, country=country,
                   description=_text(row.get("description")), provider_activity_id=None, receiver_activity_id=None,
                   source_id=src)

    def location(self, s, n, row, pid):
        src = f"{self.b.document_id}#{pid}"
        name = _text(row.get("location_name"))
        if not name:
            self.dev(s, n, pid, "location_name", "no name; row left out")
            return
        kind = (_text(row.get("location_kind")) or "point").lower()
        if kind not in ("country", "province", "district", "city", "point"):
            self.dev(s, n, pid, "location_kind", f"'{kind}' is not province, district, city or point; "
                     "taken as point", "warning")
            kind = "point"
        lat = lon = None
        if _text(row.get("lat")) or _text(row.get("lon")):
            try:
                lat, lon = float(_text(row.get("lat"))), float(_text(row.get("lon")))
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise ValueError
            except (TypeError, ValueError):
                self.dev(s, n, pid, "lat/lon", "coordinates cannot be read; the place is kept without them")
                lat = lon = None
        province = _text(row.get("province"))
        country = (_text(row.get("country")) or "").upper()
        countries = {country} if country in self.r.places.countries else self.countries.get(pid, set())
        match = self.r.places.match([province, name] if province else [name],
                                    [province or "", country], lat, lon, countries, kind == "country")
        if province and match.province is None:
            self.dev(s, n, pid, "province", f"'{province}' is not a known province; kept without one", "warning")
        basis = "; ".join(filter(None, ["coordinates as written in the spreadsheet" if lat is not None else None,
                                        f"province from {match.basis}" if match.basis else None])) or None
        location_id = self.next_id(pid, "l")
        self.b.add("location", location_id=location_id, name=name, kind=kind,
                   country=match.country or (country or None), province=match.province, lat=lat, lon=lon,
                   coord_basis=basis, source_id=src)
        self.b.add("project_location", project_id=pid, location_id=location_id,
                   note=_text(row.get("note")), source_id=src)
