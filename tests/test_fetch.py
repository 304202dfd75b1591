"""The live IATI fetch against a local Q API (tests/dportal_server.py) serving pages cut
from the real files of ../shared/testdata/iati/: every page read, one document per
country, repeats counted once, a second fetch replacing the first, and every fault
(5xx, a hang past the timeout, a truncated or hostile page, no network, a run stopped
and continued) refused with the page and the cause, nothing applied, pages kept."""
import datetime as dt
import hashlib
import math
import socket
import subprocess
import sys

import duckdb
import pytest

from mekong.importers import dportal
from mekong.importers.fetch import Settings
from mekong.importers.live import Stop, fetch_countries, fetch_url
from tests.conftest import ROOT

FAST = Settings(timeout=0.5, retries=2, backoff=0.01, pause=0)
LIMIT = 10


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(db, sql, params=None):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or {}).fetchall()


def owned(db, document_id) -> set[str]:
    # the IATI identifiers (a secondary reporter's copy has a project_id of its own)
    return {r[0] for r in rows(db, "SELECT iati_id FROM project WHERE document_id = $d", {"d": document_id})}


def ids(qapi, cc) -> list[str]:
    return list(dict.fromkeys(i for i, _ in qapi.activities[cc]))


def fetch(db, *countries, **kw):
    return fetch_countries(countries, db, limit=kw.pop("limit", LIMIT), settings=kw.pop("settings", FAST), **kw)


def cached_pages(db, cc) -> list[str]:
    return sorted(p.name for p in (dportal.cache_dir(db) / cc).glob("page-*.xml"))


def test_one_country_every_page_one_document(qapi, seed_db_copy):
    before = rows(seed_db_copy, "SELECT count(*) FROM project")[0][0]
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    report = fetch(seed_db_copy, "LA")
    assert report.applied, report.reason
    la = ids(qapi, "LA")
    n_pages = math.ceil(len(la) / LIMIT)
    # every page asked for in turn, then the empty one that ends the run
    assert qapi.offsets("LA") == [LIMIT * i for i in range(n_pages + 1)]
    assert all(limit == LIMIT for _, limit, _ in qapi.requests)
    (c,) = report.countries
    assert (c.pages, c.activities, c.repeated, c.from_cache) == (n_pages, len(la), 0, 0)
    assert owned(seed_db_copy, "dportal:LA") == set(la)
    assert rows(seed_db_copy, "SELECT count(*) FROM project")[0][0] == before + len(la)
    (doc,) = rows(seed_db_copy, "SELECT kind, url, fetched_at, retrieved FROM document WHERE document_id = 'dportal:LA'")
    assert doc[0] == "iati" and doc[1] == f"{qapi.url}?from=act,country&country_code=la&form=xml"
    assert started <= doc[2] <= dt.datetime.now(dt.UTC).replace(tzinfo=None) and doc[3] == doc[2].date()
    # the activities' last-updated-datetime, in UTC (FIND's file gives +00:00)
    (upd,) = rows(seed_db_copy, "SELECT last_updated FROM project WHERE project_id = 'CH-FDJP-110.162.567-FIND2021'")
    assert upd[0] == dt.datetime(2023, 3, 9, 7, 33, 18)
    # deviations name the page they were found on
    pages = {r[0] for r in rows(seed_db_copy, "SELECT DISTINCT split_part(element, '/', 1) FROM import_deviation")}
    assert pages
    files = {d.file for d in report.imported.deviations}
    assert files <= {dportal.page_label("LA", o, LIMIT) for o in range(0, n_pages * LIMIT, LIMIT)}
    assert dportal.cache_dir(seed_db_copy).is_dir() and cached_pages(seed_db_copy, "LA") == []  # imported: emptied
    assert "LA: 5 pages, 44 activities" in report.summary()


def test_two_countries_count_a_shared_activity_once(qapi, seed_db_copy):
    kh, la = ids(qapi, "KH"), ids(qapi, "LA")
    shared = set(kh) & set(la)
    assert shared  # the real files have activities in both
    report = fetch(seed_db_copy, "KH", "LA")
    assert report.applied, report.reason
    assert owned(seed_db_copy, "dportal:KH") == set(kh)
    assert owned(seed_db_copy, "dportal:LA") == set(la) - shared
    assert [c.repeated for c in report.countries] == [0, len(shared)]
    assert report.imported.activities == len(set(kh) | set(la))
    # a repeat is not a deviation of the file
    assert not rows(seed_db_copy, "SELECT * FROM import_deviation WHERE message LIKE '%repeats%'")
    # the money of a shared activity is there once
    one = sorted(shared)[0]
    assert rows(seed_db_copy, "SELECT count(*) FROM project WHERE project_id = $p", {"p": one})[0][0] == 1


def test_an_activity_on_two_pages_is_read_once(qapi, seed_db_copy):
    la = qapi.activities["LA"]
    qapi.activities["LA"] = la[:LIMIT] + [la[LIMIT - 1]] + la[LIMIT:]  # the listing moved by one between pages
    report = fetch(seed_db_copy, "LA")
    assert report.applied, report.reason
    assert report.countries[0].repeated == 1 and report.countries[0].activities == len(la) + 1
    assert owned(seed_db_copy, "dportal:LA") == {i for i, _ in la}


def test_fetching_again_replaces_what_the_last_fetch_brought(qapi, seed_db_copy):
    seed = rows(seed_db_copy, "SELECT count(*) FROM project WHERE document_id LIKE 'seed%'")[0][0]
    assert fetch(seed_db_copy, "LA", "VN").applied
    first = rows(seed_db_copy, "SELECT fetched_at FROM document WHERE document_id = 'dportal:LA'")[0][0]
    vn = owned(seed_db_copy, "dportal:VN")
    gone = qapi.activities["LA"][:3]
    qapi.activities["LA"] = qapi.activities["LA"][3:]  # three activities no longer reported for Laos
    report = fetch(seed_db_copy, "LA")
    assert report.applied, report.reason
    assert report.imported.replaced_documents == ["dportal:LA"]
    assert report.imported.removed_activities == 3
    assert owned(seed_db_copy, "dportal:LA") == set(ids(qapi, "LA"))
    assert not {i for i, _ in gone} & {r[0] for r in rows(seed_db_copy, "SELECT project_id FROM project")}
    assert owned(seed_db_copy, "dportal:VN") == vn  # the other country's fetch is left alone
    assert rows(seed_db_copy, "SELECT count(*) FROM project WHERE document_id LIKE 'seed%'")[0][0] == seed
    assert rows(seed_db_copy, "SELECT fetched_at FROM document WHERE document_id = 'dportal:LA'")[0][0] >= first
    assert rows(seed_db_copy, "SELECT count(*) FROM document WHERE document_id LIKE 'dportal:%'")[0][0] == 2


def test_a_500_then_success_is_retried(qapi, seed_db_copy):
    qapi.fail_once.add(("LA", LIMIT))
    retries = []
    report = fetch(seed_db_copy, "LA", progress=lambda p: p.phase == "retry" and retries.append(p.note))
    assert report.applied, report.reason
    assert qapi.offsets("LA").count(LIMIT) == 2
    assert retries == ["LA page 2 (activities 11-20): the server answered HTTP 500 Internal Server Error; "
                       "trying again in 0.01 s"]


def refused_unchanged(report, db, digest, *needles):
    assert not report.applied
    for n in needles:
        assert n in report.reason, report.reason
    assert sha(db) == digest


def test_a_request_that_hangs_past_the_timeout(qapi, seed_db_copy):
    qapi.hang_once.add(("LA", 2 * LIMIT))
    assert fetch(seed_db_copy, "LA").applied  # retried after the timeout
    digest = sha(seed_db_copy)
    qapi.hang_always.add(("LA", 0))
    report = fetch(seed_db_copy, "LA")
    refused_unchanged(report, seed_db_copy, digest, "LA page 1 (activities 1-10): no answer from 127.0.0.1",
                      "within 0.5 s (tried 3 times)")
    assert qapi.offsets("LA")[-3:] == [0, 0, 0]


def test_a_truncated_page_is_refused_and_the_pages_before_it_kept(qapi, seed_db_copy):
    digest = sha(seed_db_copy)
    qapi.truncated.add(("LA", LIMIT))
    report = fetch(seed_db_copy, "LA")
    refused_unchanged(report, seed_db_copy, digest, "LA page 2 (activities 11-20): is not well-formed XML",
                      "the answer looks truncated", f"offset={LIMIT}")
    assert cached_pages(seed_db_copy, "LA") == ["page-0000000.xml"]
    assert "the pages received are kept" in report.summary()


def test_a_page_cut_short_by_the_connection_is_retried_then_refused(qapi, seed_db_copy):
    digest = sha(seed_db_copy)
    qapi.cut_short.add(("LA", 0))
    report = fetch(seed_db_copy, "LA")
    refused_unchanged(report, seed_db_copy, digest, "LA page 1 (activities 1-10): the answer was cut off after",
                      "(tried 3 times)")
    assert qapi.offsets("LA") == [0, 0, 0]


def test_an_entity_bomb_is_refused_while_it_streams(qapi, seed_db_copy):
    digest = sha(seed_db_copy)
    qapi.bomb.add(("LA", 2 * LIMIT))
    report = fetch(seed_db_copy, "LA")
    refused_unchanged(report, seed_db_copy, digest, "LA page 3 (activities 21-30): contains a <!DOCTYPE ...> "
                                                    "declaration", "refused for safety")
    assert qapi.offsets("LA") == [0, LIMIT, 2 * LIMIT]  # not retried: the answer is what it is
    assert cached_pages(seed_db_copy, "LA") == ["page-0000000.xml", "page-0000010.xml"]


def test_a_web_page_is_not_xml(qapi, seed_db_copy):
    digest = sha(seed_db_copy)
    qapi.html.add("*")
    report = fetch(seed_db_copy, "KH")
    refused_unchanged(report, seed_db_copy, digest, "KH page 1 (activities 1-10): is a web page (HTML), not an IATI XML file")


def test_an_http_error_is_not_retried(qapi, seed_db_copy):
    digest = sha(seed_db_copy)
    qapi.not_found.add(("LA", 0))
    report = fetch(seed_db_copy, "LA")
    refused_unchanged(report, seed_db_copy, digest, "LA page 1 (activities 1-10): the server answered HTTP 404 Not Found")
    assert qapi.offsets("LA") == [0]


def test_no_network(seed_db_copy):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    digest = sha(seed_db_copy)
    report = fetch(seed_db_copy, "LA", base=f"http://127.0.0.1:{port}/q")
    refused_unchanged(report, seed_db_copy, digest, f"LA page 1 (activities 1-10): cannot reach 127.0.0.1:{port}",
                      "(tried 3 times)")


def test_a_run_that_failed_half_way_continues_where_it_stopped(qapi, seed_db_copy):
    digest = sha(seed_db_copy)
    qapi.fail_always.add(("LA", 3 * LIMIT))
    report = fetch(seed_db_copy, "KH", "LA")
    refused_unchanged(report, seed_db_copy, digest, "LA page 4 (activities 31-40): the server answered HTTP 500")
    kh_pages = len(cached_pages(seed_db_copy, "KH"))
    assert kh_pages == math.ceil(len(ids(qapi, "KH")) / LIMIT) + 1  # and the empty last page
    assert len(cached_pages(seed_db_copy, "LA")) == 3
    qapi.fail_always.clear()
    qapi.requests.clear()
    report = fetch(seed_db_copy, "KH", "LA")
    assert report.applied, report.reason
    assert qapi.offsets("KH") == [] and qapi.offsets("LA") == [3 * LIMIT, 4 * LIMIT, 5 * LIMIT]  # only what was missing
    kh, la = report.countries
    assert kh.resumed and la.resumed and (kh.from_cache, la.from_cache) == (kh.pages, 3)
    assert "continuing a run started" in report.summary()
    assert owned(seed_db_copy, "dportal:LA") | owned(seed_db_copy, "dportal:KH") == set(ids(qapi, "KH")) | set(ids(qapi, "LA"))
    # the documents say when the run started, not when it was continued
    assert {r[0] for r in rows(seed_db_copy, "SELECT fetched_at FROM document WHERE fetched_at IS NOT NULL")} == \
        {kh.started_at, la.started_at}
    assert cached_pages(seed_db_copy, "KH") == cached_pages(seed_db_copy, "LA") == []


def test_a_run_cancelled_keeps_its_pages_and_changes_nothing(qapi, seed_db_copy):
    digest = sha(seed_db_copy)
    stop = Stop()
    report = fetch(seed_db_copy, "LA", stop=stop,
                   progress=lambda p: p.pages == 2 and stop.request())
    assert report.cancelled and not report.applied and report.reason == "the fetch was cancelled"
    assert sha(seed_db_copy) == digest
    assert len(cached_pages(seed_db_copy, "LA")) == 2
    # once the import has started it cannot be cancelled any more
    assert stop.begin_import() is False
    late = Stop()
    assert late.begin_import() and late.request() is False


def test_fresh_forgets_the_pages_of_a_stopped_run(qapi, seed_db_copy):
    qapi.fail_always.add(("LA", LIMIT))
    assert not fetch(seed_db_copy, "LA").applied
    qapi.fail_always.clear()
    qapi.requests.clear()
    report = fetch(seed_db_copy, "LA", fresh=True)
    assert report.applied and qapi.offsets("LA")[0] == 0 and report.countries[0].from_cache == 0


def test_a_damaged_cached_page_is_asked_for_again(qapi, seed_db_copy):
    qapi.fail_always.add(("LA", LIMIT))
    assert not fetch(seed_db_copy, "LA").applied
    (dportal.cache_dir(seed_db_copy) / "LA" / "page-0000000.xml").write_bytes(b"<iati-activities><iati-act")
    qapi.fail_always.clear()
    qapi.requests.clear()
    assert fetch(seed_db_copy, "LA").applied
    assert qapi.offsets("LA")[0] == 0


def test_compressed_pages(qapi, seed_db_copy):
    qapi.gzip = True
    report = fetch(seed_db_copy, "LA")
    assert report.applied, report.reason
    assert owned(seed_db_copy, "dportal:LA") == set(ids(qapi, "LA"))


def test_a_country_with_no_activity_changes_nothing(qapi, seed_db_copy):
    assert fetch(seed_db_copy, "LA").applied
    digest = sha(seed_db_copy)
    qapi.activities["LA"] = []  # a mirror that lost its data must not wipe the country
    report = fetch(seed_db_copy, "LA")
    refused_unchanged(report, seed_db_copy, digest, "the server reports no activity for Laos")


def test_a_server_that_ignores_the_offset_is_stopped(qapi, seed_db_copy, monkeypatch):
    monkeypatch.setattr(qapi, "page", lambda country, limit, offset: type(qapi).page(qapi, country, limit, 0))
    digest = sha(seed_db_copy)
    report = fetch(seed_db_copy, "LA")
    refused_unchanged(report, seed_db_copy, digest, "LA page 2 (activities 11-20): holds the same activities as the "
                                                    "page before it")


def test_a_database_with_imports_in_an_older_schema_is_refused(qapi, seed_db_copy):
    assert fetch(seed_db_copy, "LA").applied
    with duckdb.connect(str(seed_db_copy)) as con:
        con.execute("UPDATE meta SET value = 'older' WHERE key = 'schema_hash'")
    digest = sha(seed_db_copy)
    report = fetch(seed_db_copy, "LA")
    refused_unchanged(report, seed_db_copy, digest, "older database schema", "python -m mekong build")
    assert len(cached_pages(seed_db_copy, "LA")) == math.ceil(44 / LIMIT) + 1  # kept for after the rebuild


def test_a_file_from_an_address(qapi, seed_db_copy, shared_dir):
    data = (shared_dir / "testdata" / "iati" / "mekong_small_valid_sample.xml").read_bytes()
    qapi.files["undp/sample.xml"] = data
    url = qapi.url.replace("/q", "/files/undp/sample.xml")
    report = fetch_url(url, seed_db_copy, settings=FAST)
    assert report.applied, report.reason
    assert len(owned(seed_db_copy, f"url:{url}")) == 10
    (doc,) = rows(seed_db_copy, "SELECT url, fetched_at IS NOT NULL, sha256 FROM document WHERE document_id = $d",
                  {"d": f"url:{url}"})
    assert doc == (url, True, hashlib.sha256(data).hexdigest())
    again = fetch_url(url, seed_db_copy, settings=FAST)
    assert again.applied and again.imported.replaced_documents == [f"url:{url}"]
    assert len(owned(seed_db_copy, f"url:{url}")) == 10


@pytest.mark.parametrize("body,needle", [
    (None, "HTTP 404 Not Found"),
    (b"%PDF-1.4 " + b"x" * 600, "is not XML: it looks like a PDF document"),
    (b"x" * 2000, "more than the import limit"),
])
def test_a_bad_file_from_an_address_is_refused(qapi, seed_db_copy, body, needle):
    if body is not None:
        qapi.files["f.xml"] = body
    digest = sha(seed_db_copy)
    small = Settings(timeout=0.5, retries=0, pause=0, max_bytes=1000)
    report = fetch_url(qapi.url.replace("/q", "/files/f.xml"), seed_db_copy, settings=small)
    refused_unchanged(report, seed_db_copy, digest, "f.xml: ", needle)


def test_stream_checks_refuse_early():
    """The upload's checks on a body arriving in pieces: a declaration cut in two pieces is
    found, the limit holds without a Content-Length, a binary or web page is named."""
    from mekong.importers.safety import Refused, StreamCheck

    check = StreamCheck("p", max_bytes=10_000)
    check.feed(b'<?xml version="1.0"?>\n<iati-activities>\n' + b" " * 600 + b"\n<!DOC")
    with pytest.raises(Refused) as e:
        check.feed(b'TYPE x [<!ENTITY a "b">]>')
    assert e.value.line == 4 and "<!DOCTYPE" in str(e.value)
    check = StreamCheck("p", max_bytes=1000)
    check.feed(b"<a>" + b"x" * 900)
    with pytest.raises(Refused, match="more than the import limit"):
        check.feed(b"x" * 200)
    with pytest.raises(Refused, match="is 0.0 MB, more than the import limit"):
        StreamCheck("p", max_bytes=1000, declared_length=2000)
    with pytest.raises(Refused, match="it looks like a gzip archive"):
        StreamCheck("p").feed(b"\x1f\x8b" + b"\0" * 600)
    with pytest.raises(Refused, match="is empty"):
        StreamCheck("p").finish()
    check = StreamCheck("p")
    check.feed(b"<iati-activities/>")
    assert check.finish() == b"<iati-activities/>"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a.xml", "not a url"])
def test_only_http_addresses_are_fetched(seed_db_copy, url):
    report = fetch_url(url, seed_db_copy, settings=FAST)
    assert not report.applied and "is not an http:// or https:// address" in report.reason


def run_cli(*args, env=None):
    import os

    return subprocess.run([sys.executable, "-m", "mekong", *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False, env={**os.environ, **(env or {})})


def test_command_line(qapi, seed_db_copy):
    env = {"MEKONG_DPORTAL_URL": qapi.url}
    r = run_cli("fetch", "--country", "la", "--country", "VN", "--db", seed_db_copy, "--page-size", LIMIT,
                "--pause", 0, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "LA: 5 pages, 44 activities" in r.stdout
    assert f"VN: {math.ceil(len(ids(qapi, 'VN')) / LIMIT)} pages" in r.stdout
    assert f"fetched from {qapi.url} at" in r.stdout and "Imported" in r.stdout
    assert "activities/s" in r.stderr  # the progress line
    qapi.bomb.add(("LA", 0))
    digest = sha(seed_db_copy)
    r = run_cli("fetch", "--country", "LA", "--db", seed_db_copy, "--page-size", LIMIT, "--pause", 0, env=env)
    assert r.returncode == 1
    assert "REFUSED: nothing was changed" in r.stdout and "LA page 1 (activities 1-10): contains a <!DOCTYPE" in r.stdout
    assert sha(seed_db_copy) == digest
    assert run_cli("fetch", "--country", "FR", "--db", seed_db_copy).returncode == 2
    assert run_cli("fetch", "--db", seed_db_copy).returncode == 2


def test_data_as_of_line():
    import pandas as pd

    from mekong.views import describe, i18n

    def line(lang, *docs):
        """The line of the documents `docs` (a document dated 5 Jan 2026 when none is given)."""
        rows = pd.DataFrame([{"day": pd.Timestamp("2026-01-05"), "fetched_at": None, "updated_to": None, "n_projects": 1, **d}
                             for d in docs or [{}]])
        return describe.data_date_line(rows, lambda k, **v: i18n.text(k, lang, **v), lang)

    assert line("en") == "Data as of 5 Jan 2026"
    assert line("en", {"fetched_at": pd.Timestamp("2026-01-05 09:00"), "updated_to": pd.Timestamp("2025-12-30 08:00")},
                {"fetched_at": pd.Timestamp("2026-01-05 09:30"), "updated_to": pd.Timestamp("2025-11-30 08:00")}) == (
        "Data as of 5 Jan 2026 · IATI data fetched 5 Jan 2026, activities last updated by their publishers up to "
        "30 Dec 2025")
    assert line("fr", {"day": pd.Timestamp("2025-12-01"), "fetched_at": pd.Timestamp("2025-12-01")},
                {"fetched_at": pd.Timestamp("2026-01-05")}, {"day": None}) == (
        "Données au 5 janv. 2026 (sources non datées\u202f: 1) · Données IATI récupérées entre le 1 déc. 2025 et le 5 janv. 2026")
    assert describe.data_date_line(pd.DataFrame(), None, "en") == ""


def test_exports_say_when_the_data_was_fetched(qapi, seed_db_copy):
    """The slides' stamp and the Excel header lines come from the same query and builder."""
    from mekong.exports.slides import build_deck
    from mekong.exports.view import view_from_query
    from mekong.store.db import Portfolio

    assert fetch(seed_db_copy, "LA").applied
    portfolio = Portfolio(seed_db_copy)
    deck = build_deck(portfolio, view_from_query(portfolio, "country=LA", "en", pages=("overview",)))
    first = "\n".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    today = dt.datetime.now(dt.UTC)
    assert f"IATI data fetched {today.day} {today:%b %Y}" in first
    assert "activities last updated by their publishers up to 9 Mar 2023" in first
