"""`python -m mekong synth`: a synthetic portfolio of any size, for benchmarks and load tests.

The shape follows real IATI data for the Mekong countries: a few dozen donors of very
unequal size, most activities funded by one donor and some co-funded (with or without a
stated split), DAC sectors and recipient countries with percentages that add up to 100,
provinces with coordinates (their capital's, so inside the country), multi-year budgets
with revisions and planned disbursements, commitments, disbursements, expenditure and
incoming funds in the donor's currency, some in currencies the ECB does not quote
(LAK, VND, KHR), dates from 2000 to 2030 and statuses that agree with them.

Every row is generated with numpy in whole columns and inserted in bulk; identifiers and
strings are made by DuckDB from the numbers. Everything is marked synthetic: one
document of kind 'synthetic' titled "Synthetic portfolio - not real data", organisation
names that say so, and a source per activity that says it was generated. The file is
made by the same atomic replace as a build, and never at the default database's path,
nor over a database that holds anything but a synthetic portfolio.
"""
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from mekong.paths import DATA_DIR, default_db_path
from mekong.store.build import create_empty
from mekong.store.db import connect
from mekong.store.derive import check_integrity, derive
from mekong.store.swap import replace_with

DOCUMENT_ID = "synthetic"
TITLE = "Synthetic portfolio - not real data"
TODAY = dt.date(2026, 6, 30)  # fixed, so a seed always gives the same portfolio
FIRST_YEAR, LAST_DAY = 2000, dt.date(2030, 12, 31)

# Donors' home currencies and rough units per EUR (only to size amounts; the dashboard
# converts with the ECB rates). LAK, VND, KHR and MMK have no ECB rate.
UNITS_PER_EUR = {"EUR": 1.0, "USD": 1.1, "GBP": 0.86, "JPY": 150.0, "AUD": 1.6, "SEK": 11.0, "CHF": 0.95,
                 "KRW": 1400.0, "NZD": 1.8, "THB": 38.0, "LAK": 22000.0, "VND": 26000.0, "KHR": 4400.0}
DONOR_CURRENCIES = (["EUR", "USD", "GBP", "JPY", "AUD", "SEK", "CHF", "KRW", "NZD"],
                    [0.38, 0.25, 0.08, 0.1, 0.06, 0.04, 0.03, 0.04, 0.02])
LOCAL_CURRENCY = {"KH": "KHR", "LA": "LAK", "MM": "MMK", "TH": "THB", "VN": "VND"}
UNITS_PER_EUR["MMK"] = 2300.0
COUNTRIES = (["VN", "KH", "LA", "TH", "MM"], [0.3, 0.22, 0.2, 0.15, 0.13])
DONOR_TYPES = (["10", "40", "60", "21"], [0.65, 0.2, 0.1, 0.05])
IMPLEMENTER_TYPES = (["10", "21", "22", "40", "70", "80"], [0.3, 0.25, 0.15, 0.1, 0.1, 0.1])


class SynthRefused(Exception):
    """The target path is the default database or holds a portfolio that is not synthetic."""


@dataclass(frozen=True)
class Shape:
    donors: int = 40
    implementers: int = 400
    budgets_per_project: float = 10.0       # about; the exact count follows the durations
    transactions_per_project: float = 10.0


def _default_paths() -> set[Path]:
    return {(DATA_DIR / "mekong.duckdb").resolve(), default_db_path().resolve()}


def check_target(db_path: Path) -> None:
    """Refuse the default database and any file that holds non-synthetic documents."""
    path = Path(db_path).resolve()
    if path in _default_paths():
        raise SynthRefused(f"{db_path} is the default database; a synthetic portfolio is never written there "
                           "(give another --db path)")
    if path.exists():
        try:
            con = connect(path)
        except duckdb.Error as e:
            raise SynthRefused(f"{db_path} exists and is not a database this tool can check: {e}") from e
        try:
            kinds = {k for (k,) in con.execute("SELECT DISTINCT kind FROM document").fetchall()}
        except duckdb.Error:
            kinds = {"unknown"}
        finally:
            con.close()
        if kinds - {"synthetic"}:
            raise SynthRefused(f"{db_path} holds a portfolio that is not synthetic ({', '.join(sorted(kinds))}); "
                               "a synthetic one is never mixed into it")


# ----------------------------------------------------------------------------- helpers
def _groups(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For groups of the given sizes: the group of each row and the row's place in it."""
    starts = np.cumsum(counts) - counts
    group = np.repeat(np.arange(len(counts)), counts)
    return group, np.arange(counts.sum()) - starts[group]


def _percentages(rng: np.random.Generator, counts: np.ndarray) -> np.ndarray:
    """Whole percentages of at least 1 that add up to 100 within each group."""
    group, pos = _groups(counts)
    u = rng.gamma(2.0, size=len(group))
    share = u / np.bincount(group, weights=u)[group]
    pct = 1 + np.floor(share * (100 - counts[group])).astype(np.int64)
    rest = 100 - np.bincount(group, weights=pct).astype(np.int64)
    pct[pos == 0] += rest
    return pct


def _unstated(rng: np.random.Generator, pct: np.ndarray, group: np.ndarray, n: int, share: float = 0.04) -> pd.Series:
    """The percentages, with those of a few groups (activities) left unstated (NULL)."""
    return pd.Series(pct, dtype="Int64").mask((rng.random(n) < share)[group])


def _zipf(n: int, s: float = 1.1) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1) ** s
    return w / w.sum()


def _days(d: np.ndarray) -> np.ndarray:
    return d.astype("datetime64[D]")


def _count(rng, n: int, mean: float, low: int = 1) -> np.ndarray:
    return np.maximum(low, rng.poisson(max(mean - low, 0), size=n) + low)


# ----------------------------------------------------------------------------- frames
def _reference(con) -> dict:
    sectors = con.execute("SELECT code FROM sector ORDER BY code").fetchall()
    capitals = con.execute("""
        SELECT p.iso, p.country, c.lat, c.lon
        FROM province p JOIN city c ON c.province = p.iso AND c.capital
        QUALIFY row_number() OVER (PARTITION BY p.iso ORDER BY c.population DESC NULLS LAST) = 1
        ORDER BY p.iso""").df()
    return {"sectors": np.array([s for (s,) in sectors]), "capitals": capitals}


def frames(n: int, seed: int = 0, shape: Shape = Shape(), reference: dict | None = None) -> dict[str, pd.DataFrame]:
    """The synthetic facts as numeric frames (DuckDB turns them into rows in `_insert`)."""
    rng = np.random.default_rng(seed)
    ref = reference
    out: dict[str, pd.DataFrame] = {}
    today = np.datetime64(TODAY)

    # --- organisations: donors (skewed sizes) and implementers
    n_donor_orgs, n_impl_orgs = shape.donors, shape.implementers
    donor_w, impl_w = _zipf(n_donor_orgs), _zipf(n_impl_orgs, 0.8)
    donor_ccy = rng.choice(DONOR_CURRENCIES[0], size=n_donor_orgs, p=DONOR_CURRENCIES[1])
    donor_ccy[0] = "JPY"  # the largest donor reports in yen: its money is converted on every chart
    out["donor"] = pd.DataFrame({"i": np.arange(n_donor_orgs), "currency": donor_ccy,
                                 "type": rng.choice(DONOR_TYPES[0], size=n_donor_orgs, p=DONOR_TYPES[1])})
    out["implementer"] = pd.DataFrame({"i": np.arange(n_impl_orgs),
                                       "type": rng.choice(IMPLEMENTER_TYPES[0], size=n_impl_orgs, p=IMPLEMENTER_TYPES[1])})

    # --- activities: dates, status, lead donor, size
    pid = np.arange(n)
    lead = rng.choice(n_donor_orgs, size=n, p=donor_w)
    start = np.datetime64(f"{FIRST_YEAR}-01-01") + rng.integers(0, 365 * 29, size=n).astype("timedelta64[D]")
    years = rng.choice(np.arange(1, 11), size=n, p=_zipf(10, 0.3))
    end = np.minimum(start + (years * 365 + rng.integers(-90, 90, size=n)).astype("timedelta64[D]"),
                     np.datetime64(LAST_DAY))
    end = np.maximum(end, start + np.timedelta64(60, "D"))
    status = np.where(start > today, "1", np.where(end < today, "4", "2"))
    done = status == "4"
    status[done & (rng.random(n) < 0.25)] = "3"
    status[(status == "2") & (rng.random(n) < 0.03)] = "6"
    status[rng.random(n) < 0.02] = "5"
    undated = rng.random(n) < 0.02          # activities that state no dates at all
    open_ended = ~undated & (rng.random(n) < 0.02)  # a start and no end
    local = rng.random(n) < 0.07
    size_eur = rng.lognormal(np.log(1.5e6), 1.2, size=n) * (1 + 3 * donor_w[lead] / donor_w.max())

    # --- places: countries with percentages, a few regional programmes, provinces
    regional = rng.random(n) < 0.03
    n_ctry = np.where(regional, 0, rng.choice([1, 2, 3], size=n, p=[0.88, 0.09, 0.03]))
    first = rng.choice(5, size=n, p=COUNTRIES[1])
    g, pos = _groups(n_ctry)
    ctry_idx = (first[g] + pos) % 5
    # a few activities state their countries (or sectors, below) without percentages
    out["project_country"] = pd.DataFrame({"p": g, "country": np.array(COUNTRIES[0])[ctry_idx],
                                           "percentage": _unstated(rng, _percentages(rng, n_ctry[n_ctry > 0]), g, n)})
    out["project_region"] = pd.DataFrame({"p": pid[regional]})
    home = np.array(COUNTRIES[0])[first]
    currency = np.where(local, pd.Series(home).map(LOCAL_CURRENCY).to_numpy(), donor_ccy[lead])

    caps = ref["capitals"]
    n_prov = rng.choice([0, 1, 2, 3, 4, 5], size=n, p=[0.25, 0.35, 0.18, 0.1, 0.05, 0.07])
    g, pos = _groups(n_prov)
    # each province is in one of the activity's countries (a regional one: anywhere)
    pick = rng.integers(0, 3, size=len(g)) % np.maximum(n_ctry[g], 1)
    prov_country = np.where(n_ctry[g] > 0, np.array(COUNTRIES[0])[(first[g] + pick) % 5],
                            np.array(COUNTRIES[0])[rng.choice(5, size=len(g), p=COUNTRIES[1])])
    by_country = {c: caps.index[caps["country"] == c].to_numpy() for c in COUNTRIES[0]}
    prov_row = np.empty(len(g), dtype=np.int64)
    for c, rows in by_country.items():
        m = prov_country == c
        prov_row[m] = rows[rng.integers(0, len(rows), size=m.sum())]
    point = rng.random(len(g)) < 0.3       # a site of its own near the capital, else the province itself
    pl = pd.DataFrame({"p": g, "province_row": prov_row, "point": point,
                       "lat": caps["lat"].to_numpy()[prov_row] + np.where(point, rng.normal(0, 0.03, len(g)), 0),
                       "lon": caps["lon"].to_numpy()[prov_row] + np.where(point, rng.normal(0, 0.03, len(g)), 0)})
    pl = pl.drop_duplicates(["p", "province_row", "point"])
    pl["k"] = np.arange(len(pl))
    out["project_location"] = pl
    out["province_location"] = pd.DataFrame({"province_row": np.arange(len(caps)), "iso": caps["iso"],
                                             "country": caps["country"], "lat": caps["lat"], "lon": caps["lon"]})

    # --- sectors: 1-4 DAC codes close to each other (one programme area), popular ones more often
    sectors = ref["sectors"]
    S = len(sectors)
    n_sec = rng.choice([1, 2, 3, 4], size=n, p=[0.45, 0.3, 0.15, 0.1])
    no_activity_sector = rng.random(n) < 0.02   # sectors stated on transactions only
    n_sec[no_activity_sector] = 0
    popularity = rng.permutation(S)
    first_sec = popularity[rng.choice(S, size=n, p=_zipf(S, 0.9))]
    g, pos = _groups(n_sec)
    out["project_sector"] = pd.DataFrame({"p": g, "code": sectors[(first_sec[g] + pos) % S],
                                          "percentage": _unstated(rng, _percentages(rng, n_sec[n_sec > 0]), g, n)})

    # --- participation: funders (co-funding on a quarter), implementers
    n_fund = rng.choice([1, 2, 3], size=n, p=[0.75, 0.2, 0.05])
    g, pos = _groups(n_fund)
    funder = np.where(pos == 0, lead[g], rng.choice(n_donor_orgs, size=len(g), p=donor_w))
    funders = pd.DataFrame({"p": g, "org": funder}).drop_duplicates()
    n_impl = rng.choice([1, 2, 3], size=n, p=[0.7, 0.25, 0.05])
    g, pos = _groups(n_impl)
    implementers = pd.DataFrame({"p": g, "org": rng.choice(n_impl_orgs, size=len(g), p=impl_w)}).drop_duplicates()
    out["funding"], out["implementing"] = funders, implementers
    n_funders = np.bincount(funders["p"], minlength=n)
    split_stated = (n_funders > 1) & (rng.random(n) < 0.6)

    title_country = np.where(regional, "Mekong region", home)
    out["project"] = pd.DataFrame({
        "p": pid, "lead": lead, "status": status, "has_fr": rng.random(n) < 0.3,
        "first_sector": sectors[first_sec], "title_country": title_country, "local": local})
    dates = pd.DataFrame({"p": pid, "start": _days(start), "end": _days(end), "status": status,
                          "undated": undated, "open_ended": open_ended,
                          "slip": rng.integers(0, 200, size=n)})
    out["dates"] = dates

    # --- budgets: one a year per contributor (the co-funders separately when the split is
    # stated), a revision for some years, planned disbursements on some activities
    y0 = start.astype("datetime64[Y]").astype(int) + 1970
    y1 = end.astype("datetime64[Y]").astype(int) + 1970
    n_years = y1 - y0 + 1
    g, pos = _groups(n_years)
    year = y0[g] + pos
    jan1 = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    dec31 = (year - 1969).astype("datetime64[Y]").astype("datetime64[D]") - np.timedelta64(1, "D")
    p_start, p_end = np.maximum(jan1, start[g]), np.minimum(dec31, end[g])
    frac = (p_end - p_start).astype(np.int64) + 1
    frac = frac / ((end - start).astype(np.int64) + 1)[g]
    yearly = pd.DataFrame({"p": g, "period_start": p_start, "period_end": p_end, "amount_eur": size_eur[g] * frac})
    # contributors: one row per stated co-funder, else one row with no contributor
    contrib = funders[split_stated[funders["p"].to_numpy()]]
    stated = yearly[split_stated[yearly["p"].to_numpy()]].merge(contrib, on="p")
    stated["amount_eur"] /= n_funders[stated["p"].to_numpy()]
    plain = yearly[~split_stated[yearly["p"].to_numpy()]].assign(org=-1)
    orig = pd.concat([plain, stated], ignore_index=True).assign(kind="budget", type="original")
    rev = orig[rng.random(len(orig)) < 0.25].copy()
    rev["type"] = "revised"
    rev["amount_eur"] *= rng.uniform(0.8, 1.3, size=len(rev))
    wants_pd = rng.random(n) < 0.3
    pdis = orig[wants_pd[orig["p"].to_numpy()]].copy()
    pdis["kind"] = "planned_disbursement"
    pdis["amount_eur"] *= rng.uniform(0.7, 1.0, size=len(pdis))
    budgets = pd.concat([orig, rev, pdis], ignore_index=True)
    nb = len(budgets)
    budgets["amount_eur"] *= rng.lognormal(0, 0.15, size=nb)
    # a few budgets give no period (spread over the activity's dates) or no amount
    no_period = rng.random(nb) < 0.02
    budgets.loc[no_period, ["period_start", "period_end"]] = pd.NaT
    budgets["disclosed"] = rng.random(nb) >= 0.01
    budgets["approximate"] = rng.random(nb) < 0.02
    budgets["currency"] = currency[budgets["p"].to_numpy()]
    budgets["amount"] = np.round(budgets["amount_eur"] * budgets["currency"].map(UNITS_PER_EUR))
    budgets["k"] = np.arange(nb)
    out["budget"] = budgets.drop(columns=["amount_eur"])

    # --- transactions: commitments at the start, then disbursements, expenditure and
    # incoming funds between the start and the end (or today); none in the future
    n_tx = np.where(start > today, 1, _count(rng, n, shape.transactions_per_project * 1.12))
    g, pos = _groups(n_tx)
    last = np.minimum(end, today)[g]
    span = np.maximum((last - start[g]).astype(np.int64), 0)
    tdate = np.where(pos == 0, start[g], start[g] + (rng.random(len(g)) * (span + 1)).astype("timedelta64[D]"))
    r = rng.random(len(g))
    ttype = np.where(pos == 0, "2", np.where(r < 0.04, "1", np.where(r < 0.1, "2", np.where(r < 0.75, "3", "4"))))
    per_tx = size_eur[g] / np.maximum(n_tx[g] - 1, 1)
    amount_eur = np.where(ttype == "2", size_eur[g] * np.where(pos == 0, 1.0, 0.1), per_tx * rng.uniform(0.3, 1.2, len(g)))
    # provider of commitments and incoming funds: a funder; receiver of disbursements: an implementer
    first_impl = implementers.drop_duplicates("p").set_index("p")["org"].reindex(pid).to_numpy()
    tx = pd.DataFrame({"p": g, "type": ttype, "date": _days(tdate),
                       "currency": currency[g],
                       "amount": np.round(amount_eur * pd.Series(currency[g]).map(UNITS_PER_EUR).to_numpy()),
                       "provider": np.where(np.isin(ttype, ["1", "2"]), lead[g], -1),
                       "receiver": np.where(ttype == "3", first_impl[g], -1),
                       "sector": np.where(no_activity_sector[g], sectors[first_sec[g]], None)})
    tx["k"] = np.arange(len(tx))
    out["transaction"] = tx

    # --- events: a launch or a review on some activities
    ev = rng.random(n) < 0.05
    out["event"] = pd.DataFrame({"p": pid[ev & ~undated], "date": _days(start[ev & ~undated]),
                                 "review": rng.random((ev & ~undated).sum()) < 0.5})
    return out


# ----------------------------------------------------------------------------- insert
_INSERTS = [
    # (frame, statement); `f` is the registered frame. Identifiers and text are made here.
    ("donor", """INSERT INTO organisation (org_id, ref, name_en, name_fr, type, source_id)
        SELECT 'XM-SYNTH-D' || lpad(i::VARCHAR, 3, '0'), 'XM-SYNTH-D' || lpad(i::VARCHAR, 3, '0'),
               'Synthetic donor ' || lpad((i + 1)::VARCHAR, 2, '0') || ' (' || currency || ')',
               'Bailleur synthétique ' || lpad((i + 1)::VARCHAR, 2, '0') || ' (' || currency || ')',
               type, 'synth:src:orgs' FROM f"""),
    ("implementer", """INSERT INTO organisation (org_id, ref, name_en, name_fr, type, source_id)
        SELECT 'XM-SYNTH-I' || lpad(i::VARCHAR, 4, '0'), NULL,
               'Synthetic implementer ' || lpad((i + 1)::VARCHAR, 3, '0'), NULL, type, 'synth:src:orgs' FROM f"""),
    ("project", """INSERT INTO source
        SELECT 'synth:src:' || lpad(p::VARCHAR, 7, '0'), 'synthetic',
               'Generated activity ' || p || ' - not real data', NULL FROM f"""),
    ("project", """INSERT INTO project (project_id, iati_id, code, title_en, title_fr, description_en, status,
                                        status_source_id, reporting_org_id, hierarchy, document_id, source_id)
        SELECT 'synth:' || lpad(p::VARCHAR, 7, '0'), 'XM-SYNTH-' || lpad(p::VARCHAR, 7, '0'),
               'SYN/' || lpad(p::VARCHAR, 7, '0'),
               s.name_en || ' - ' || coalesce(c.name_en, f.title_country) || ' (synthetic ' || p || ')',
               CASE WHEN has_fr THEN coalesce(s.name_fr, s.name_en) || ' - ' || coalesce(c.name_fr, c.name_en, f.title_country)
                                     || ' (synthétique ' || p || ')' END,
               'Synthetic activity generated for load tests; not real data. Sector ' || s.code || '.',
               status, 'synth:src:' || lpad(p::VARCHAR, 7, '0'), 'XM-SYNTH-D' || lpad(lead::VARCHAR, 3, '0'), 1,
               'synthetic', 'synth:src:' || lpad(p::VARCHAR, 7, '0')
        FROM f JOIN sector s ON s.code = f.first_sector LEFT JOIN country c ON c.iso2 = f.title_country"""),
    ("dates", """INSERT INTO project_date
        SELECT 'synth:' || lpad(p::VARCHAR, 7, '0'), type, date, 'day', 'synth:src:' || lpad(p::VARCHAR, 7, '0')
        FROM (
            SELECT p, 'planned_start' AS type, "start"::DATE AS date FROM f WHERE NOT undated
            UNION ALL SELECT p, 'planned_end', "end"::DATE FROM f WHERE NOT undated AND NOT open_ended
            UNION ALL SELECT p, 'actual_start', "start"::DATE + (slip % 45)::INTEGER FROM f
                      WHERE NOT undated AND status NOT IN ('1', '5')
            UNION ALL SELECT p, 'actual_end', least("end"::DATE + slip::INTEGER, DATE '2026-06-30') FROM f
                      WHERE NOT undated AND NOT open_ended AND status IN ('3', '4'))"""),
    ("funding", """INSERT INTO participation
        SELECT 'synth:' || lpad(p::VARCHAR, 7, '0'), 'XM-SYNTH-D' || lpad(org::VARCHAR, 3, '0'), 'funding',
               'synth:src:' || lpad(p::VARCHAR, 7, '0') FROM f"""),
    ("implementing", """INSERT INTO participation
        SELECT 'synth:' || lpad(p::VARCHAR, 7, '0'), 'XM-SYNTH-I' || lpad(org::VARCHAR, 4, '0'), 'implementing',
               'synth:src:' || lpad(p::VARCHAR, 7, '0') FROM f"""),
    ("project_sector", """INSERT INTO project_sector
        SELECT 'synth:' || lpad(p::VARCHAR, 7, '0'), '1', code, percentage, 'synth:src:' || lpad(p::VARCHAR, 7, '0'), NULL
        FROM f"""),
    ("project_country", """INSERT INTO project_country
        SELECT 'synth:' || lpad(p::VARCHAR, 7, '0'), country, percentage, 'synth:src:' || lpad(p::VARCHAR, 7, '0') FROM f"""),
    ("project_region", """INSERT INTO project_region
        SELECT 'synth:' || lpad(p::VARCHAR, 7, '0'), '99', 'MEKONG', NULL, 'synth:src:' || lpad(p::VARCHAR, 7, '0') FROM f"""),
    ("province_location", """INSERT INTO location
        SELECT 'synth:prov:' || iso, pr.name, 'province', f.country, iso, lat, lon,
               'capital of the province (reference city table)', 'synth:src:places'
        FROM f JOIN province pr USING (iso)"""),
    ("project_location", """INSERT INTO location
        SELECT 'synth:loc:' || k, 'Synthetic site ' || k || ' (' || pl.iso || ')', 'point', pl.country, pl.iso,
               f.lat, f.lon, 'synthetic point near the province capital', 'synth:src:' || lpad(p::VARCHAR, 7, '0')
        FROM f JOIN province_location_rows pl USING (province_row) WHERE point"""),
    ("project_location", """INSERT INTO project_location
        SELECT 'synth:' || lpad(p::VARCHAR, 7, '0'),
               CASE WHEN point THEN 'synth:loc:' || k ELSE 'synth:prov:' || pl.iso END,
               NULL, 'synth:src:' || lpad(p::VARCHAR, 7, '0')
        FROM f JOIN province_location_rows pl USING (province_row)"""),
    ("budget", """INSERT INTO budget (budget_id, project_id, kind, type, contributor_org_id, amount, currency,
                                       approximate, period_start, period_end, value_date, source_id)
        SELECT 'synth:b:' || k, 'synth:' || lpad(p::VARCHAR, 7, '0'), kind, type,
               CASE WHEN org >= 0 THEN 'XM-SYNTH-D' || lpad(org::VARCHAR, 3, '0') END,
               CASE WHEN disclosed THEN amount END, currency, approximate,
               period_start::DATE, period_end::DATE, period_start::DATE, 'synth:src:' || lpad(p::VARCHAR, 7, '0')
        FROM f"""),
    ("transaction", """INSERT INTO "transaction" (transaction_id, project_id, type, date, amount, currency, value_date,
                                                 provider_org_id, receiver_org_id, sector_vocabulary, sector_code,
                                                 description, source_id)
        SELECT 'synth:t:' || k, 'synth:' || lpad(p::VARCHAR, 7, '0'), type, date::DATE, amount, currency, date::DATE,
               CASE WHEN provider >= 0 THEN 'XM-SYNTH-D' || lpad(provider::VARCHAR, 3, '0') END,
               CASE WHEN receiver >= 0 THEN 'XM-SYNTH-I' || lpad(receiver::VARCHAR, 4, '0') END,
               CASE WHEN sector IS NOT NULL THEN '1' END, sector, NULL, 'synth:src:' || lpad(p::VARCHAR, 7, '0')
        FROM f"""),
    ("event", """INSERT INTO event
        SELECT 'synth:e:' || p, 'synth:' || lpad(p::VARCHAR, 7, '0'),
               CASE WHEN review THEN 'Mid-term review (synthetic)' ELSE 'Launch (synthetic)' END,
               CASE WHEN review THEN 'Revue à mi-parcours (synthétique)' ELSE 'Lancement (synthétique)' END,
               date::DATE + CASE WHEN review THEN 540 ELSE 20 END, NULL, 'day', NULL,
               'synth:src:' || lpad(p::VARCHAR, 7, '0')
        FROM f"""),
]


def _insert(con: duckdb.DuckDBPyConnection, data: dict[str, pd.DataFrame], n: int, seed: int) -> None:
    con.execute("""INSERT INTO document (document_id, title, publisher, kind, imported_at, note)
                   VALUES ('synthetic', $title, 'python -m mekong synth', 'synthetic', now(), $note)""",
                {"title": TITLE, "note": f"{n} generated activities, seed {seed}; not real data"})
    con.execute("""INSERT INTO source VALUES
        ('synth:src:orgs', 'synthetic', 'Generated organisations - not real data', NULL),
        ('synth:src:places', 'synthetic', 'Generated places at province capitals - not real data', NULL)""")
    con.register("province_location_rows", data["province_location"])
    for name, sql in _INSERTS:
        con.register("f", data[name])
        con.execute(sql)
        con.unregister("f")
    con.unregister("province_location_rows")


def generate(db_path: Path, n_projects: int, seed: int = 0, shape: Shape = Shape()) -> dict[str, int]:
    """Write a synthetic portfolio of n_projects activities to a new file at db_path
    (atomic replace); returns the row count of each fact table."""
    if n_projects < 1:
        raise ValueError("n_projects must be at least 1")
    check_target(db_path)
    counts: dict[str, int] = {}

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("SET enable_progress_bar = false")
        create_empty(con)
        data = frames(n_projects, seed, shape, _reference(con))
        _insert(con, data, n_projects, seed)
        derive(con)
        check_integrity(con)
        for table in ("project", "participation", "project_sector", "project_country", "project_location",
                      "budget", "transaction", "money"):
            counts[table] = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]

    replace_with(Path(db_path), fill, start_from_current=False)
    return counts
