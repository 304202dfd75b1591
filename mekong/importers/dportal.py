"""d-portal's Q API: the IATI activities of a recipient country, a page at a time, and
the cache of the pages received.

    {MEKONG_DPORTAL_URL}?from=act,country&country_code=kh&form=xml&limit=100&offset=0

answers, without a key, an ordinary <iati-activities> document of up to `limit`
activities; the pages are asked for with a growing offset until one holds no activity
(as the PyPI package diterator and OCHA's IATI scrapers do).

Every page received whole and safe is written to the cache, under the database's folder
(cache/dportal/<CC>/), before the next is asked for, so a run that stopped (no network, a
bad page, a person cancelling) continues where it stopped. The cache of a country is
emptied once its pages were imported; a cache made with another address or page size is
started again.
"""
import datetime as dt
import fcntl
import json
import os
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

DEFAULT_URL = "https://d-portal.org/q"
PAGE_SIZE = 100
COUNTRIES = ("KH", "LA", "MM", "TH", "VN")  # the Mekong countries the dashboard covers


def api_url() -> str:
    """The address of the Q API: MEKONG_DPORTAL_URL (a mirror, or a test server), else d-portal's."""
    return (os.environ.get("MEKONG_DPORTAL_URL") or "").strip() or DEFAULT_URL


def query_url(base: str, country: str, limit: int | None = None, offset: int | None = None) -> str:
    """The address of the activities of a country (of one page, with limit and offset)."""
    params = {"from": "act,country", "country_code": country.lower(), "form": "xml"}
    if limit is not None:
        params.update(limit=limit, offset=offset or 0)
    return f"{base}{'&' if '?' in base else '?'}{urllib.parse.urlencode(params, safe=',')}"


def page_label(country: str, offset: int, limit: int) -> str:
    """How a page is named in messages and deviations: 'KH page 3 (activities 201-300)'."""
    return f"{country} page {offset // limit + 1} (activities {offset + 1}-{offset + limit})"


def cache_dir(db_path: Path) -> Path:
    return Path(db_path).parent / "cache" / "dportal"


class Busy(Exception):
    """Another fetch of the same country is running (in this process or another)."""


class PageCache:
    """The pages of one country received so far: page-<offset>.xml and run.json, which
    says with which address and page size they were asked for and when the run started."""

    def __init__(self, root: Path, country: str, base: str, limit: int):
        self.dir = Path(root) / country
        self.country, self.base, self.limit = country, base, limit
        self.started_at: dt.datetime | None = None
        self.resumed = False

    def _path(self, offset: int) -> Path:
        return self.dir / f"page-{offset:07d}.xml"

    @contextmanager
    def run(self, fresh: bool = False):
        """Hold the country's cache for one run (Busy when another run holds it)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.dir / ".lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise Busy(f"another fetch of {self.country} is running; try again when it has finished") from None
            try:
                self._open(fresh)
                yield self
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _open(self, fresh: bool) -> None:
        state_path = self.dir / "run.json"
        try:
            state = json.loads(state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            state = None
        same = bool(state) and state.get("url") == self.base and state.get("limit") == self.limit
        if fresh or not same:
            self.clear_pages()
            self.started_at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
            _write(state_path, json.dumps({"url": self.base, "limit": self.limit, "country": self.country,
                                           "started_at": self.started_at.isoformat()}).encode())
        else:
            self.started_at = dt.datetime.fromisoformat(state["started_at"])
            self.resumed = any(self.dir.glob("page-*.xml"))

    def get(self, offset: int) -> bytes | None:
        try:
            return self._path(offset).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, offset: int, data: bytes) -> None:
        _write(self._path(offset), data)

    def pages(self) -> int:
        return sum(1 for _ in self.dir.glob("page-*.xml"))

    def clear_pages(self) -> None:
        for p in self.dir.glob("page-*.xml"):
            p.unlink(missing_ok=True)
        (self.dir / "run.json").unlink(missing_ok=True)

    def drop(self, offset: int) -> None:
        self._path(offset).unlink(missing_ok=True)


def _write(path: Path, data: bytes) -> None:
    """Whole or not at all: a run killed while writing leaves no half page behind."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
