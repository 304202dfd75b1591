"""HTTP GET for the live IATI fetch, with the standard library only.

Each request has a timeout (for connecting, for every read, and for the whole answer),
is tried again with a growing wait after a network error or a 5xx (or 408, 429) answer,
and waits a short pause after the previous request so a public server is not hammered.
The body is checked while it streams with the upload's checks (safety.StreamCheck: size
limit, XML expected, no DTD or entities), so a hostile or oversized answer is refused
before the rest of it is downloaded. Only http:// and https:// addresses are fetched.
Nothing here runs unless a person asks for a fetch.
"""
import http.client
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from dataclasses import dataclass

from mekong.importers.safety import MAX_BYTES, Refused, StreamCheck

USER_AGENT = "mekong-dashboard/1.0 (IATI fetch; python-urllib)"
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Settings:
    timeout: float = 60.0       # seconds: to connect, between two reads, and for the whole answer
    retries: int = 4            # further tries after a network error or a 5xx answer
    backoff: float = 2.0        # seconds before the first retry, doubled at each further one
    max_backoff: float = 60.0
    pause: float = 0.5          # seconds between the end of a request and the start of the next
    max_bytes: int = MAX_BYTES  # the import limit, per answer (after decompression)


class FetchError(Exception):
    """A request that failed for good. str() names what was asked for (e.g. a page), the
    cause and the address."""

    def __init__(self, what: str, cause: str, url: str | None = None):
        self.what, self.cause, self.url = what, cause, url
        super().__init__(f"{what}: {cause}" + (f" ({url})" if url else ""))


class Cancelled(Exception):
    """A person stopped the fetch."""


class _Transient(Exception):
    """Worth another try: the network failed or the server said it could not answer now."""

    def __init__(self, cause: str, retry_after: float | None = None):
        super().__init__(cause)
        self.retry_after = retry_after


def check_address(url: str) -> str:
    """The address, refused unless it is an http:// or https:// URL with a host."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise FetchError(url.strip()[:200] or "(empty)", "is not an http:// or https:// address")
    return url.strip()


def _opener() -> urllib.request.OpenerDirector:
    # http and https only (no file:// or ftp://, also not through a redirect); proxies from
    # the environment (HTTPS_PROXY, ...) as urllib has them.
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                    urllib.request.HTTPRedirectHandler(), urllib.request.HTTPErrorProcessor(),
                    urllib.request.HTTPDefaultErrorHandler()):
        opener.add_handler(handler)
    return opener


def _retry_after(headers) -> float | None:
    try:
        return float(headers.get("Retry-After")) if headers and headers.get("Retry-After") else None
    except ValueError:
        return None  # an HTTP date: the usual backoff instead


class Client:
    """Fetches one address at a time. `cancel`, when set, stops the fetch at the next
    piece of an answer or the next wait (Cancelled); `on_retry(what, cause, wait)` hears
    of each retry (for a progress display)."""

    def __init__(self, settings: Settings = Settings(), cancel: threading.Event | None = None, on_retry=None):
        self.settings = settings
        self.cancel = cancel or threading.Event()
        self.on_retry = on_retry
        self.requests = 0
        self.bytes = 0
        self._last: float | None = None
        self._opener = _opener()

    def get(self, url: str, what: str) -> bytes:
        """The body of a 200 answer, checked as it streamed; FetchError when it cannot be had."""
        s = self.settings
        url = check_address(url)
        if self._last is not None:
            self._wait(self._last + s.pause - time.monotonic())
        cause = None
        for attempt in range(s.retries + 1):
            if attempt:
                wait = min(s.backoff * 2 ** (attempt - 1), s.max_backoff)
                if cause.retry_after is not None:
                    wait = min(max(wait, cause.retry_after), s.max_backoff)
                if self.on_retry:
                    self.on_retry(what, str(cause), wait)
                self._wait(wait)
            try:
                return self._once(url, what)
            except _Transient as e:
                cause = e
            finally:
                self._last = time.monotonic()
        tries = f"tried {s.retries + 1} times" if s.retries else "not retried"
        raise FetchError(what, f"{cause} ({tries})", url)

    def _wait(self, seconds: float) -> None:
        if self.cancel.is_set() or (seconds > 0 and self.cancel.wait(seconds)):
            raise Cancelled()

    def _once(self, url: str, what: str) -> bytes:
        s = self.settings
        host = urllib.parse.urlsplit(url).netloc
        deadline = time.monotonic() + s.timeout
        request = urllib.request.Request(url, headers={
            "User-Agent": USER_AGENT, "Accept": "application/xml, text/xml;q=0.9, */*;q=0.1",
            "Accept-Encoding": "gzip"})
        self.requests += 1
        try:
            response = self._opener.open(request, timeout=s.timeout)
        except urllib.error.HTTPError as e:
            e.close()
            cause = f"the server answered HTTP {e.code} {e.reason}"
            if e.code >= 500 or e.code in (408, 429):
                raise _Transient(cause, _retry_after(e.headers)) from None
            raise FetchError(what, cause, url) from None
        except urllib.error.URLError as e:
            reason = e.reason
            if isinstance(reason, TimeoutError):
                raise _Transient(f"no answer from {host} within {s.timeout:g} s") from None
            raise _Transient(f"cannot reach {host}: {getattr(reason, 'strerror', None) or reason}") from None
        except TimeoutError:
            raise _Transient(f"no answer from {host} within {s.timeout:g} s") from None
        except (OSError, http.client.HTTPException) as e:
            raise _Transient(f"the connection to {host} failed: {e or type(e).__name__}") from None
        with response:
            try:
                return self._body(response, what, deadline)
            except Refused as e:
                where = f", line {e.line}" if e.line else ""
                raise FetchError(what, f"{e.message}{where}; nothing of it was kept", url) from None
            except TimeoutError:
                raise _Transient(f"the answer from {host} stopped for more than {s.timeout:g} s") from None
            except http.client.IncompleteRead as e:
                raise _Transient(f"the answer from {host} was cut off after {len(e.partial):,} bytes") from None
            except (OSError, http.client.HTTPException) as e:
                raise _Transient(f"the connection to {host} broke: {e or type(e).__name__}") from None
            except zlib.error as e:
                raise FetchError(what, f"the compressed answer cannot be read ({e})", url) from None

    def _body(self, response, what: str, deadline: float) -> bytes:
        s = self.settings
        gzipped = (response.headers.get("Content-Encoding") or "").strip().lower() == "gzip"
        length = response.headers.get("Content-Length")
        length = int(length) if length and length.strip().isdigit() else None
        check = StreamCheck(what, s.max_bytes, None if gzipped else length)
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
        received = 0
        while chunk := response.read(CHUNK):
            received += len(chunk)
            self.bytes += len(chunk)
            if decoder is None:
                check.feed(chunk)
            else:  # decompressed a bounded piece at a time: a gzip bomb stops at the limit
                while chunk:
                    check.feed(decoder.decompress(chunk, 4 * CHUNK))
                    chunk = decoder.unconsumed_tail
            if time.monotonic() > deadline:
                raise _Transient(f"the answer took more than {s.timeout:g} s")
            if self.cancel.is_set():
                raise Cancelled()
        if length is not None and received < length:
            raise _Transient(f"the answer was cut off after {received:,} of {length:,} bytes")
        if decoder is not None:
            check.feed(decoder.flush())
            if not decoder.eof:
                raise _Transient(f"the compressed answer was cut off after {received:,} bytes")
        return check.finish()
