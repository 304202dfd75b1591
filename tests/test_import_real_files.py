"""Every real IATI file of ../shared/testdata/iati/ imports, and the database holds what the
XML holds: counts and totals per currency computed from the XML with plain XPath."""
import shutil
from collections import Counter, defaultdict
from decimal import Decimal

import duckdb
import pytest

from mekong.importers import import_files
from mekong.paths import SHARED_DIR
from tests.iati_expect import expected

IATI_DIR = SHARED_DIR / "testdata" / "iati"
FILES = sorted(p.name for p in IATI_DIR.glob("*.xml")) or ["(../shared/testdata/iati is missing)"]
SUBSET = "mekong_subset_dportal_covid_2021.xml"


@pytest.fixture(scope="module")
def imported(seed_db, tmp_path_factory, shared_dir):
    """Each file imported alone into its own copy of the seed database, with all countries
    (these tests compare the database with the whole file): {name: (report, db)}."""
    out = {}
    for name in sorted(p.name for p in (shared_dir / "testdata" / "iati").glob("*.xml")):
        db = tmp_path_factory.mktemp("real") / "mekong.duckdb"
        shutil.copyfile(seed_db, db)
        out[name] = (import_files([shared_dir / "testdata" / "iati" / name], db, all_countries=True), db)
    return out


def _db_facts(db, document_id):
    con = duckdb.connect(str(db), read_only=True)
    try:
        in_doc = "project_id IN (SELECT project_id FROM project WHERE document_id = $d)"

        def q(sql):
            return con.execute(sql, {"d": document_id}).fetchall()

        def one(sql):
            return q(sql)[0][0]

        budgets = Counter({(k, t): n for k, t, n in q(f"SELECT kind, type, count(*) FROM budget WHERE {in_doc} GROUP BY ALL")})
        transactions = Counter({t: n for t, n in q(f'SELECT type, count(*) FROM "transaction" WHERE {in_doc} GROUP BY ALL')})
        totals = defaultdict(Decimal)
        for kind, cur, s in q(f"SELECT kind, currency, sum(amount) FROM budget WHERE {in_doc} GROUP BY ALL"):
            totals[(kind, cur)] += s
        for cur, s in q(f'SELECT currency, sum(amount) FROM "transaction" WHERE {in_doc} GROUP BY ALL'):
            totals[("transaction", cur)] += s
        return {
            "activities": one("SELECT count(*) FROM project WHERE document_id = $d"),
            "budgets": budgets, "transactions": transactions, "totals": dict(totals),
            "participations": one(f"SELECT count(*) FROM participation WHERE {in_doc}"),
            "sectors": one(f"SELECT count(*) FROM project_sector WHERE {in_doc}"),
            "countries": one(f"SELECT count(*) FROM project_country WHERE {in_doc}"),
            "regions": one(f"SELECT count(*) FROM project_region WHERE {in_doc}"),
            "money_rows": one(f"SELECT count(*) FROM money_row WHERE {in_doc}"),
            "xxx": one(f"SELECT count(*) FROM budget WHERE {in_doc} AND currency = 'XXX'")
            + one(f'SELECT count(*) FROM "transaction" WHERE {in_doc} AND currency = \'XXX\''),
        }
    finally:
        con.close()


@pytest.mark.parametrize("name", FILES)
def test_real_file_matches_its_xml(name, imported, shared_dir):
    report, db = imported[name]
    assert report.applied, report.reason
    want = expected(shared_dir / "testdata" / "iati" / name)
    got = _db_facts(db, f"iati:{name}")
    assert got["activities"] == want["activities"] == report.files[0].counts["activities"]
    assert got["budgets"] == +want["budgets"]
    assert got["transactions"] == +want["transactions"]
    assert got["totals"] == {k: v for k, v in want["totals"].items()}
    for key in ("participations", "sectors", "countries", "regions"):
        assert got[key] == want[key], key
    # every budget, planned disbursement and transaction reaches the derived money rows
    assert got["money_rows"] == sum(want["budgets"].values()) + sum(want["transactions"].values())
    assert got["xxx"] == 0  # every value of these files has a currency, its own or the activity's


def test_subset_facts_from_its_readme(imported):
    """../shared/testdata/iati/README.md: 436 activities, currencies USD EUR GBP CAD KRW among
    others, 52 activities that give the currency only on each value."""
    report, _ = imported[SUBSET]
    want = expected(IATI_DIR / SUBSET)
    assert want["activities"] == report.activities == 436
    assert want["no_default_currency"] == 52
    currencies = {m["currency"] for m in report.money}
    assert {"USD", "EUR", "GBP", "CAD", "KRW"} <= currencies
    # all these currencies have ECB rates at these dates: nothing is left unconverted
    assert report.not_converted() == 0
    # the file deviates from the schema in places: each is reported with its activity
    devs = report.files[0].deviations
    assert devs and all(d.activity and d.element and d.line for d in devs)
    assert any(d.element.endswith("value") and "empty" in d.message for d in devs)


def test_subset_money_summary_matches_the_database(imported):
    report, db = imported[SUBSET]
    con = duckdb.connect(str(db), read_only=True)
    usd = con.execute("""SELECT sum(amount) FROM "transaction" WHERE currency = 'USD'
                         AND project_id IN (SELECT project_id FROM project WHERE document_id = $d)""",
                      {"d": f"iati:{SUBSET}"}).fetchone()[0]
    con.close()
    assert next(m["amount"] for m in report.money if m["kind"] == "transaction" and m["currency"] == "USD") == usd


def test_all_files_in_one_import(seed_db_copy, shared_dir):
    """The samples repeat activities of the subset: in one import each activity is read once
    (the first file that has it) and every repeat is reported."""
    paths = sorted((shared_dir / "testdata" / "iati").glob("*.xml"))
    report = import_files(paths, seed_db_copy, all_countries=True)
    assert report.applied, report.reason
    distinct = set()
    total = 0
    for p in paths:
        from lxml import etree
        ids = [i.strip() for i in etree.parse(str(p)).getroot().xpath("iati-activity/iati-identifier/text()")]
        total += len(ids)
        distinct |= set(ids)
    assert report.activities == len(distinct)
    repeats = [d for d in report.deviations if "repeats an activity" in d.message]
    assert len(repeats) == total - len(distinct)
    con = duckdb.connect(str(seed_db_copy), read_only=True)
    n = con.execute("SELECT count(*) FROM project WHERE document_id LIKE 'iati:%'").fetchone()[0]
    con.close()
    assert n == len(distinct)


def test_activities_outside_the_region_are_left_out_by_default(seed_db_copy, shared_dir):
    """GDI Hub's file: two activities in Viet Nam, two in Kenya, India, Bangladesh... with
    no Mekong country, place or region: left out and reported."""
    report = import_files([shared_dir / "testdata" / "iati" / "iatiflattener_gdihub-activity.xml"], seed_db_copy)
    assert report.applied, report.reason
    f = report.files[0]
    assert (f.counts["activities"], f.left_out.activities) == (2, 2)
    assert f.left_out.recipients["KE"] == 2 and f.left_out.recipients["IN"] == 2
    assert "2 activities outside the Mekong region" in report.summary()
    con = duckdb.connect(str(seed_db_copy), read_only=True)
    countries = {c for (c,) in con.execute("SELECT DISTINCT country FROM project_country WHERE project_id IN "
                                           "(SELECT project_id FROM project WHERE document_id LIKE 'iati:%')").fetchall()}
    con.close()
    assert "VN" in countries
