"""Checks every file passes before it is read: size, type, encoding, safe XML.

The rules follow defusedxml's: no DTD, no entity declarations, no external entities, no
network. A DOCTYPE or ENTITY declaration is refused outright (IATI files never need one),
and lxml is also told not to load DTDs, resolve entities or allow huge trees, so even a
declaration the scan missed cannot expand anything.
"""
import codecs
import io
import re
import zipfile
from pathlib import Path

from lxml import etree

MAX_BYTES = 50 * 1024 * 1024
# An .xlsx is a zip: its unpacked size is bounded too (a "zip bomb" is small packed), and
# checked from the zip's directory before any part is unpacked. Reading a workbook costs
# about 8 bytes of memory per unpacked byte (measured: 17 MB of sheets, 20,000 activities,
# 270 MB peak), so 20 MB keeps any import of a workbook, refused or not, near 300 MB.
MAX_UNZIPPED_FACTOR = 10
MAX_UNZIPPED_BYTES = 20 * 1024 * 1024

KINDS = {".xml": "xml", ".csv": "csv", ".xlsx": "xlsx"}

# First bytes of file types people upload by mistake, to say what the file looks like.
_MAGIC = [(b"MZ", "a Windows program"), (b"\x7fELF", "a Linux program"), (b"%PDF", "a PDF document"),
          (b"PK\x03\x04", "a zip archive (or an Office document)"),
          (b"\xd0\xcf\x11\xe0", "an old Office document (.xls/.doc)"), (b"\x1f\x8b", "a gzip archive"),
          (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"Rar!", "a RAR archive"),
          (b"7z\xbc\xaf", "a 7-Zip archive")]
_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class Refused(Exception):
    """An import that must not be applied. str() says which file, where and what is wrong."""

    def __init__(self, file: str, message: str, line: int | None = None):
        self.file, self.message, self.line = file, message, line
        where = f"{file}, line {line}" if line else file
        super().__init__(f"{where}: {message}")


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, refusing an empty, missing or oversized file before reading it all."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as e:
        raise Refused(name, f"cannot be read ({e.strerror or e})") from None
    if not path.is_file():
        raise Refused(name, "is not a file")
    if size == 0:
        raise Refused(name, "is empty")
    if size > max_bytes:
        raise Refused(name, f"is {_mb(size)}, more than the import limit of {_mb(max_bytes)}")
    data = path.read_bytes()
    if len(data) > max_bytes:  # grew while we looked
        raise Refused(name, f"is more than the import limit of {_mb(max_bytes)}")
    return data


def _looks_like(data: bytes) -> str | None:
    return next((what for magic, what in _MAGIC if data.startswith(magic)), None)


def file_kind(name: str, data: bytes) -> str:
    """'xml', 'csv' or 'xlsx' from the extension, checked against the content."""
    ext = Path(name).suffix.lower()
    kind = KINDS.get(ext)
    if kind is None:
        shown = f"'{ext}'" if ext else "no extension"
        raise Refused(name, f"has {shown}: import IATI activity XML (.xml) or the spreadsheet "
                            "template (.csv or .xlsx)")
    looks = _looks_like(data)
    if kind == "xlsx":
        if not data.startswith(b"PK\x03\x04"):
            raise Refused(name, f"is not an .xlsx workbook (it looks like {looks or 'text or an unknown binary'})")
        return kind
    if looks:
        raise Refused(name, f"is not {'XML' if kind == 'xml' else 'a CSV text file'}: it looks like {looks}")
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise Refused(name, "is a binary file, not text")
    return kind


def _decode_error(name: str, data: bytes, encoding: str, e: UnicodeDecodeError) -> Refused:
    line = data.count(b"\n", 0, e.start) + 1
    return Refused(name, f"is not valid {encoding} text (it says it is): byte 0x{data[e.start]:02X} "
                         "cannot be read; save the file as UTF-8", line)


_DTD_BYTES = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _refuse_dtd(name: str, text, m) -> Refused:
    newline = b"\n" if isinstance(text, bytes) else "\n"
    kind = m.group(1).upper()
    kind = kind.decode() if isinstance(kind, bytes) else kind
    return Refused(name, f"contains a <!{kind} ...> declaration; document types and entities are refused "
                         "for safety (an IATI file never needs them)", text.count(newline, 0, m.start()) + 1)


def xml_encoding(name: str, data: bytes) -> str:
    """The encoding the XML file declares (UTF-8 when none), checked to decode the whole file.

    A UTF-8 file is scanned as bytes (its decoding is checked by the parser, and by
    utf8_error() for the message); any other encoding is decoded here first."""
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "UTF-8", data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, body = "UTF-16", data
    else:
        m = _DECLARED.match(data.lstrip()[:200])
        encoding, body = (m.group(1).decode("ascii") if m else "UTF-8"), data
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise Refused(name, f"declares the encoding '{encoding}', which is not known") from None
    if codec == "utf-8":
        m = _DTD_BYTES.search(body)
        if m:
            raise _refuse_dtd(name, body, m)
        return encoding
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as e:
        raise _decode_error(name, data, encoding, e) from None
    m = _DTD.search(text)
    if m:
        raise _refuse_dtd(name, text, m)
    return encoding


def _parser() -> etree.XMLParser:
    # Comments and processing instructions are kept (removing them doubles the parse time);
    # the readers look at elements only.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False)


def _check_start(name: str, data: bytes) -> str:
    """What parse_xml and iter_activities check before parsing; returns the encoding."""
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and not data.startswith(
            (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise Refused(name, "is not XML: it does not start with '<'")
    return xml_encoding(name, data)


def _syntax_refusal(name: str, data: bytes, encoding: str, e: etree.XMLSyntaxError) -> Refused:
    if codecs.lookup(encoding).name == "utf-8":  # say where the bytes are not UTF-8, if that is it
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as u:
            return _decode_error(name, data, encoding, u)
    line = e.position[0] if e.position else None
    msg = str(e.msg or e)
    first = next((x for x in e.error_log if x.level >= etree.ErrorLevels.ERROR), None)
    if first is not None and not line:  # iterparse says its last error; the first is the cause
        msg, line = first.message, first.line
    msg = " ".join(msg.split(" (line")[0].split())
    msg = re.sub(r",? (use|try) XML_PARSE_HUGE( option)?|,? line \d+, column \d+$", "", msg).strip()
    hint = " - the file looks truncated" if "end of data" in msg.lower() or "premature" in msg.lower() else ""
    return Refused(name, f"is not well-formed XML: {msg}{hint}", line)


def _refuse_doctype(name: str, root: etree._Element) -> None:
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise Refused(name, "contains a document type declaration; refused for safety")


def parse_xml(name: str, data: bytes) -> etree._Element:
    """The root element of a safe, well-formed XML file; Refused otherwise."""
    encoding = _check_start(name, data)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as e:
        raise _syntax_refusal(name, data, encoding, e) from None
    _refuse_doctype(name, root)
    return root


def iter_activities(name: str, data: bytes):
    """The checks of parse_xml, with the file read element by element so that memory stays
    bounded whatever its size: yields ("root", root) when the root element starts, then
    ("activity", element) as each <iati-activity> under it (or the root itself) ends. The
    caller reads each activity and then lets it go (release()); Refused when the file is
    not well-formed, at the point where that is found."""
    encoding = _check_start(name, data)
    # only the ends of <iati-activity> elements are reported (an event per element would
    # cost half the time of the reading); the root is known from the first of them
    etree.clear_error_log()  # its errors then are this file's (the first one says the cause)
    events = etree.iterparse(io.BytesIO(data), events=("end",), tag="iati-activity", resolve_entities=False,
                             no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False)
    root = None
    try:
        for _event, el in events:
            parent = el.getparent()
            if root is None:
                root = el
                while root.getparent() is not None:
                    root = root.getparent()
                yield "root", root
            if parent is root:
                yield "activity", el
        if root is None:  # no <iati-activity> at all: the root says what the file is
            root = events.root
            yield "root", root
        elif root.tag == "iati-activity":
            yield "activity", root
    except etree.XMLSyntaxError as e:
        raise _syntax_refusal(name, data, encoding, e) from None
    _refuse_doctype(name, root)


def release(el: etree._Element) -> None:
    """Free an element read by iter_activities, and what came before it under the root."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


def check_xlsx(name: str, data: bytes, max_bytes: int = MAX_BYTES) -> None:
    """An .xlsx must be a zip holding a workbook, not too big once unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            if "xl/workbook.xml" not in {i.filename for i in infos}:
                raise Refused(name, "is a zip archive but not an Excel workbook (no xl/workbook.xml)")
            unzipped = sum(i.file_size for i in infos)
            if unzipped > max_bytes * MAX_UNZIPPED_FACTOR:
                raise Refused(name, f"unpacks to {_mb(unzipped)}, more than {MAX_UNZIPPED_FACTOR} times "
                                    f"the import limit of {_mb(max_bytes)}")
            if unzipped > MAX_UNZIPPED_BYTES:
                raise Refused(name, f"unpacks to {_mb(unzipped)}, more than the {_mb(MAX_UNZIPPED_BYTES)} a "
                                    "workbook may hold unpacked (the import limit of a workbook); import a "
                                    "portfolio this big as CSV files or IATI XML")
            bad = z.testzip()  # CRC of every part: finds truncated or damaged files
            for info in infos:  # the workbook's XML parts follow the rules of any XML file
                if not bad and info.filename.endswith((".xml", ".rels")):
                    m = _DTD_BYTES.search(z.read(info))
                    if m:
                        raise Refused(name, f"contains a <!{m.group(1).decode().upper()} ...> declaration "
                                            f"in its part {info.filename}; document types and entities are "
                                            "refused for safety")
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as e:
        raise Refused(name, f"is not a readable .xlsx workbook ({e}); it may be truncated") from None
    if bad:
        raise Refused(name, f"is damaged: the part {bad} cannot be read")


def decode_text(name: str, data: bytes) -> str:
    """A CSV file's text: UTF-8 (a BOM is allowed), refused otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise Refused(name, f"is not UTF-8 text: byte 0x{data[e.start]:02X} cannot be read; in Excel, save "
                            "as 'CSV UTF-8'", data.count(b"\n", 0, e.start) + 1) from None


_HTML = re.compile(rb"^<(!doctype\s+html|html[\s>])", re.IGNORECASE)


class StreamCheck:
    """The checks of an upload applied to a body that arrives in pieces (a fetched page or
    file), so that a bad one is refused before the rest is downloaded: the size limit, XML
    expected (not a web page, not a binary file), no DTD or entity declaration.
    parse_xml() then checks the whole body as it checks an upload."""

    _HEAD = 512  # bytes looked at to say what the body is

    def __init__(self, name: str, max_bytes: int = MAX_BYTES, declared_length: int | None = None):
        if declared_length is not None and declared_length > max_bytes:
            raise Refused(name, f"is {_mb(declared_length)}, more than the import limit of {_mb(max_bytes)}")
        self.name, self.max_bytes = name, max_bytes
        self.parts: list[bytes] = []
        self.size = 0
        self.lines = 0          # newlines before the tail
        self.tail = b""         # the last bytes seen, so a declaration cut in two is found
        self.head_checked = False

    def feed(self, chunk: bytes) -> None:
        if not chunk:
            return
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise Refused(self.name, f"is more than the import limit of {_mb(self.max_bytes)}")
        self.parts.append(chunk)
        if not self.head_checked and (self.size >= self._HEAD):
            self._check_head()
        window = self.tail + chunk
        m = _DTD_BYTES.search(window)
        if m:
            if not self.head_checked:  # a web page's <!DOCTYPE html> is said as such
                self._check_head()
            kind = m.group(1).decode().upper()
            line = self.lines + window.count(b"\n", 0, m.start()) + 1
            raise Refused(self.name, f"contains a <!{kind} ...> declaration; document types and entities are "
                                     "refused for safety (an IATI file never needs them)", line)
        keep = window[-16:]
        self.lines += window.count(b"\n") - keep.count(b"\n")
        self.tail = keep

    def _check_head(self) -> None:
        self.head_checked = True
        head = b"".join(self.parts)[:self._HEAD]
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return  # decoded and checked whole by parse_xml
        looks = _looks_like(head)
        if looks:
            raise Refused(self.name, f"is not XML: it looks like {looks}")
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if _HTML.match(text):
            raise Refused(self.name, "is a web page (HTML), not an IATI XML file")
        if text and not text.startswith(b"<"):
            raise Refused(self.name, "is not XML: it does not start with '<'")

    def finish(self) -> bytes:
        """The whole body, once it has all arrived."""
        if not self.head_checked:
            self._check_head()
        if self.size == 0:
            raise Refused(self.name, "is empty")
        return b"".join(self.parts)
