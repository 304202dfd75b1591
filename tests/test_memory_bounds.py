"""Memory stays bounded on hostile input: a workbook that unpacks to far more than it
weighs (a zip bomb: 1 MB packed, 85 MB of sheet XML) is refused from the zip's directory,
before any part is unpacked; the peak of the whole import, measured in a subprocess
(VmHWM), stays under 300 MB."""
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The peak resident size of the process (VmHWM: ru_maxrss would also count the pytest
# process the child was forked from, as Linux carries it over an exec).
MEASURE = """
import re, sys
from mekong.importers import import_files
report = import_files([sys.argv[1]], sys.argv[2])
print("applied" if report.applied else "refused: " + report.reason)
print(int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1)) // 1024)
"""


def bomb(rows: int) -> bytes:
    """The import template with `rows` activities on its activities sheet, packed."""
    from mekong.importers.template import xlsx_bytes

    src = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    parts = {n: src.read(n) for n in src.namelist()}
    sheet = "xl/worksheets/sheet2.xml"  # the activities sheet
    xml = re.sub(r"<dimension[^>]*/>", "", parts[sheet].decode())
    head, _, tail = xml.partition("<sheetData>")
    end = tail.index("</sheetData>")
    cells = "".join(f'<c t="inlineStr"><is><t>x{c}</t></is></c>' for c in range(21))
    body = "".join(f'<row r="{i + 2}"><c t="inlineStr"><is><t>XX-B-{i}</t></is></c>{cells}</row>' for i in range(rows))
    parts[sheet] = (head + "<sheetData>" + tail[:end] + body + tail[end:]).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in parts.items():
            z.writestr(n, d)
    return buf.getvalue()


def peak(path: Path, db: Path) -> tuple[str, int]:
    r = subprocess.run([sys.executable, "-c", MEASURE, str(path), str(db)], cwd=ROOT, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    verdict, mb = r.stdout.strip().splitlines()[-2:]
    return verdict, int(mb)


def test_an_xlsx_zip_bomb_is_refused_before_it_is_read(seed_db_copy, tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb(100_000))
    assert path.stat().st_size < 2 * 2**20
    verdict, mb = peak(path, seed_db_copy)
    assert verdict.startswith("refused: bomb.xlsx: unpacks to") and "workbook may hold unpacked" in verdict
    assert mb < 300, f"peak {mb} MB"


def one_identifier(n: int, country: str) -> bytes:
    """n activities that all carry the same identifier (each with a title, a budget)."""
    act = ('<iati-activity><iati-identifier>XX-DUP-1</iati-identifier><reporting-org ref="XX-1"><narrative>Org'
           '</narrative></reporting-org><title><narrative>Same activity</narrative></title>'
           f'<recipient-country code="{country}"/><budget><period-start iso-date="2020-01-01"/>'
           '<period-end iso-date="2020-12-31"/><value currency="EUR" value-date="2020-01-01">1000</value></budget>'
           '<activity-status code="2"/></iati-activity>\n')
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n' + act.encode() * n
            + b"</iati-activities>\n")


def test_fifty_thousand_activities_with_one_identifier_stay_bounded(seed_db_copy, tmp_path):
    """The file is read activity by activity (safety.iter_activities): 20 MB of XML held
    whole would cost some 200 MB as a tree."""
    refused = tmp_path / "outside.xml"
    refused.write_bytes(one_identifier(50_000, "FR"))
    verdict, mb = peak(refused, seed_db_copy)
    assert verdict.startswith("refused: outside.xml: none of its") and mb < 300, (verdict, mb)
    applied = tmp_path / "repeated.xml"
    applied.write_bytes(one_identifier(50_000, "LA"))
    verdict, mb = peak(applied, seed_db_copy)
    assert verdict == "applied" and mb < 350, (verdict, mb)
