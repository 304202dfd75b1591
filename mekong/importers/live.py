"""Live IATI data: what every publisher reports for Mekong countries, fetched from
d-portal's Q API, or one activity file from any address, imported all or nothing.

Used by `python -m mekong fetch` and the Data page's "Load from IATI" panel.

- One document per country (`dportal:KH`, kind 'iati'): fetching a country again
  replaces what its last fetch brought, as loading a file again does (mekong/importers/
  apply.py). An activity on two pages, or under two countries of one run, is read once,
  the first time (it then belongs to the first country's document), and counted among
  the repeats rather than as a deviation.
- Every page is checked as it arrives (fetch.Client: the upload's safety checks while it
  streams; then safety.parse_xml) and kept in the page cache (dportal.PageCache) before
  the next is asked for. Any failure - no network, an HTTP error, a page that is not XML,
  is truncated or hostile, a person cancelling - stops the run with a message naming the
  page and the cause; nothing is applied and the pages received stay for the next run,
  which continues there. Once the import is applied the countries' caches are emptied.
- Dates: each document records when its run started fetching (fetched_at), each activity
  its @last-updated-datetime (project.last_updated).
"""
import datetime as dt
import gc
import hashlib
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale

from mekong.importers import dportal
from mekong.importers.batch import Batch
from mekong.importers.fetch import Cancelled, Client, FetchError, Settings, check_address
from mekong.importers.iati import IatiReader, describe, identifier
from mekong.importers.places import default_places
from mekong.importers.report import FileReport, ImportReport
from mekong.importers.run import apply_read
from mekong.importers.safety import Refused, parse_xml
from mekong.views.english import count

MAX_PAGES = 5_000  # per country: 500,000 activities in pages of 100, far beyond any country's


@dataclass
class Progress:
    """What a run is doing, for a progress bar."""
    phase: str                  # 'fetch', 'retry' (waiting to ask again), 'import'
    country: str | None = None  # None for a file fetched from an address
    pages: int = 0              # pages done in the run (from the network or the cache)
    from_cache: int = 0
    activities: int = 0         # activities on those pages
    seconds: float = 0.0
    note: str | None = None     # the cause of a retry

    @property
    def rate(self) -> float:
        return self.activities / self.seconds if self.seconds > 0 else 0.0


@dataclass
class CountryFetch:
    country: str
    url: str
    started_at: dt.datetime | None = None  # UTC: when the run's first page was asked for
    resumed: bool = False                  # continued a run that had stopped
    pages: int = 0                         # pages holding activities (the empty last one not counted)
    from_cache: int = 0
    activities: int = 0                    # activities on its pages
    repeated: int = 0                      # of those, already read on an earlier page or country

    @property
    def kept(self) -> int:
        return self.activities - self.repeated


@dataclass
class FetchReport:
    """applied: the import replaced the database. Else `error` (or `cancelled`) says why
    nothing was changed; the pages received stay in the cache."""
    db_path: str
    countries: list[CountryFetch] = field(default_factory=list)
    url: str | None = None                 # a file fetched from an address
    fetched_at: dt.datetime | None = None  # UTC
    error: str | None = None
    cancelled: bool = False
    imported: ImportReport | None = None
    seconds: float = 0.0

    @property
    def applied(self) -> bool:
        return self.imported is not None and self.imported.applied

    @property
    def reason(self) -> str | None:
        if self.cancelled:
            return "the fetch was cancelled"
        return self.error or (self.imported.reason if self.imported and not self.imported.applied else None)

    def summary(self, max_deviations: int = 20) -> str:
        lines = []
        for c in self.countries:
            if not c.pages and not c.started_at:
                continue
            resumed = f", continuing a run started {c.started_at:%Y-%m-%d %H:%M} UTC" if c.resumed else ""
            cached = f" ({c.from_cache} from the cache)" if c.from_cache else ""
            repeats = f", {c.repeated} repeated on another page or country (counted once)" if c.repeated else ""
            lines.append(f"{c.country}: {count(c.pages, 'page')}{cached}, {count(c.activities, 'activity')}{repeats}{resumed}")
        if self.url and self.fetched_at:
            lines.append(f"{self.url}: fetched {self.fetched_at:%Y-%m-%d %H:%M} UTC")
        elif self.fetched_at and self.countries:
            lines.append(f"fetched from {self.countries[0].url.split('?')[0]} at "
                         f"{self.fetched_at:%Y-%m-%d %H:%M} UTC")
        if self.cancelled or self.error:
            lines.append(f"REFUSED: nothing was changed in {self.db_path}")
            lines.append(f"  {self.reason}")
            if self.countries and any(c.pages for c in self.countries):
                lines.append("  the pages received are kept: run the same command again to continue where it stopped")
            return "\n".join(lines)
        if self.imported is not None:
            lines.append(self.imported.summary(max_deviations))
        return "\n".join(lines)


class Stop:
    """Cancels a run from another thread up to the moment its import starts; an import,
    once started, is never stopped half way (it is all or nothing anyway)."""

    def __init__(self):
        self.event = threading.Event()
        self._lock = threading.Lock()
        self.importing = False

    def request(self) -> bool:
        """Stop the run; False when its import has already started."""
        with self._lock:
            if self.importing:
                return False
            self.event.set()
            return True

    def begin_import(self) -> bool:
        with self._lock:
            if self.event.is_set():
                return False
            self.importing = True
            return True


def country_name(code: str) -> str:
    return Locale("en").territories.get(code, code)


def normalise_countries(codes) -> list[str]:
    """Upper-case, each once, in the order given; ValueError for a country outside the region."""
    out = []
    for c in codes:
        c = c.strip().upper()
        if c not in dportal.COUNTRIES:
            raise ValueError(f"'{c}' is not one of the Mekong countries {', '.join(dportal.COUNTRIES)}")
        if c not in out:
            out.append(c)
    if not out:
        raise ValueError("no country given")
    return out


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


class _Run:
    def __init__(self, db_path: Path, settings: Settings | None, progress: Callable[[Progress], None] | None,
                 stop: Stop | None):
        self.db_path = Path(db_path)
        self.stop = stop or Stop()
        self.progress = progress or (lambda p: None)
        self.client = Client(settings or Settings(), self.stop.event, on_retry=self._retrying)
        self.reader = IatiReader(default_places())
        self.started = time.perf_counter()
        self.state = Progress("fetch")
        self.report = FetchReport(db_path=str(self.db_path))

    def _retrying(self, what: str, cause: str, wait: float) -> None:
        self._tell("retry", note=f"{what}: {cause}; trying again in {wait:g} s")

    def _tell(self, phase: str, **changes) -> None:
        s = self.state
        s.phase, s.note, s.seconds = phase, None, time.perf_counter() - self.started
        for k, v in changes.items():
            setattr(s, k, v)
        self.progress(Progress(**vars(s)))

    def page_root(self, label: str, data: bytes, url: str):
        try:
            root = _parse(label, data)
        except Refused as e:
            raise FetchError(label, f"{e.message}{f', line {e.line}' if e.line else ''}", url) from None
        if root.tag != "iati-activities":
            tag = root.tag if isinstance(root.tag, str) else "?"
            raise FetchError(label, f"is not a page of IATI activities: its root element is <{tag}>", url)
        return root

    def country(self, cache: dportal.PageCache, base: str, limit: int) -> tuple[Batch, FileReport, CountryFetch]:
        cc = cache.country
        c = CountryFetch(cc, dportal.query_url(base, cc), cache.started_at, cache.resumed)
        self.report.countries.append(c)
        now = _now()
        doc = {"document_id": f"dportal:{cc}", "title": "", "publisher": None, "url": c.url, "file": None,
               "language": None, "published": None, "retrieved": cache.started_at.date(), "kind": "iati",
               "imported_at": now, "fetched_at": cache.started_at, "sha256": None, "note": None}
        batch = Batch(document=doc)
        publishers: Counter = Counter()
        digest, previous = hashlib.sha256(), None
        offset = 0
        self._tell("fetch", country=cc)
        while True:
            if offset // limit >= MAX_PAGES:
                raise FetchError(cc, f"more than {MAX_PAGES} pages: the server does not seem to page "
                                     "(is the address the Q API?)", c.url)
            label = dportal.page_label(cc, offset, limit)
            url = dportal.query_url(base, cc, limit, offset)
            data = cache.get(offset)
            root, cached = None, False
            if data is not None:
                try:
                    root, cached = self.page_root(label, data, url), True
                except FetchError:  # a damaged cached page is asked for again
                    cache.drop(offset)
            if root is None:
                data = self.client.get(url, label)
                root = self.page_root(label, data, url)
                cache.put(offset, data)
            activities = list(root.iterchildren("iati-activity"))
            if not activities:
                break
            page_hash = hashlib.sha256(data).digest()
            if page_hash == previous:
                raise FetchError(label, "holds the same activities as the page before it: the server does not "
                                        "seem to honour the offset", url)
            previous = page_hash
            digest.update(page_hash)
            for el in activities:
                ident = identifier(el)
                if ident is not None and ident in self.reader.seen:
                    root.remove(el)
                    c.repeated += 1
            if root.find("iati-activity") is not None:  # not every one a repeat
                self.reader.read_into(batch, root, label, publishers)
            c.pages += 1
            c.from_cache += cached
            c.activities += len(activities)
            s = self.state
            self._tell("fetch", country=cc, pages=s.pages + 1, activities=s.activities + len(activities),
                       from_cache=s.from_cache + cached)
            offset += limit
        if c.activities == 0:
            raise FetchError(cc, f"the server reports no activity for {country_name(cc)}; nothing was changed "
                                 "(is the address right? MEKONG_DPORTAL_URL sets it)", c.url)
        describe(batch, label, publishers, None, None)
        doc.update(title=f"d-portal: IATI activities in {country_name(cc)} ({cc})", sha256=digest.hexdigest(),
                   note=f"Everything d-portal's Q API gave for recipient country {cc}: {count(c.pages, 'page')} of "
                        f"{limit}, {count(c.activities, 'activity')}"
                        + (f", of which {c.repeated} repeated on another page or country were read once" if c.repeated
                           else ""))
        return batch, _file_report(f"d-portal {cc}", batch), c


def _parse(label: str, data: bytes):
    """safety.parse_xml, saying so when the XML breaks off on its last line: an answer cut
    short by the network or the server."""
    try:
        return parse_xml(label, data)
    except Refused as e:
        if e.line and e.line >= data.rstrip().count(b"\n") + 1 and "truncated" not in e.message:
            raise Refused(label, f"{e.message} - it ends in the middle of the XML: the answer looks truncated",
                          e.line) from None
        raise


def _file_report(name: str, batch: Batch) -> FileReport:
    d = batch.document
    return FileReport(file=name, kind=d["kind"], document_id=d["document_id"], sha256=d["sha256"],
                      publisher=d["publisher"], counts=batch.counts(), deviations=batch.deviations)


def _without_gc(fn):
    # As import_data: an import makes millions of objects that live until it ends.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return fn()
    finally:
        if enabled:
            gc.enable()


def fetch_countries(countries, db_path: Path, *, base: str | None = None, limit: int = dportal.PAGE_SIZE,
                    settings: Settings | None = None, fresh: bool = False,
                    progress: Callable[[Progress], None] | None = None, stop: Stop | None = None) -> FetchReport:
    """Fetch every page of each country from the Q API, then import them as one import
    (one document per country). `fresh` forgets pages kept from a run that stopped."""
    run = _Run(db_path, settings, progress, stop)
    report = run.report
    try:
        codes = normalise_countries(countries)
        base = check_address(base or dportal.api_url())
    except (ValueError, FetchError) as e:
        report.error = str(e)
        return report
    return _without_gc(lambda: _fetch_countries(run, codes, base, limit, fresh))


def _fetch_countries(run: _Run, codes: list[str], base: str, limit: int, fresh: bool) -> FetchReport:
    report = run.report
    root = dportal.cache_dir(run.db_path)
    read = []
    with ExitStack() as held:
        try:
            caches = [held.enter_context(dportal.PageCache(root, cc, base, limit).run(fresh)) for cc in codes]
            for cache in caches:
                batch, file_report, _ = run.country(cache, base, limit)
                read.append((batch, file_report))
        except Cancelled:
            report.cancelled = True
        except (FetchError, dportal.Busy, Refused) as e:
            report.error = str(e)
        except OSError as e:  # the cache cannot be written (disk full, read-only folder)
            report.error = f"the page cache in {root} cannot be written: {e.strerror or e}"
        report.fetched_at = min((c.started_at for c in report.countries if c.started_at), default=None)
        report.seconds = time.perf_counter() - run.started
        if report.cancelled or report.error:
            return report
        if not run.stop.begin_import():
            report.cancelled = True
            return report
        run._tell("import")
        report.imported = apply_read(read, run.db_path, ImportReport(applied=False, db_path=str(run.db_path)),
                                     run.started)
        if report.imported.applied:
            for cache in caches:
                cache.clear_pages()
    report.seconds = time.perf_counter() - run.started
    return report


def fetch_url(url: str, db_path: Path, *, settings: Settings | None = None,
              progress: Callable[[Progress], None] | None = None, stop: Stop | None = None) -> FetchReport:
    """Fetch one IATI activity file from an address (a publisher's file) and import it; the
    address is its document (`url:<address>`), so fetching it again replaces it."""
    run = _Run(db_path, settings, progress, stop)
    report = run.report
    report.url = url.strip()
    try:
        url = check_address(url)
    except FetchError as e:
        report.error = str(e)
        return report
    return _without_gc(lambda: _fetch_url(run, url))


def _fetch_url(run: _Run, url: str) -> FetchReport:
    report = run.report
    path = urllib.parse.urlsplit(url).path.rstrip("/")
    label = path.rsplit("/", 1)[-1] or urllib.parse.urlsplit(url).netloc
    report.fetched_at = _now()
    run._tell("fetch")
    try:
        data = run.client.get(url, label)
        root = _parse(label, data)
        doc = {"document_id": f"url:{url}", "title": "", "publisher": None, "url": url, "file": None,
               "language": None, "published": None, "retrieved": report.fetched_at.date(), "kind": "iati",
               "imported_at": _now(), "fetched_at": report.fetched_at,
               "sha256": hashlib.sha256(data).hexdigest(), "note": None}
        batch = run.reader.read(root, label, doc)
        doc["title"] = f"IATI activities: {url}"
    except Cancelled:
        report.cancelled = True
    except FetchError as e:
        report.error = str(e)
    except Refused as e:
        report.error = f"{e} ({url})"
    report.seconds = time.perf_counter() - run.started
    if report.cancelled or report.error:
        return report
    if not run.stop.begin_import():
        report.cancelled = True
        return report
    run._tell("import", pages=1, activities=len(batch.rows["project"]))
    report.imported = apply_read([(batch, _file_report(label, batch))], run.db_path,
                                 ImportReport(applied=False, db_path=str(run.db_path)), run.started)
    report.seconds = time.perf_counter() - run.started
    return report
