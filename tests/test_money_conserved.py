"""Money is conserved: on every real IATI file of ../shared/testdata/iati/ and every IATI
fixture, for each flow, both currencies and a range of filters, each breakdown the pages
draw adds up to the headline total of that flow (flow_total.sql), its buckets included:
by donor, implementer, sector, country, province, year, the treemap, the sankey, and the map (province
shading plus the money listed beside it). Provinces in both generations of Viet Nam's
boundaries (the 34 units of 2025, the default, and the 63 before): the same money. Money
by the partner governments' fiscal years (yearbasis=fiscal) too, also under a year filter in
fiscal years."""
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from mekong.importers import import_files
from mekong.paths import SHARED_DIR
from mekong.store.db import Portfolio
from mekong.views import breakdowns
from mekong.views.filters import Filters

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "iati").glob("*.xml"))
REAL = sorted((SHARED_DIR / "testdata" / "iati").glob("*.xml"))
# Each breakdown query and what of it adds up to the total.
QUERIES = ["funding_by_implementer", "funding_by_year", "funding_by_fiscal_year"]  # and every breakdown of funding_breakdowns.sql


def _run(db, name, f, flow):
    params = {**f.params(), "lang": "en", "flow": flow}
    return db.frame(name, params)


def _filters(db) -> list[Filters]:
    """No filter, then one of each kind the data offers, then two together."""
    opts = db.frame("filter_options", {"lang": "en", "today": date.today(), "vn": "2025"})
    def first(dim, n=1):
        vals = opts[opts["dimension"] == dim].sort_values("n", ascending=False)["value"].tolist()
        return vals[:n]
    out = [Filters()]
    for country in first("country", 3):
        out.append(Filters(country=(country,)))
    for dim in ("donor", "category", "sector", "province", "implementer"):
        for v in first(dim):
            out.append(Filters(**{dim: (v,)}))
    countries = first("country", 2)
    if len(countries) == 2:
        out.append(Filters(country=tuple(countries)))
    years = opts[opts["dimension"] == "year"]["value"].astype(int).tolist() if "year" in set(opts["dimension"]) else []
    if years:
        mid = sorted(years)[len(years) // 2]
        out.append(Filters(year_from=mid, year_to=mid + 1))
        # the year filter in fiscal years: every country in its own, then one country's
        out.append(Filters(yearbasis="fiscal", year_from=mid, year_to=mid + 1))
        if countries:
            out.append(Filters(yearbasis="fiscal", country=(countries[0],), year_from=mid, year_to=mid))
    if countries and first("category"):
        out.append(Filters(country=(countries[0],), category=tuple(first("category"))))
    old = db.frame("filter_options", {"lang": "en", "today": date.today(), "vn": "2024"})
    old = old[old["dimension"] == "province"].sort_values("n", ascending=False)["value"].tolist()
    out.append(Filters(vn="2024", province=tuple(old[:1])))
    return out


def _check(db, label) -> list[str]:
    wrong = []
    for i, base in enumerate(_filters(db)):
        # money counted once (the default) under every filter; every report added up
        # under no filter and the first country
        for currency, count in [(c, n) for c in ("EUR", "USD") for n in (("net", "gross") if i < 2 else ("net",))]:
            f = Filters(**{**base.__dict__, "currency": currency, "count": count})
            flows = _run(db, "funding_flows", f, "budget")["flow"].tolist()
            for flow in flows:
                t = _run(db, "flow_total", f, flow).iloc[0]
                total = 0.0 if t.total is None or t.total != t.total else float(t.total)
                results = {name: _run(db, name, f, flow) for name in QUERIES}
                rows = db.frame("funding_breakdowns", {**f.params(), "lang": "en", "flow": flow, "parts": list(breakdowns.FUNDING),
                                                       **breakdowns.LIMITS})
                results.update({name: breakdowns.part(rows, name) for name in breakdowns.FUNDING})
                # the map's pass: its provinces and the money that names none
                map_rows = db.frame("funding_breakdowns", {**f.params(), "lang": "en", "flow": flow, "parts": list(breakdowns.MAP),
                                                           **breakdowns.LIMITS})
                sums = {name: float(df["value"].fillna(0).sum()) for name, df in results.items()}
                if not f.province:  # the map: provinces shaded, the rest listed beside it
                    national = breakdowns.part(map_rows, "national")["value"].fillna(0).sum()
                    map_prov = breakdowns.part(map_rows, "province")
                    sums["map"] = float(map_prov[map_prov["key"] != "~national"]["value"].fillna(0).sum() + national)
                    other = replace(f, vn="2024" if f.vn == "2025" else "2025")
                    other_rows = db.frame("funding_breakdowns", {**other.params(), "lang": "en", "flow": flow, "parts": ["province"],
                                                                 **breakdowns.LIMITS})
                    sums["province (other generation)"] = float(breakdowns.part(other_rows, "province")["value"].fillna(0).sum())
                for name, got in sums.items():
                    if abs(got - total) > 0.01 + 1e-9 * abs(total):
                        wrong.append(f"{label} {f} {flow}: {name} sums to {got:,.2f}, the total is {total:,.2f}")
    return wrong


@pytest.fixture(scope="module")
def databases(seed_db, tmp_path_factory):
    """Each file imported alone into a copy of the seed database."""
    def make(path):
        db = tmp_path_factory.mktemp("conserved") / "mekong.duckdb"
        shutil.copyfile(seed_db, db)
        report = import_files([path], db, all_countries=True) if _takes_all_countries() else import_files([path], db)
        assert report.applied, report.reason
        return Portfolio(db)
    return make


def _takes_all_countries() -> bool:
    import inspect
    return "all_countries" in inspect.signature(import_files).parameters


def test_seed_portfolio_conserves_money(seed_db):
    wrong = _check(Portfolio(seed_db), "seed")
    assert not wrong, "\n".join(wrong[:30])


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixture_file_conserves_money(path, databases):
    wrong = _check(databases(path), path.name)
    assert not wrong, "\n".join(wrong[:30])


@pytest.mark.parametrize("name", [p.name for p in REAL] or ["(../shared/testdata/iati is missing)"])
def test_real_file_conserves_money(name, databases, shared_dir):
    wrong = _check(databases(shared_dir / "testdata" / "iati" / name), name)
    assert not wrong, "\n".join(wrong[:30]) + f"\n({len(wrong)} in all)"
