"""`python -m mekong totals`: the dashboard's figures for a view, from the same queries,
checked against the hand-computed fixture portfolio (tests/fixture_db.py) and the command."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mekong.exports.totals import BadQuery, as_csv, totals
from mekong.store.db import Portfolio
from tests.fixture_db import build_fixture

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def fixture(tmp_path_factory):
    import duckdb

    from mekong.paths import DATA_DIR
    from mekong.store import freshness

    path = build_fixture(tmp_path_factory.mktemp("totals") / "fixture.duckdb")
    con = duckdb.connect(str(path))
    freshness.record(con, DATA_DIR)  # so that the command reads it as it is, not as an outdated default database
    con.close()
    return path, Portfolio(path)


def amounts(result):
    return {b["key"]: b["amount"] for b in result["buckets"]}


def test_total_and_buckets_by_donor(fixture):
    _, db = fixture
    r = totals(db, "", "donor")
    # P1 600 + 400, P2 1200 + 500, P3 1000 (the LAK part is not converted)
    assert (r["flow"], r["currency"], r["total"], r["activities"]) == ("budget", "EUR", 3700, 4)
    assert amounts(r) == {"A": 2300, "B": 400, "~several funders": 1000}
    labels = {b["key"]: b["label"] for b in r["buckets"]}
    assert labels["A"] == "Donor A" and labels["~several funders"] == "Several funders (split not stated)"
    assert sum(amounts(r).values()) == r["total"]


@pytest.mark.parametrize("by", ["donor", "implementer", "sector", "country", "province", "year"])
def test_every_breakdown_adds_up_to_the_total(fixture, by):
    _, db = fixture
    for query in ("", "ccy=USD", "country=KH", "flow=commitment", "donor=A&years=2021&years=2021"):
        r = totals(db, query, by)
        # to the cent per bucket (each is rounded to cents)
        assert sum(b["amount"] or 0 for b in r["buckets"]) == pytest.approx(r["total"] or 0,
                                                                             abs=0.01 * len(r["buckets"])), (query, by)


def test_keys_are_the_url_codes(fixture):
    _, db = fixture
    assert amounts(totals(db, "", "country")) == {"LA": 1000, "KH": 850, "VN": 850, "TH": 1000}
    assert amounts(totals(db, "", "province")) == {"KH-12": 850, "~national": 2850}
    assert amounts(totals(db, "", "sector")) == {"11110": 600, "12110": 400, "43040": 1700, "~not_stated": 1000}
    years = amounts(totals(db, "", "year"))
    assert set(years) == {"2020", "2021"} and years["2021"] == pytest.approx(1000 * 365 / 731 + 500, abs=0.01)
    assert amounts(totals(db, "", "implementer")) == {"X": 1000, "~several": 1700, "~none": 1000}
    r = totals(db, "country=TH&ccy=USD&lang=fr", "donor")
    assert r["total"] == 1125.30 and r["buckets"][0]["label"] == "Plusieurs bailleurs (répartition non indiquée)"


@pytest.mark.parametrize("query, param", [("contry=LA", "contry"), ("country=ZZ", "country"), ("flow=gifts", "flow"),
                                          ("years=20x0&years=2021", "years"), ("ccy=GBP", "ccy"), ("lang=de", "lang")])
def test_a_bad_query_names_the_parameter(fixture, query, param):
    _, db = fixture
    with pytest.raises(BadQuery, match=f"'{param}'"):
        totals(db, query, "none")


def test_csv_rows_and_text_that_no_spreadsheet_evaluates(fixture):
    _, db = fixture
    r = totals(db, "", "donor")
    r["buckets"].append({"key": "name:=1+2", "label": "=HYPERLINK(\"http://x\")", "amount": 1.5, "approximate": True,
                         "activities": 1})
    lines = as_csv(r).splitlines()
    assert lines[0] == "key,label,amount,approximate,activities"
    assert lines[1] == "A,Donor A,2300.0,false,2"
    assert lines[-1] == "name:=1+2,\"'=HYPERLINK(\"\"http://x\"\")\",1.5,true,1"


def test_the_command(fixture):
    path, _ = fixture

    def run(*args):
        return subprocess.run([sys.executable, "-m", "mekong", "totals", "--db", str(path), *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)

    done = run("--by", "country", "--query", "ccy=EUR")
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert set(got) == {"query", "flow", "currency", "total", "activities", "buckets"}
    assert got["total"] == 3700 and {b["key"] for b in got["buckets"]} == {"LA", "KH", "VN", "TH"}
    assert set(got["buckets"][0]) == {"key", "label", "amount", "approximate", "activities"}
    csv_out = run("--by", "none", "--format", "csv")
    assert csv_out.returncode == 0 and csv_out.stdout == "key,label,amount,approximate,activities\n"
    bad = run("--query", "donor=nobody")
    assert bad.returncode == 2 and "'donor'" in bad.stderr and not bad.stdout
