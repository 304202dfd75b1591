"""Hostile and broken files are refused with a message that names the file and the fault,
and the database file is byte-for-byte unchanged - also when a good file comes with them."""
import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import pytest

from mekong.importers import import_data, import_files

FIXTURES = Path(__file__).parent / "fixtures" / "iati"
GOOD = (FIXTURES / "legacy_103.xml").read_bytes()

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&lol4;</iati-identifier></iati-activity></iati-activities>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE iati-activities [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<iati-activities version="2.03"><iati-activity><iati-identifier>XX-1</iati-identifier>
<title><narrative>&xxe;</narrative></title></iati-activity></iati-activities>
"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities SYSTEM "http://example.org/iati.dtd">
<iati-activities version="2.03"><iati-activity><iati-identifier>XX-1</iati-identifier></iati-activity></iati-activities>
"""
UNDECLARED_ENTITY = b"""<?xml version="1.0"?>
<iati-activities version="2.03"><iati-activity><iati-identifier>&lol;</iati-identifier></iati-activity></iati-activities>
"""

CASES = {
    # name: (file name, content, words the refusal must contain)
    "billion laughs": ("laughs.xml", BILLION_LAUGHS, ["laughs.xml", "<!DOCTYPE", "line 2"]),
    "external entity": ("xxe.xml", EXTERNAL_ENTITY, ["xxe.xml", "<!DOCTYPE", "refused for safety"]),
    "external DTD": ("dtd.xml", EXTERNAL_DTD, ["dtd.xml", "<!DOCTYPE"]),
    "DTD in UTF-16": ("utf16.xml", '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE x [<!ENTITY a "b">]>'
                      "<iati-activities/>".encode("utf-16"), ["utf16.xml", "<!DOCTYPE"]),
    "undeclared entity": ("undeclared.xml", UNDECLARED_ENTITY, ["undeclared.xml", "not well-formed", "lol"]),
    "deep nesting": ("deep.xml", b"<iati-activities>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</iati-activities>",
                     ["deep.xml", "not well-formed", "depth"]),
    "truncated": ("truncated.xml", GOOD[: len(GOOD) // 2], ["truncated.xml", "not well-formed", "truncated"]),
    "wrong encoding": ("latin1.xml", GOOD.replace("à Bolikhamxay".encode(), "à Bolikhamxay".encode("latin-1")),
                       ["latin1.xml", "not valid UTF-8", "line 9"]),
    "unknown encoding": ("klingon.xml", GOOD.replace(b'encoding="UTF-8"', b'encoding="x-klingon"'),
                         ["klingon.xml", "x-klingon", "not known"]),
    "exe renamed .xml": ("setup.xml", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200),
                         ["setup.xml", "Windows program"]),
    "empty": ("empty.xml", b"", ["empty.xml", "is empty"]),
    "whitespace only": ("blank.xml", b"  \n\n", ["blank.xml", "not XML"]),
    "not XML at all": ("notes.xml", b"activity, budget\n1, 2\n", ["notes.xml", "not XML"]),
    "not IATI": ("page.xml", b"<html><body>hello</body></html>", ["page.xml", "not an IATI activity file", "<html>"]),
    "organisation file": ("org.xml", b"<iati-organisations version='2.03'/>", ["org.xml", "organisation file"]),
    "no activities": ("none.xml", b"<iati-activities version='2.03'/>", ["none.xml", "no <iati-activity>"]),
    "no readable activity": ("noid.xml", b"<iati-activities><iati-activity/></iati-activities>",
                             ["noid.xml", "no activity that can be read"]),
    "wrong type": ("report.pdf", b"%PDF-1.4\n", ["report.pdf", "'.pdf'", ".xml", ".csv", ".xlsx"]),
    "pdf renamed .csv": ("data.csv", b"%PDF-1.4\n" + bytes(100), ["data.csv", "PDF"]),
    "csv not UTF-8": ("activities.csv", "activity_id,title_en\nX-1,Café\n".encode("cp1252"),
                      ["activities.csv", "not UTF-8", "CSV UTF-8"]),
    "csv not the template": ("people.csv", b"name,age\nAnn,3\n", ["people.csv", "not a sheet of the import template"]),
    "xlsx not a zip": ("book.xlsx", b"name,age\n", ["book.xlsx", "not an .xlsx workbook"]),
}


def _zip(files: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


CASES["zip that is not a workbook"] = ("archive.xlsx", _zip({"hello.txt": b"hi"}), ["archive.xlsx", "not an Excel workbook"])
CASES["xlsx bomb"] = ("bomb.xlsx", _zip({"xl/workbook.xml": b"<x/>", "xl/big.xml": b"0" * (11 * 2**20)}),
                      ["bomb.xlsx", "unpacks to", "limit"])
def _evil_workbook() -> bytes:
    from mekong.importers.template import xlsx_bytes

    src = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    parts = {n: src.read(n) for n in src.namelist()}
    parts["xl/worksheets/sheet2.xml"] = BILLION_LAUGHS.split(b"<iati-activities")[0] + parts["xl/worksheets/sheet2.xml"]
    return _zip(parts)


CASES["xlsx with entities"] = ("evil.xlsx", _evil_workbook(), ["evil.xlsx", "<!DOCTYPE", "xl/worksheets/sheet2.xml"])
CASES["truncated xlsx"] = ("cut.xlsx", _zip({"xl/workbook.xml": b"<x/>" * 1000})[:300], ["cut.xlsx", "xlsx"])


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def db(seed_db, tmp_path):
    path = tmp_path / "db" / "mekong.duckdb"
    path.parent.mkdir()
    shutil.copyfile(seed_db, path)
    return path


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_is_refused_and_the_database_unchanged(case, db, tmp_path):
    name, content, words = CASES[case]
    before = sha(db)
    bad = tmp_path / name
    bad.write_bytes(content)
    # the bad file comes with a good one: nothing of either is applied
    report = import_files([FIXTURES / "percentages.xml", bad], db, max_bytes=1 * 2**20)
    assert not report.applied
    for w in words:
        assert w in report.reason, (w, report.reason)
    assert sha(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["mekong.duckdb"]  # no temporary file left


def test_oversized_file_is_refused_before_it_is_read(db, tmp_path):
    before = sha(db)
    big = tmp_path / "big.xml"
    big.write_bytes(GOOD + b"<!--" + b"x" * 5000 + b"-->")
    report = import_files([big], db, max_bytes=4096)
    assert not report.applied
    assert "big.xml" in report.reason and "more than the import limit of 0.0 MB" in report.reason
    assert sha(db) == before
    # the same check for bytes handed over by an upload widget
    report = import_data([("big.xml", big.read_bytes())], db, max_bytes=4096)
    assert not report.applied and "more than the import limit" in report.reason
    assert sha(db) == before


def test_missing_file_is_refused(db, tmp_path):
    before = sha(db)
    report = import_files([tmp_path / "nowhere.xml"], db)
    assert not report.applied and "nowhere.xml" in report.reason and "cannot be read" in report.reason
    assert sha(db) == before


def test_refusal_inside_the_transaction_leaves_the_database_unchanged(db, tmp_path):
    """A file that parses but whose data the database refuses (here: an activity with the
    identifier of a curated seed activity) is refused after the copy was changed; the
    database file itself is untouched."""
    before = sha(db)
    clash = tmp_path / "clash.xml"
    clash.write_bytes(GOOD.replace(b"XX-LEGACY-1", b"seed:lao-021"))
    report = import_files([FIXTURES / "percentages.xml", clash], db)
    assert not report.applied
    assert "clash.xml" in report.reason and "seed:lao-021" in report.reason and "curated" in report.reason
    assert sha(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["mekong.duckdb", "mekong.duckdb.lock"]


def test_two_files_with_the_same_name_are_refused(db):
    report = import_data([("a.xml", GOOD), ("a.xml", GOOD)], db)
    assert not report.applied and "a.xml" in report.reason and "twice" in report.reason


def test_entities_are_never_expanded_even_past_the_scan():
    """Belt and braces: the XML parser itself is set not to load DTDs or expand entities."""
    from lxml import etree

    from mekong.importers.safety import _parser

    root = etree.fromstring(EXTERNAL_ENTITY, _parser())
    assert "root:" not in etree.tostring(root).decode()  # /etc/passwd was not read
    laughs = etree.fromstring(BILLION_LAUGHS, _parser())
    assert len(etree.tostring(laughs)) < 2000  # nothing was expanded
