"""Splits that do not add up to 100 and transaction-level splits, by hand
(tests/fixtures/iati/uneven_splits.xml and region_only.xml). derive.sql's rule: the parts
of a split always add up to the whole - one item takes all of it, a positive sum of
percentages is rescaled to 100 (and the import says so), else the split is not stated."""
import datetime as dt
import shutil
from pathlib import Path

import pytest

from mekong.importers import import_files
from mekong.store.db import Portfolio
from mekong.views import breakdowns
from mekong.views.filters import Filters

FIXTURES = Path(__file__).parent / "fixtures" / "iati"


@pytest.fixture(scope="module")
def imported(seed_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("splits") / "mekong.duckdb"
    shutil.copyfile(seed_db, path)
    report = import_files([FIXTURES / "uneven_splits.xml", FIXTURES / "region_only.xml"], path)
    assert report.applied, report.reason
    return Portfolio(path), report


def q(db, name, flow="budget", currency="EUR", donor="XX-SPL", **filters):
    f = Filters(donor=(donor,), currency=currency, **{k: tuple(v) for k, v in filters.items()})
    return db.frame(name, {**f.params(), "lang": "en", "flow": flow})


def part(db, name, flow="budget", currency="EUR", donor="XX-SPL", **filters):
    """One breakdown of funding_breakdowns.sql, counted alone."""
    f = Filters(donor=(donor,), currency=currency, **{k: tuple(v) for k, v in filters.items()})
    return breakdowns.breakdown(lambda n, **e: db.frame(n, {**f.params(), "lang": "en", **e}), flow, name)


def values(df, key="key"):
    return {k: round(v, 2) for k, v in zip(df[key], df["value"])}


def shares(db, table, project_id, *cols):
    sql = f"SELECT {', '.join(cols)}, share FROM {table} WHERE project_id = $p ORDER BY ALL"
    cur = db.connection().cursor()
    try:
        cur.execute("USE portfolio")
        return [tuple(round(x, 6) if isinstance(x, float) else x for x in r) for r in cur.execute(sql, {"p": project_id}).fetchall()]
    finally:
        cur.close()


def test_country_and_region_percentages_are_rescaled_to_100(imported):
    db, _ = imported
    assert shares(db, "country_share", "XX-SPLIT-1", "country", "region") == [("KH", None, 0.5), (None, "1:789", 0.5)]
    assert shares(db, "country_share", "XX-SPLIT-2", "country") == [("LA", 0.5), ("VN", 0.5)]
    # 50 + 30 + 0 = 80: KH 50/80, TH 30/80, MM nothing
    assert shares(db, "country_share", "XX-SPLIT-3", "country") == [("KH", 0.625), ("MM", 0.0), ("TH", 0.375)]
    # the budgets, 1 000 000 + 1 200 000 + 800 000 EUR, each split in full
    assert values(part(db, "country")) == {
        "KH": 500_000 + 500_000, "region:1:789": 500_000, "LA": 600_000, "VN": 600_000, "TH": 300_000, "MM": 0}
    assert q(db, "flow_total").iloc[0].total == pytest.approx(3_000_000)


def test_sector_percentages_per_vocabulary_are_rescaled(imported):
    db, _ = imported
    # 5-digit sectors at 50 + 70 = 120 count; the 3-digit description of the same split does not
    assert shares(db, "sector_share", "XX-SPLIT-1", "sector", "category") == [
        ("11110", "111", round(50 / 120, 6)), ("12220", "122", round(70 / 120, 6))]
    assert shares(db, "sector_share", "XX-SPLIT-2", "category") == [("111", 0.5), ("121", 0.5)]
    by_sector = {(c, s if isinstance(s, str) else None): round(v, 2) for c, s, v in part(db, "sector")[["category", "sector", "value"]]
                 .itertuples(index=False)}
    assert by_sector == {("111", "11110"): round(1_000_000 * 50 / 120 + 800_000, 2),
                         ("122", "12220"): round(1_000_000 * 70 / 120, 2),
                         ("111", None): 600_000, ("121", None): 600_000}


def test_the_import_reports_each_rescaled_split(imported):
    _, report = imported
    said = {(d.activity, d.element): d.message for d in report.deviations}
    assert "add up to 200, not 100" in said[("XX-SPLIT-1", "recipient-country/recipient-region")]
    assert "rescaled to 100" in said[("XX-SPLIT-1", "recipient-country/recipient-region")]
    assert "add up to 120" in said[("XX-SPLIT-1", "sector[@vocabulary=1]")]
    assert "add up to 120" in said[("XX-SPLIT-2", "recipient-country/recipient-region")]
    assert "add up to 80" in said[("XX-SPLIT-2", "sector[@vocabulary=2]")]
    assert "add up to 80" in said[("XX-SPLIT-3", "recipient-country/recipient-region")]


def test_transaction_level_countries_are_the_same_share_in_every_currency(imported):
    db, _ = imported
    # shares from the USD amounts themselves, not from their EUR values at two rates
    assert shares(db, "country_share", "XX-TXUSD-1", "country") == [("KH", round(1 / 3, 6)), ("MM", round(2 / 3, 6))]
    usd = values(part(db, "country", flow="disbursement", currency="USD"))
    # XX-TXUSD-1: 100 000 to KH, 200 000 to MM; XX-TXREV-1: +100 000 - 100 000 to KH, 100 000 to MM
    assert usd == {"KH": 100_000, "MM": 300_000}
    eur = part(db, "country", flow="disbursement", currency="EUR")
    assert eur["value"].sum() == pytest.approx(q(db, "flow_total", flow="disbursement").iloc[0].total)


def test_a_reversal_keeps_its_sign(imported):
    db, _ = imported
    assert shares(db, "country_share", "XX-TXREV-1", "country") == [("KH", 0.0), ("MM", 1.0)]


def test_a_regional_activity_never_counts_for_a_country_or_province(imported):
    db, _ = imported
    assert shares(db, "province_share", "XX-REGION-1", "province") == []
    assert values(part(db, "country", donor="XX-REG")) == {"region:1:789": 500_000}
    assert values(part(db, "province", donor="XX-REG")) == {"~national": 500_000}
    assert values(part(db, "national", donor="XX-REG")) == {"region:1:789": 500_000}
    provinces = q(db, "map_provinces", donor="XX-REG").set_index("iso")
    assert provinces.loc["KH-12", "n_projects"] == 0
    assert part(db, "country", donor="XX-REG", country=["KH"]).empty


def test_a_wider_file_keeps_the_mekong_activities_only(seed_db, tmp_path):
    path = tmp_path / "mekong.duckdb"
    shutil.copyfile(seed_db, path)
    report = import_files([FIXTURES / "wider_area.xml"], path)
    assert report.applied, report.reason
    kept = set(Portfolio(path).frame("projects_list", {**Filters(donor=("XX-BANK",)).params(), "lang": "en",
                                                        "q": "", "limit": 100})["project_id"])
    assert kept == {"XX-AREA-LA", "XX-AREA-ASIA", "XX-AREA-POINT", "XX-AREA-TX"}
    left = report.files[0].left_out
    assert left.activities == 3
    assert dict(left.recipients) == {"IN": 1, "BD": 1, "region 298": 1, "none stated": 1}


def test_all_countries_keeps_everything_and_labels_the_countries_outside(seed_db, tmp_path):
    path = tmp_path / "mekong.duckdb"
    shutil.copyfile(seed_db, path)
    report = import_files([FIXTURES / "wider_area.xml"], path, all_countries=True)
    assert report.applied and report.activities == 7 and not report.files[0].left_out.activities
    db = Portfolio(path)
    by_country = part(db, "country", currency="USD", donor="XX-BANK").set_index("key")
    assert by_country.loc["IN", "value"] == pytest.approx(300_000) and by_country.loc["IN", "outside"]
    assert by_country.loc["LA", "value"] == pytest.approx(100_000) and not by_country.loc["LA", "outside"]
    from mekong.views import i18n, panels
    named = panels._named(lambda key, **v: i18n.text(key, "en", **v), by_country.reset_index())
    assert set(named["name"]) >= {"India (outside the Mekong region)", "Bangladesh (outside the Mekong region)", "Laos"}
    f = Filters(donor=("XX-BANK",))
    h = db.frame("overview_headline", {**f.params(), "today": dt.date(2026, 1, 1)}).iloc[0]
    assert (h.n_countries, h.n_countries_outside) == (2, 2)  # LA, VN; IN, BD
    options = db.frame("filter_options", {"lang": "en", "today": dt.date(2026, 1, 1), "vn": "2025"})
    countries = options[options["dimension"] == "country"].set_index("value")
    assert countries.loc["IN", "outside"] and not countries.loc["LA", "outside"]
