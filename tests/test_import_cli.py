"""`python -m mekong import` and `python -m mekong template`: exit status and summary."""
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "iati"


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mekong", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)


@pytest.fixture()
def db(seed_db, tmp_path):
    path = tmp_path / "mekong.duckdb"
    shutil.copyfile(seed_db, path)
    return path


def test_import_applied_exits_0_with_a_summary(db):
    r = run("import", FIXTURES / "legacy_103.xml", FIXTURES / "mixed_currencies.xml", "--db", db)
    assert r.returncode == 0, r.stderr
    assert "Imported 2 activities" in r.stdout
    assert "legacy_103.xml (iati, publisher: Legacy Donor Agency): 1 activity, 2 budgets" in r.stdout
    assert not re.search(r"(?<![\d,])1 (activities|budgets|transactions|locations|sectors|rows|deviations|warnings|recipient countries)\b", r.stdout)
    assert "LAK" in r.stdout and "1 at monthly averages (30,000,000.00), 1 not converted (8,000,000.00)" in r.stdout


def test_counts_are_written_singular_for_one():
    from mekong.views.english import count, plural

    assert [count(n, "activity") for n in (0, 1, 2, 2412)] == ["0 activities", "1 activity", "2 activities",
                                                               "2,412 activities"]
    assert count(1, "recipient country") == "1 recipient country" and plural("recipient country") == "recipient countries"
    assert count(3, "participating organisation") == "3 participating organisations"


def test_import_refused_exits_1_and_changes_nothing(db, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<iati-activities><iati-activity>")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    r = run("import", FIXTURES / "legacy_103.xml", bad, "--db", db)
    assert r.returncode == 1
    assert "REFUSED: nothing was changed" in r.stdout and "bad.xml, line 1: is not well-formed XML" in r.stdout
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_import_usage_error_exits_2():
    assert run("import").returncode == 2


def test_template_command(tmp_path):
    r = run("template", "--out", tmp_path / "t")
    assert r.returncode == 0
    assert (tmp_path / "t" / "mekong-import-template.xlsx").is_file()
    assert (tmp_path / "t" / "activities.csv").read_bytes().startswith(b"\xef\xbb\xbfactivity_id,")
