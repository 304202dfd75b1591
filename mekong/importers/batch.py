"""What an importer produces: rows for each fact table, and the deviations it met.

Both readers (IATI XML, the spreadsheet template) fill a Batch; apply.py writes it.
"""
from dataclasses import dataclass, field

import pyarrow as pa

from mekong.importers.scope import LeftOut
from mekong.importers.values import readable_name, slug

_DATE = pa.date32()
_TEXT = pa.string()
# Amounts are Decimals rounded to cents in the rows; they go to DuckDB as text, which it casts
# exactly to DECIMAL(20, 2) (~10x faster than building an Arrow decimal column from Decimals).
_MONEY = pa.string()
MONEY_COLUMNS = {"amount"}

# The columns an import fills, per table (the rest keep their defaults or NULL).
COLUMNS: dict[str, dict[str, pa.DataType]] = {
    "source": {"source_id": _TEXT, "document_id": _TEXT, "passage": _TEXT, "note": _TEXT},
    "organisation": {"org_id": _TEXT, "ref": _TEXT, "name_en": _TEXT, "name_fr": _TEXT,
                     "type": _TEXT, "source_id": _TEXT, "published_name": _TEXT},
    "project": {"project_id": _TEXT, "iati_id": _TEXT, "code": _TEXT, "title_en": _TEXT,
                "title_fr": _TEXT, "description_en": _TEXT, "description_fr": _TEXT,
                "status": _TEXT, "status_source_id": _TEXT, "reporting_org_id": _TEXT,
                "hierarchy": pa.int32(), "parent_id": _TEXT, "scope_note": _TEXT,
                "iati_version": _TEXT, "secondary_reporter": pa.bool_(), "last_updated": pa.timestamp("s"),
                "document_id": _TEXT, "source_id": _TEXT},
    "project_text": {"project_id": _TEXT, "field": _TEXT, "type": _TEXT, "lang": _TEXT,
                     "text": _TEXT, "source_id": _TEXT},
    "project_date": {"project_id": _TEXT, "type": _TEXT, "date": _DATE, "source_id": _TEXT},
    "participation": {"project_id": _TEXT, "org_id": _TEXT, "role": _TEXT, "source_id": _TEXT},
    "project_sector": {"project_id": _TEXT, "vocabulary": _TEXT, "code": _TEXT,
                       "percentage": pa.float64(), "source_id": _TEXT},
    "project_country": {"project_id": _TEXT, "country": _TEXT, "percentage": pa.float64(),
                        "source_id": _TEXT},
    "project_region": {"project_id": _TEXT, "vocabulary": _TEXT, "code": _TEXT,
                       "percentage": pa.float64(), "source_id": _TEXT},
    "location": {"location_id": _TEXT, "name": _TEXT, "kind": _TEXT, "country": _TEXT,
                 "province": _TEXT, "lat": pa.float64(), "lon": pa.float64(),
                 "coord_basis": _TEXT, "source_id": _TEXT},
    "project_location": {"project_id": _TEXT, "location_id": _TEXT, "note": _TEXT,
                         "source_id": _TEXT},
    "budget": {"budget_id": _TEXT, "project_id": _TEXT, "kind": _TEXT, "type": _TEXT,
               "amount": _MONEY, "currency": _TEXT, "period_start": _DATE, "period_end": _DATE,
               "value_date": _DATE, "source_id": _TEXT},
    "transaction": {"transaction_id": _TEXT, "project_id": _TEXT, "type": _TEXT, "date": _DATE,
                    "amount": _MONEY, "currency": _TEXT, "value_date": _DATE,
                    "provider_org_id": _TEXT, "provider_name": _TEXT, "receiver_org_id": _TEXT,
                    "receiver_name": _TEXT, "sector_vocabulary": _TEXT, "sector_code": _TEXT,
                    "country": _TEXT, "description": _TEXT, "provider_activity_id": _TEXT,
                    "receiver_activity_id": _TEXT, "source_id": _TEXT},
    "activity_relation": {"project_id": _TEXT, "related_id": _TEXT, "type": _TEXT, "source_id": _TEXT},
}

# Tables whose rows belong to one activity (deleted with it on re-import).
PROJECT_TABLES = ["project_text", "project_date", "participation", "project_sector",
                  "project_country", "project_region", "project_location", "budget",
                  "transaction", "activity_relation"]


@dataclass(frozen=True)
class Deviation:
    """Something in a file that is not as the format says. severity 'error': the element
    was dropped; 'warning': it was kept as read (e.g. percentages that do not add up)."""
    file: str
    activity: str | None      # the activity identifier, None for file-level remarks
    element: str              # e.g. 'transaction[3]/value'
    message: str
    severity: str = "error"
    line: int | None = None

    def where(self) -> str:
        parts = [self.file]
        if self.line:
            parts.append(f"line {self.line}")
        if self.activity:
            parts.append(f"activity {self.activity}")
        parts.append(self.element)
        return ", ".join(parts)


@dataclass
class Batch:
    """Rows per table (dicts with the COLUMNS keys) plus the document they come from."""
    document: dict
    rows: dict[str, list[dict]] = field(default_factory=lambda: {t: [] for t in COLUMNS})
    deviations: list[Deviation] = field(default_factory=list)
    orgs: dict[str, dict] = field(default_factory=dict)
    # activities left out as outside the Mekong region (importers/scope.py)
    left_out: LeftOut = field(default_factory=LeftOut)

    @property
    def document_id(self) -> str:
        return self.document["document_id"]

    def add(self, table: str, **row) -> None:
        self.rows[table].append(row)

    def org(self, ref: str | None, name: str | None, name_fr: str | None, org_type: str | None,
            source_id: str) -> str | None:
        """The org_id of an organisation named in this batch - its IATI identifier (@ref),
        else a slug of its name - adding its row the first time; None when it has neither."""
        if not ref and not name:
            return None
        org_id = ref or slug(name)
        row = self.orgs.get(org_id)
        if row is None:
            row = {"org_id": org_id, "ref": ref, "name_en": readable_name(name) or ref, "name_fr": readable_name(name_fr),
                   "type": org_type, "source_id": source_id,
                   "published_name": name if name and readable_name(name) != name else None}
            self.orgs[org_id] = row
            self.rows["organisation"].append(row)
        elif row["name_en"] == row["ref"] and name:
            row["name_en"] = readable_name(name)  # first met without a name, now with one
            row["published_name"] = name if readable_name(name) != name else None
        return org_id

    def arrow(self, table: str) -> pa.Table:
        rows = self.rows[table]
        arrays = []
        for name, dtype in COLUMNS[table].items():
            values = [r[name] for r in rows]
            if name in MONEY_COLUMNS:
                values = [None if v is None else str(v) for v in values]
            arrays.append(pa.array(values, type=dtype))
        return pa.Table.from_arrays(arrays, names=list(COLUMNS[table]))

    def project_ids(self) -> list[str]:
        return [r["project_id"] for r in self.rows["project"]]

    def counts(self) -> dict[str, int]:
        b = self.rows["budget"]
        return {
            "activities": len(self.rows["project"]),
            "budgets": sum(1 for r in b if r["kind"] == "budget"),
            "planned_disbursements": sum(1 for r in b if r["kind"] == "planned_disbursement"),
            "transactions": len(self.rows["transaction"]),
            "participations": len(self.rows["participation"]),
            "organisations": len(self.rows["organisation"]),
            "sectors": len(self.rows["project_sector"]),
            "countries": len(self.rows["project_country"]),
            "regions": len(self.rows["project_region"]),
            "locations": len(self.rows["location"]),
            "deviations": len(self.deviations),
        }
