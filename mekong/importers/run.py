"""One import: check and read every file, then apply them all in one transaction or none.

Used by `python -m mekong import` and by the Data page. Every file is checked and read
before the database is touched, so a refused file never reaches it; the database work runs
on a copy that replaces the file atomically (mekong.store.swap.replace_with), so a failure there
(e.g. an integrity rule) leaves the database byte-for-byte as it was.
"""
import datetime as dt
import gc
import hashlib
import time
from collections.abc import Iterable
from pathlib import Path

import duckdb

from mekong.importers import safety, sheet
from mekong.importers.apply import apply_batches, money_summary, remove_documents
from mekong.importers.batch import Batch
from mekong.importers.iati import IatiReader
from mekong.importers.places import default_places
from mekong.importers.report import FileReport, ImportReport
from mekong.importers.safety import MAX_BYTES, Refused
from mekong.paths import DATA_DIR
from mekong.store import freshness
from mekong.store.build import create_empty, load_seed
from mekong.store.derive import IntegrityError, check_integrity, derive
from mekong.store.health import DamagedDatabase
from mekong.store.swap import WriteRefused, replace_with


def _document(kind: str, name: str, sha: str, now: dt.datetime) -> dict:
    return {"document_id": f"{kind}:{name}", "title": name, "publisher": None, "url": None, "file": name,
            "language": None, "published": None, "retrieved": now.date(), "kind": kind,
            "imported_at": now, "fetched_at": None, "sha256": sha, "note": None}


def read_uploads(uploads: list[tuple[str, bytes]], max_bytes: int = MAX_BYTES,
                 all_countries: bool = False) -> list[tuple[Batch, FileReport]]:
    """Check and read files given as (name, bytes); raises Refused on the first bad one.
    IATI activities that do not concern the Mekong region are left out unless
    all_countries (importers/scope.py)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    names = [n for n, _ in uploads]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise Refused(dupes[0], "is given twice in one import")
    reader = IatiReader(default_places(), all_countries=all_countries)
    out, csvs = [], []
    for name, data in uploads:
        if len(data) == 0:
            raise Refused(name, "is empty")
        if len(data) > max_bytes:
            raise Refused(name, f"is {len(data) / 2**20:.1f} MB, more than the import limit of "
                                f"{max_bytes / 2**20:.1f} MB")
        kind = safety.file_kind(name, data)
        sha = hashlib.sha256(data).hexdigest()
        if kind == "xml":
            batch = reader.read_file(name, data, _document("iati", name, sha, now))
        elif kind == "xlsx":
            safety.check_xlsx(name, data, max_bytes)
            batch = sheet.read_workbook(name, data, reader, _document("spreadsheet", name, sha, now))
        else:
            csvs.append((name, safety.decode_text(name, data), sha))
            continue
        out.append((batch, _file_report(name, batch)))
    if csvs:
        batch = sheet.read_csv_set(csvs, reader, lambda name, sha: _document("spreadsheet", name, sha, now))
        out.append((batch, _file_report(batch.document["file"], batch)))
    return out


def _file_report(name: str, batch: Batch) -> FileReport:
    d = batch.document
    return FileReport(file=name, kind=d["kind"], document_id=d["document_id"], sha256=d["sha256"],
                      publisher=d["publisher"], counts=batch.counts(), deviations=batch.deviations,
                      left_out=batch.left_out)


def import_data(uploads: list[tuple[str, bytes]], db_path: Path, max_bytes: int = MAX_BYTES,
                all_countries: bool = False) -> ImportReport:
    """Import files given as (file name, content) - what an upload widget hands over.
    all_countries: keep the activities of IATI files that do not concern the Mekong region."""
    # An import makes millions of small objects that all live until it ends: the cyclic
    # garbage collector would scan them over and over for nothing (~10 % of the time).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _import(uploads, Path(db_path), max_bytes, all_countries)
    finally:
        if enabled:
            gc.enable()


def _import(uploads: list[tuple[str, bytes]], db_path: Path, max_bytes: int, all_countries: bool) -> ImportReport:
    start = time.perf_counter()
    report = ImportReport(applied=False, db_path=str(db_path))
    try:
        read = read_uploads(uploads, max_bytes, all_countries)
    except Refused as e:
        report.reason = str(e)
        report.files = [FileReport(file=n) for n, _ in uploads]
        return report
    return apply_read(read, db_path, report, start)


def apply_read(read: list[tuple[Batch, FileReport]], db_path: Path, report: ImportReport,
               start: float) -> ImportReport:
    """The database half of an import, for batches already read (files, or the pages of a
    fetch: mekong/importers/live.py): all of them in one transaction on a copy, or none."""
    batches = [b for b, _ in read]
    report.files = [f for _, f in read]
    # No database yet, or one made from older data or code that holds only the default
    # portfolio: the new file starts as a fresh build, in the same transaction. A database
    # holding imports in an older schema is left alone (see mekong/store/freshness.py).
    # A file that cannot be read is never rebuilt here: its imports would be lost in silence.
    try:
        verdict = freshness.verdict(db_path) if db_path.exists() and db_path.stat().st_size else "missing"
    except DamagedDatabase as e:
        report.reason = str(e)
        return report
    if verdict == "outdated":
        report.reason = (f"{db_path.name}: the database holds imported data in an older database schema, so "
                         "nothing was changed; rebuild it with 'python -m mekong build' and import the files again")
        return report
    report.built_first = verdict in ("missing", "rebuild")
    result = {}

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        if report.built_first:
            create_empty(con, DATA_DIR)
            load_seed(con, DATA_DIR / "seed")
        result.update(apply_batches(con, batches))
        # only the touched activities' derived rows, unless the database was derived by
        # other code (or is being built): then all of them
        touched = result["touched"] if verdict == "fresh" else None
        derive(con, touched)
        check_integrity(con, touched)
        if report.built_first:
            freshness.record(con, DATA_DIR)
        result["money"] = money_summary(con, [p for b in batches for p in b.project_ids()])

    try:
        replace_with(db_path, fill, start_from_current=not report.built_first)
    except (Refused, WriteRefused) as e:
        report.reason = str(e)
        return report
    except IntegrityError as e:
        report.reason = f"the imported data would break the database's rules, so nothing was changed: {e}"
        return report
    except duckdb.Error as e:
        report.reason = f"the database refused the data, so nothing was changed: {e}"
        return report
    report.applied = True
    report.money = result["money"]
    report.replaced_documents = result["replaced_documents"]
    report.replaced_activities = result["replaced_activities"]
    report.removed_activities = result["removed_activities"]
    report.seconds = time.perf_counter() - start
    return report


def import_files(paths: Iterable[Path | str], db_path: Path, max_bytes: int = MAX_BYTES,
                 all_countries: bool = False) -> ImportReport:
    """Import files from disk: all of them, or none when any is refused."""
    paths = [Path(p) for p in paths]
    uploads = []
    for p in paths:
        try:
            uploads.append((p.name, safety.read_bytes(p, max_bytes)))
        except Refused as e:
            return ImportReport(applied=False, db_path=str(db_path), reason=str(e),
                                files=[FileReport(file=x.name) for x in paths])
    return import_data(uploads, db_path, max_bytes, all_countries)


def remove_imports(document_ids: list[str], db_path: Path) -> int:
    """Take imported documents out of the database, all in one transaction on a copy that
    replaces the file (curated documents are never removed); returns the number of
    activities removed. Raises IntegrityError, duckdb.Error, health.DamagedDatabase or
    swap.WriteRefused, leaving the file untouched."""
    removed = 0
    fresh = freshness.verdict(Path(db_path)) == "fresh"

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        nonlocal removed
        removed, touched = remove_documents(con, list(document_ids))
        derive(con, touched if fresh else None)
        check_integrity(con, touched if fresh else None)

    replace_with(Path(db_path), fill, start_from_current=True)
    return removed
