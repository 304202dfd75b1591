"""Counting each dollar once across publishers, by hand (tests/fixtures/iati/chain/): a
donor (XX-DONOR-1) gives 1,000,000 USD to a multilateral fund (XX-MULTI-1), which passes
600,000 to NGO A and 300,000 to NGO B and spends 50,000 itself; NGO A also receives
200,000 from a second donor whose activity is not loaded and spends 700,000; NGO B reports
receiving 250,000 (the fund says 300,000) and spends 280,000 in 2021."""
import shutil
from pathlib import Path

import pytest

from mekong.exports.totals import totals
from mekong.importers import import_files
from mekong.store.db import Portfolio

CHAIN = Path(__file__).parent / "fixtures" / "iati" / "chain"


@pytest.fixture(scope="module")
def db(seed_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("chain") / "mekong.duckdb"
    shutil.copyfile(seed_db, path)
    report = import_files(sorted(CHAIN.glob("*.xml")), path)
    assert report.applied, report.reason
    return Portfolio(path)


def total(db, flow, count="net", by="none"):
    return totals(db, f"ccy=USD&flow={flow}&count={count}", by)


def chain_only(result):
    """The buckets of the fixture's activities (the seed portfolio has no transactions)."""
    return {b["key"]: b["amount"] for b in result["buckets"]}


def test_gross_adds_every_report_net_counts_once(db):
    # disbursements: the donor's 1,000,000 and the fund's 900,000 passed on
    assert total(db, "disbursement", "gross")["total"] == 1_900_000
    # net: the fund passed on no new money (it received 1,000,000 from a loaded activity)
    assert total(db, "disbursement")["total"] == 1_000_000
    # expenditure: 50,000 + 700,000 + 280,000; net: NGO A's 700,000 less the 600,000 it
    # received from the fund; NGO B spent less than the 300,000 it received: nothing new
    assert total(db, "expenditure", "gross")["total"] == 1_030_000
    assert total(db, "expenditure")["total"] == pytest.approx(100_000)
    # incoming funds: only the second donor's 200,000 comes from outside the loaded activities
    assert total(db, "incoming_funds", "gross")["total"] == 2_050_000
    assert total(db, "incoming_funds")["total"] == 200_000
    assert total(db, "commitment")["total"] == total(db, "commitment", "gross")["total"] == 1_000_000


def test_net_by_donor_country_and_year(db):
    assert chain_only(total(db, "disbursement", by="donor")) == {"XX-DONOR": 1_000_000}
    assert chain_only(total(db, "disbursement", "gross", by="donor")) == {"XX-DONOR": 1_900_000}
    # NGO A has two funders and states no split: its net 100,000 is "several funders"
    assert chain_only(total(db, "expenditure", by="donor")) == pytest.approx({"~several funders": 100_000, "XX-MULTI": 0,
                                                                              "XX-DONOR": 0})
    assert chain_only(total(db, "expenditure", by="country")) == pytest.approx({"LA": 100_000, "KH": 0})
    assert chain_only(total(db, "expenditure", "gross", by="country")) == {"LA": 750_000, "KH": 280_000}
    assert chain_only(total(db, "expenditure", by="year")) == pytest.approx({"2020": 100_000, "2021": 0})
    assert chain_only(total(db, "expenditure", "gross", by="year")) == {"2020": 750_000, "2021": 280_000}


def test_net_never_exceeds_gross_and_breakdowns_add_up(db):
    for flow in ("disbursement", "expenditure", "incoming_funds", "commitment", "budget"):
        for by in ("donor", "implementer", "sector", "country", "province", "year"):
            net, gross = total(db, flow, by=by), total(db, flow, "gross", by=by)
            assert (net["total"] or 0) <= (gross["total"] or 0) + 0.01
            for r in (net, gross):
                assert sum(b["amount"] or 0 for b in r["buckets"]) == pytest.approx(r["total"] or 0, abs=0.01 * len(r["buckets"]))


def test_double_counted_says_how_much_was_left_out(db):
    from mekong.views.filters import Filters
    for count in ("net", "gross"):
        params = {**Filters(currency="USD", count=count).params(), "flow": "disbursement"}
        t = db.frame("flow_total", params).iloc[0]
        assert t.double_counted == pytest.approx(900_000)
        # the pages' note reads it from money_gaps, with the activities that report it
        gaps = db.frame("money_gaps", params).set_index("reason")
        assert gaps.loc["double_counted", "amount"] == pytest.approx(900_000)
        assert gaps.loc["double_counted", "currency"] == "USD"


def test_nothing_counted_twice_gives_no_row(seed_db):
    from mekong.store.db import Portfolio
    from mekong.views.filters import Filters
    reasons = set(Portfolio(seed_db).frame("money_gaps", {**Filters().params(), "flow": "budget"})["reason"])
    assert reasons and "double_counted" not in reasons  # the seed portfolio has other gaps, no links


def test_the_links_as_data_and_whether_they_resolve(db):
    cur = db.connection().cursor()
    cur.execute("USE portfolio")
    links = cur.execute("SELECT project_id, kind, other_iati_id, other_project_id IS NOT NULL FROM activity_link "
                        "ORDER BY ALL").fetchall()
    assert links == [
        ("XX-DONOR-1", "receiver", "XX-MULTI-1", True), ("XX-DONOR-1", "receiver", "XX-MULTI-1", True),
        ("XX-MULTI-1", "provider", "XX-DONOR-1", True), ("XX-MULTI-1", "receiver", "XX-NGOA-1", True),
        ("XX-MULTI-1", "receiver", "XX-NGOB-1", True), ("XX-NGOA-1", "provider", "XX-DONOR2-7", False),
        ("XX-NGOA-1", "provider", "XX-MULTI-1", True), ("XX-NGOB-1", "provider", "XX-MULTI-1", True)]
    flows = cur.execute("SELECT giver, taker, kind, amount_usd FROM activity_flow ORDER BY ALL").fetchall()
    # NGO B says 250,000, the fund 300,000: the pair counts the larger, once
    assert flows == [("XX-DONOR-1", "XX-MULTI-1", "committed", 1_000_000), ("XX-DONOR-1", "XX-MULTI-1", "disbursed", 1_000_000),
                     ("XX-MULTI-1", "XX-NGOA-1", "disbursed", 600_000), ("XX-MULTI-1", "XX-NGOB-1", "disbursed", 300_000)]
    cur.close()


def test_the_funding_chain_of_an_activity(db):
    chain = db.frame("project_chain", {"project_id": "XX-MULTI-1", "lang": "en", "currency": "USD"})
    got = {(r.direction, r.reported_by, r.other_iati_id): (r.value, r.other_project_id) for r in chain.itertuples()}
    assert got == {("from", "this", "XX-DONOR-1"): (1_000_000, "XX-DONOR-1"),
                   ("from", "other", "XX-DONOR-1"): (1_000_000, "XX-DONOR-1"),
                   ("to", "this", "XX-NGOA-1"): (600_000, "XX-NGOA-1"), ("to", "this", "XX-NGOB-1"): (300_000, "XX-NGOB-1"),
                   ("to", "other", "XX-NGOA-1"): (600_000, "XX-NGOA-1"), ("to", "other", "XX-NGOB-1"): (250_000, "XX-NGOB-1")}
    ngo = db.frame("project_chain", {"project_id": "XX-NGOA-1", "lang": "en", "currency": "USD"})
    unresolved = ngo[ngo["other_project_id"].isna()].iloc[0]
    assert (unresolved.other_iati_id, unresolved.organisation, unresolved.value) == ("XX-DONOR2-7", "Second Donor", 200_000)


def test_the_sankey_of_the_chain(db):
    from mekong.views.filters import Filters
    edges = db.frame("funding_chain", {**Filters(currency="USD").params(), "lang": "en"})
    got = {(r.source_label, r.target_label): r.value for r in edges.itertuples()}
    assert got == {("Donor Agency", "Multilateral Fund"): 1_000_000, ("Multilateral Fund", "NGO A"): 600_000,
                   ("Multilateral Fund", "NGO B"): 300_000, ("Second Donor", "NGO A"): 200_000}


def test_traceability_per_publisher(db):
    rows = db.frame("data_traceability", {"lang": "en"}).set_index("org_id")
    # NGO A: 800,000 incoming, all with a provider activity, 600,000 of it loaded
    assert rows.loc["XX-NGOA", "share_given"] == pytest.approx(1.0)
    assert rows.loc["XX-NGOA", "share_loaded"] == pytest.approx(0.75)
    assert rows.loc["XX-MULTI", "share_loaded"] == pytest.approx(1.0)


@pytest.fixture(scope="module")
def subset(seed_db, tmp_path_factory, shared_dir):
    path = tmp_path_factory.mktemp("subset") / "mekong.duckdb"
    shutil.copyfile(seed_db, path)
    xml = shared_dir / "testdata" / "iati" / "mekong_subset_dportal_covid_2021.xml"
    report = import_files([xml], path, all_countries=True)
    assert report.applied, report.reason
    return Portfolio(path), xml


def _from_xml(xml):
    """The links of the file read with plain lxml: (activity, kind, other identifier) per
    transaction (with a type and a value) naming another activity, the identifiers of the
    file and how many activities a secondary reporter reports."""
    from lxml import etree
    root = etree.parse(str(xml)).getroot()
    ids, links, secondary = set(), [], 0
    for a in root.iter("iati-activity"):
        own = a.findtext("iati-identifier").strip()
        ids.add(own)
        ro = a.find("reporting-org")
        secondary += ro is not None and ro.get("secondary-reporter") in ("1", "true")
        for tr in a.iter("transaction"):
            if tr.find("transaction-type") is None or tr.find("value") is None or not (tr.findtext("value") or "").strip():
                continue
            for tag, attr, kind in (("provider-org", "provider-activity-id", "provider"),
                                    ("receiver-org", "receiver-activity-id", "receiver")):
                el = tr.find(tag)
                other = (el.get(attr) or "").strip() if el is not None else ""
                if other and other != own:
                    links.append((own, kind, other))
    return ids, links, secondary


def test_links_of_the_real_subset(subset):
    db, xml = subset
    ids, links, secondary = _from_xml(xml)
    cur = db.connection().cursor()
    cur.execute("USE portfolio")
    got = cur.execute("SELECT count(*), count(other_project_id) FROM activity_link WHERE kind IN ('provider', 'receiver')").fetchone()
    # every transaction link as the file states it, and as many resolving to another
    # activity of the file ("some 30" of them)
    assert got == (len(links), sum(1 for x in links if x[2] in ids)) == (183, 30)
    assert cur.execute("SELECT count(*) FROM project WHERE secondary_reporter").fetchone()[0] == secondary == 15
    cur.close()


def test_net_totals_of_the_real_subset(subset):
    db, _ = subset
    for flow in ("disbursement", "expenditure", "incoming_funds", "commitment"):
        for ccy in ("EUR", "USD"):
            net = totals(db, f"flow={flow}&ccy={ccy}")["total"]
            gross = totals(db, f"flow={flow}&ccy={ccy}&count=gross")["total"]
            assert net <= gross + 0.01
            from mekong.views.filters import Filters
            t = db.frame("flow_total", {**Filters(currency=ccy).params(), "flow": flow}).iloc[0]
            assert net == pytest.approx(gross - (t.double_counted or 0), abs=0.05)
    # money passed between the file's own activities is left out once: some of it is
    assert totals(db, "flow=disbursement&ccy=USD")["total"] < totals(db, "flow=disbursement&ccy=USD&count=gross")["total"]


def test_traceability_of_the_real_subset(subset):
    db, _ = subset
    rows = db.frame("data_traceability", {"lang": "en"})
    assert not rows.empty and (rows["share_loaded"].fillna(0) <= rows["share_given"].fillna(0) + 1e-9).all()
    assert ((rows["share_given"].fillna(0) >= 0) & (rows["share_given"].fillna(0) <= 1 + 1e-9)).all()
