"""A local stand-in for d-portal's Q API, for the fetch tests and the benchmark.

    GET /q?from=act,country&country_code=kh&form=xml&limit=100&offset=0

answers an <iati-activities> page of the activities of that recipient country, cut from
the real files in ../shared/testdata/iati/ (read there, never copied into the repository),
and an empty page past the end. Fault modes, set per page (country, offset) or for all
pages, let a test make the server answer 500 (once or always), hang past the client's
timeout, cut a page short (with or without a Content-Length), answer an entity bomb or a
web page, or answer slowly. Every request is logged.
"""
import gzip
import threading
import urllib.parse
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from lxml import etree

MEKONG = ("KH", "LA", "MM", "TH", "VN")
SOURCES = ("mekong_subset_dportal_covid_2021.xml", "iatiflattener_canada-activity.xml",
           "iatiflattener_finddiagnostics-activity.xml", "iatiflattener_gdihub-activity.xml")
HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" '
        b'generated-datetime="2026-11-22T19:25:39Z" xmlns:dstore="http://d-portal.org/xmlns/dstore" '
        b'xmlns:iati-activities="http://d-portal.org/xmlns/iati-activities">\n')
TAIL = b"</iati-activities>\n"
BOMB = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
        + b"".join(b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                   for i in range(1, 10))
        + b"]>\n<iati-activities><iati-activity><iati-identifier>&lol9;</iati-identifier></iati-activity>"
          b"</iati-activities>\n")
HTML = b"<!DOCTYPE html>\n<html><head><title>Maintenance</title></head><body>Back soon</body></html>\n"


def activities_by_country(shared_dir: Path) -> dict[str, list[tuple[str, bytes]]]:
    """{country: [(identifier, activity XML)]}: each activity of the files under every
    Mekong country it names as a recipient, in file order."""
    out: dict[str, list[tuple[str, bytes]]] = defaultdict(list)
    for name in SOURCES:
        root = etree.parse(str(shared_dir / "testdata" / "iati" / name)).getroot()
        for act in root.iterchildren("iati-activity"):
            ident = "".join(act.find("iati-identifier").itertext()).strip()
            xml = etree.tostring(act, encoding="UTF-8")
            for cc in dict.fromkeys(c.get("code") for c in act.iterchildren("recipient-country")):
                if cc in MEKONG:
                    out[cc].append((ident, xml))
    return dict(out)


class QApi:
    """The server. `activities` maps a country code to [(identifier, XML)]; change it or
    the fault sets between runs. Faults are keyed (COUNTRY, offset), or '*' for every page."""

    def __init__(self, activities: dict[str, list[tuple[str, bytes]]]):
        self.activities = {k: list(v) for k, v in activities.items()}
        self.requests: list[tuple[str, int, int]] = []   # (country, limit, offset)
        self.fail_once: set = set()      # 500, then the page
        self.fail_always: set = set()    # 500 every time
        self.not_found: set = set()      # 404
        self.hang_once: set = set()      # no answer for `hang_seconds`, then the page next time
        self.hang_always: set = set()
        self.cut_short: set = set()      # half the page, Content-Length of the whole: the connection closes early
        self.truncated: set = set()      # half the page, no Content-Length: ends mid-XML
        self.bomb: set = set()           # an entity bomb
        self.html: set = set()           # a web page
        self.delay = 0.0                 # seconds before every answer (a slow server)
        self.hang_seconds = 3.0
        self.gzip = False                # compress when the client accepts it
        self.files: dict[str, bytes] = {}  # served at /files/<name> (a publisher's file)
        self._seen: set = set()
        self._stop = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/q"

    def start(self) -> "QApi":
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()

    def page(self, country: str, limit: int, offset: int) -> bytes:
        acts = self.activities.get(country, [])[offset:offset + limit]
        return HEAD + b"".join(xml for _, xml in acts) + TAIL

    def offsets(self, country: str) -> list[int]:
        return [o for c, _, o in self.requests if c == country]

    def _hit(self, faults: set, key) -> bool:
        return key in faults or "*" in faults

    def _once(self, faults: set, key) -> bool:
        if self._hit(faults, key) and (id(faults), key) not in self._seen:
            self._seen.add((id(faults), key))
            return True
        return False

    def _handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _send(self, status: int, body: bytes, ctype="text/xml; charset=utf-8", length: int | None = None,
                      close=False):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                if length is not None:
                    self.send_header("Content-Length", str(length))
                if close or length is None:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                parts = urllib.parse.urlsplit(self.path)
                if parts.path.startswith("/files/"):
                    body = api.files.get(parts.path[len("/files/"):])
                    api.requests.append(("file", 0, 0))
                    if body is None:
                        return self._send(404, b"Not Found", "text/plain", 9)
                    return self._send(200, body, "application/xml", len(body))
                q = dict(urllib.parse.parse_qsl(parts.query))
                if parts.path != "/q" or q.get("from") != "act,country" or q.get("form") != "xml":
                    return self._send(400, b"bad query", "text/plain", 9)
                try:
                    country, limit, offset = q["country_code"].upper(), int(q["limit"]), int(q["offset"])
                except (KeyError, ValueError):
                    return self._send(400, b"bad query", "text/plain", 9)
                key = (country, offset)
                api.requests.append((country, limit, offset))
                if api.delay:
                    api._stop.wait(api.delay)
                if api._once(api.hang_once, key) or api._hit(api.hang_always, key):
                    api._stop.wait(api.hang_seconds)
                    self.close_connection = True
                    return
                if api._once(api.fail_once, key) or api._hit(api.fail_always, key):
                    return self._send(500, b"Internal Server Error", "text/plain", 21)
                if api._hit(api.not_found, key):
                    return self._send(404, b"Not Found", "text/plain", 9)
                if api._hit(api.bomb, key):
                    return self._send(200, BOMB, length=len(BOMB))
                if api._hit(api.html, key):
                    return self._send(200, HTML, "text/html", len(HTML))
                body = api.page(country, limit, offset)
                if api._hit(api.cut_short, key):
                    return self._send(200, body[:len(body) // 2], length=len(body), close=True)
                if api._hit(api.truncated, key):
                    return self._send(200, body[:len(body) // 2])
                if api.gzip and "gzip" in (self.headers.get("Accept-Encoding") or ""):
                    body = gzip.compress(body)
                    self.send_response(200)
                    self.send_header("Content-Type", "text/xml; charset=utf-8")
                    self.send_header("Content-Encoding", "gzip")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                self._send(200, body, length=len(body))

        return Handler
