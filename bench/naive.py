"""The naive way, for comparison: load the tables into pandas once, then on every filter
change filter and group in pandas to get the same aggregates the pages' queries return.

It is written the way a careful pandas user would (vectorised: masks, merges, groupby;
no Python loops over rows) and loads the derived tables the build already computed
(money spread over years, converted amounts, sector/country/province shares), so it does
the same work as queries/*.sql and no more. check() compares its answers with the
queries' on one filter change.
"""
import numpy as np
import pandas as pd

from mekong.store.db import connect
from mekong.views import breakdowns, describe
from mekong.views.filters import Filters, stored_codes

FLOWS = ["budget", "commitment", "disbursement", "expenditure", "planned_disbursement", "incoming_funds"]


def _load(con, sql: str) -> pd.DataFrame:
    return con.execute(sql).df()


class Naive:
    def __init__(self, db_path):
        con = connect(db_path)
        try:
            self.money = _load(con, """SELECT project_id, flow, year, funder_id, funder_name, funder_basis, currency,
                                              approximate_eur, approximate_usd, amount, amount_eur, amount_usd FROM money""")
            self.project = _load(con, """SELECT p.project_id, p.document_id, p.code, p.title_en, p.title_fr, p.status, p.parent_id, p.hierarchy,
                                                s.start_date, s.end_date, s.start_precision, s.end_precision,
                                                s.start_actual, s.end_actual
                                         FROM project p LEFT JOIN project_span s USING (project_id)""")
            self.part = _load(con, "SELECT project_id, org_id, role FROM participation")
            self.org = _load(con, "SELECT org_id, name_en, name_fr FROM organisation")
            self.sector_share = _load(con, "SELECT project_id, sector, category, share FROM sector_share")
            self.country_share = _load(con, "SELECT project_id, country, region, share FROM country_share")
            self.province_share = _load(con, "SELECT project_id, province, country, share FROM province_share")
            # Viet Nam's provinces as the default view shows them (the 34 units of 2025)
            shown = dict(con.execute("SELECT code, shown FROM province_view WHERE gen = '2025'").fetchall())
            self.province_share["shown"] = self.province_share["province"].map(shown).fillna(self.province_share["province"])
            self.country = _load(con, "SELECT iso2, name_en FROM country")
            self.budget = _load(con, """SELECT project_id, amount_eur, amount_usd, approximate_eur, approximate_usd FROM money_row
                                        WHERE flow = 'budget' AND counted AND amount IS NOT NULL""")
            self.event = _load(con, "SELECT event_id, project_id, title_en, start_date, end_date FROM event")
            self.document = _load(con, """SELECT document_id, title, publisher, kind, fetched_at,
                                                 coalesce(published, CAST(fetched_at AS DATE), retrieved, CAST(imported_at AS DATE)) AS day
                                          FROM document""")
        finally:
            con.close()
        p = self.project
        p["first_year"] = pd.to_datetime(p["start_date"].fillna(p["end_date"])).dt.year
        end_year = pd.to_datetime(p["end_date"]).dt.year
        p["last_year"] = end_year.where(p["end_date"].notna(), np.where(p["start_date"].notna(), 9999, np.nan))
        p["status_key"] = p["status"].fillna("none")

    # ------------------------------------------------------------------ the filter
    def _weights(self, shares: pd.DataFrame, mask: pd.Series) -> pd.Series:
        s = shares[mask]
        g = s.groupby("project_id")["share"]
        w = g.sum()
        return w.where(g.count() == g.size())  # NULL when one matching share is unknown

    def projects(self, f: Filters) -> pd.DataFrame:
        p = self.project
        keep = pd.Series(True, index=p.index)
        if f.status:
            keep &= p["status_key"].isin(f.status)
        if f.year_from is not None:
            keep &= p["last_year"] >= f.year_from
        if f.year_to is not None:
            keep &= p["first_year"] <= f.year_to
        for name, role in (("donor", "funding"), ("implementer", "implementing")):
            chosen = getattr(f, name)
            if chosen:
                ids = self.part.loc[(self.part["role"] == role) & self.part["org_id"].isin(chosen), "project_id"]
                keep &= p["project_id"].isin(ids)
        out = p.loc[keep, ["project_id"]].copy()
        for col, shares, mask, active in (
                ("w_sector", self.sector_share,
                 lambda s: s["sector"].isin(f.sector) | s["category"].isin(f.category), f.sector or f.category),
                ("w_country", self.country_share, lambda s: s["country"].isin(f.country), f.country),
                ("w_province", self.province_share, lambda s: s["province"].isin(stored_codes(f.province)), f.province)):
            if active:
                w = self._weights(shares, mask(shares))
                out = out[out["project_id"].isin(w.index)]
                out[col] = out["project_id"].map(w).astype("float64")  # (an empty map keeps the key's dtype)
            else:
                out[col] = 1.0
        return out

    def money_rows(self, f: Filters, flow: str, fp: pd.DataFrame | None = None) -> pd.DataFrame:
        fp = self.projects(f) if fp is None else fp
        m = self.money[self.money["flow"] == flow]
        if f.year_from is not None:
            m = m[m["year"] >= f.year_from]
        if f.year_to is not None:
            m = m[m["year"] <= f.year_to]
        if f.donor:
            m = m[m["funder_id"].isin(f.donor) | (m["funder_basis"] == "several funders")]
        m = m.merge(fp, on="project_id")
        # (a synthetic portfolio links no activities to one another: counted once is as reported)
        m["value"] = m["amount_usd"] if f.currency == "USD" else m["amount_eur"]
        m["approximate"] = m["approximate_usd"] if f.currency == "USD" else m["approximate_eur"]
        m["donor_attributed"] = m["funder_id"].isin(f.donor) if f.donor else True
        return m

    @staticmethod
    def _counted(m: pd.DataFrame, *weights: str) -> pd.DataFrame:
        keep = m["donor_attributed"] & m["value"].notna()
        for w in weights:
            keep &= m[w].notna()
        return m[keep]

    # ------------------------------------------------------------------ aggregates
    def headline(self, f: Filters, today) -> dict:
        fp = self.projects(f)
        m = self.money_rows(f, "budget", fp)
        c = self._counted(m, "w_sector", "w_country", "w_province")
        p = self.project[self.project["project_id"].isin(fp["project_id"])]
        today = pd.Timestamp(today)
        active = (p["status"] == "2") & (p["end_date"].isna() | (p["end_date"] >= today)) \
            & (p["start_date"].isna() | (p["start_date"] <= today))
        funders = self.part[(self.part["role"] == "funding") & self.part["project_id"].isin(fp["project_id"])]["org_id"]
        cs = self.country_share[self.country_share["project_id"].isin(fp["project_id"]) & self.country_share["country"].notna()]
        ps = self.province_share[self.province_share["project_id"].isin(fp["project_id"])]
        return {"n_projects": len(fp), "total": (c["value"] * c["w_sector"] * c["w_country"] * c["w_province"]).sum(),
                "n_with_budget": m["project_id"].nunique(), "n_active": int(active.sum()),
                "n_donors": funders[funders.isin(f.donor)].nunique() if f.donor else funders.nunique(),
                "n_countries": cs[cs["country"].isin(f.country)]["country"].nunique() if f.country else cs["country"].nunique(),
                "n_provinces": ps[ps["province"].isin(stored_codes(f.province))]["shown"].nunique() if f.province
                else ps["shown"].nunique()}

    def flows(self, f: Filters) -> pd.Series:
        fp = self.projects(f)
        m = self.money[self.money["project_id"].isin(fp["project_id"])]
        return m.groupby("flow")["project_id"].nunique().sort_values(ascending=False)

    def gaps(self, f: Filters, flow: str) -> pd.DataFrame:
        fp = self.projects(f)
        m = self.money_rows(f, flow, fp)
        reason = np.select([m["value"].isna(), ~m["donor_attributed"].astype(bool),
                            m["w_sector"].isna() | m["w_country"].isna() | m["w_province"].isna()],
                           ["not_converted", "donor_share_unknown", "split_unknown"], default="")
        m = m.assign(reason=reason, amt=np.where(reason == "not_converted", m["amount"], m["value"]))
        m = m[m["reason"] != ""]
        out = m.groupby(["reason", "currency"]).agg(amount=("amt", "sum"), n=("project_id", "nunique")).reset_index()
        no_amount = (~fp["project_id"].isin(self.money_rows(f, flow, fp)["project_id"])).sum()
        return pd.concat([out, pd.DataFrame([{"reason": "no_amount", "n": no_amount}])])

    def by_donor(self, f: Filters, flow: str) -> pd.DataFrame:
        m = self._counted(self.money_rows(f, flow), "w_sector", "w_country", "w_province")
        key = m["funder_id"].fillna("name:" + m["funder_name"]).fillna("~" + m["funder_basis"])
        m = m.assign(key=key, v=m["value"] * m["w_sector"] * m["w_country"] * m["w_province"])
        out = m.groupby("key").agg(value=("v", "sum"), approximate=("approximate", "any"),
                                   n_projects=("project_id", "nunique")).reset_index()
        return out.merge(self.org, left_on="key", right_on="org_id", how="left").sort_values("value", ascending=False)

    def by_year(self, f: Filters, flow: str) -> pd.DataFrame:
        m = self._counted(self.money_rows(f, flow), "w_sector", "w_country", "w_province")
        m = m.assign(v=m["value"] * m["w_sector"] * m["w_country"] * m["w_province"])
        return m.groupby("year", dropna=False).agg(value=("v", "sum"), approximate=("approximate", "any"),
                                                   n_projects=("project_id", "nunique")).reset_index()

    def _split(self, f: Filters, flow: str, shares: pd.DataFrame, keep_shares, weights: list[str],
               key: str, extra: list[str] = ()) -> pd.DataFrame:
        """Money split over a share table, with the '~split_unknown' and '~not_stated' buckets."""
        m = self._counted(self.money_rows(f, flow), *weights)
        m = m.assign(v=m["value"] * m[weights[0]] * m[weights[1]])
        s = shares[keep_shares(shares)]
        known = s.groupby("project_id")["share"].apply(lambda x: x.notna().all()) if len(s) else pd.Series(dtype=bool)
        split = m[m["project_id"].isin(known[known].index)].merge(s, on="project_id")
        split = split.assign(v=split["v"] * split["share"])
        unknown = m[m["project_id"].isin(known[~known].index)].assign(**{key: "~split_unknown"})
        stated = m[~m["project_id"].isin(known.index)].assign(**{key: "~not_stated"})
        rows = pd.concat([split, unknown, stated])
        return rows.groupby([*extra, key], dropna=False).agg(value=("v", "sum"), n_projects=("project_id", "nunique")).reset_index()

    def by_sector(self, f: Filters, flow: str) -> pd.DataFrame:
        keep = (lambda s: s["sector"].isin(f.sector) | s["category"].isin(f.category)) if (f.sector or f.category) \
            else (lambda s: pd.Series(True, index=s.index))
        return self._split(f, flow, self.sector_share, keep, ["w_country", "w_province"], "category", ["sector"])

    def by_country(self, f: Filters, flow: str) -> pd.DataFrame:
        cs = self.country_share.assign(key=self.country_share["country"].fillna("region:" + self.country_share["region"]))
        keep = (lambda s: s["country"].isin(f.country)) if f.country else (lambda s: pd.Series(True, index=s.index))
        return self._split(f, flow, cs.drop(columns=["country"]).rename(columns={"key": "country"}), keep,
                           ["w_sector", "w_province"], "country")

    def by_province(self, f: Filters, flow: str) -> pd.DataFrame:
        m = self._counted(self.money_rows(f, flow), "w_sector", "w_country")
        m = m.assign(v=m["value"] * m["w_sector"])
        s = self.province_share
        if f.province:
            s = s[s["province"].isin(stored_codes(f.province))]
        if f.country:
            s = s[s["country"].isin(f.country)]
        # one row per activity and province as shown (a 2025 unit sums its former provinces)
        g = s.groupby(["project_id", "shown"])["share"]
        s = g.sum().where(g.count() == g.size()).rename("share").reset_index().rename(columns={"shown": "province"})
        g = s.groupby("project_id")["share"]
        known = pd.DataFrame({"split_known": g.count() == g.size(), "located": g.sum()})
        split = m.merge(s, on="project_id").merge(known[known["split_known"]], left_on="project_id", right_index=True)
        split = split.assign(key=split["province"], v=split["v"] * split["share"])
        unknown = m.merge(known[~known["split_known"]], left_on="project_id", right_index=True)
        unknown = unknown.assign(key="~split_unknown", v=unknown["v"] * unknown["w_country"])
        rows = [split[["key", "project_id", "v"]], unknown[["key", "project_id", "v"]]]
        if not f.province:
            nat = m.merge(known, left_on="project_id", right_index=True, how="left")
            nat = nat[nat["split_known"].fillna(True).astype(bool)]
            rest = nat["w_country"] - nat["located"].fillna(0)
            nat = nat.assign(key="~national", v=nat["v"] * rest.where(rest.abs() >= 1e-9, 0))
            rows.append(nat[["key", "project_id", "v"]])
        r = pd.concat(rows)
        r = r[r["v"].abs() > 1e-9]
        return r.groupby("key").agg(value=("v", "sum"), n_projects=("project_id", "nunique")).reset_index()

    def province_counts(self, f: Filters) -> pd.Series:
        """Activities per province (map_provinces.sql)."""
        s = self.province_share[self.province_share["project_id"].isin(self.projects(f)["project_id"])]
        if f.province:
            s = s[s["province"].isin(stored_codes(f.province))]
        if f.country:
            s = s[s["country"].isin(f.country)]
        return s.groupby("shown")["project_id"].nunique()

    def donor_sector(self, f: Filters, flow: str) -> pd.DataFrame:
        m = self._counted(self.money_rows(f, flow), "w_country", "w_province")
        key = m["funder_id"].fillna("name:" + m["funder_name"]).fillna("~" + m["funder_basis"])
        m = m.assign(donor_key=key, v=m["value"] * m["w_country"] * m["w_province"])
        s = self.sector_share if not (f.sector or f.category) else \
            self.sector_share[self.sector_share["sector"].isin(f.sector) | self.sector_share["category"].isin(f.category)]
        known = s.groupby("project_id")["share"].apply(lambda x: x.notna().all())
        split = m[m["project_id"].isin(known[known].index)].merge(s, on="project_id")
        split = split.assign(v=split["v"] * split["share"])
        stated = m[~m["project_id"].isin(known.index)].assign(category="~not_stated")
        rows = pd.concat([split, stated])
        return rows.groupby(["donor_key", "category", "sector"], dropna=False).agg(
            value=("v", "sum"), n_projects=("project_id", "nunique")).reset_index()

    def sankey(self, f: Filters, flow: str) -> pd.DataFrame:
        m = self._counted(self.money_rows(f, flow), "w_sector", "w_province")
        key = m["funder_id"].fillna("name:" + m["funder_name"]).fillna("~" + m["funder_basis"])
        m = m.assign(donor_key=key, v=m["value"] * m["w_sector"] * m["w_province"])
        impl = self.part[self.part["role"] == "implementing"].groupby("project_id")["org_id"].agg(["size", "min"])
        implementer = np.where(impl["size"] == 1, impl["min"], "~several")
        m["implementer_key"] = m["project_id"].map(pd.Series(implementer, index=impl.index)).fillna("~none")
        cs = self.country_share if not f.country else self.country_share[self.country_share["country"].isin(f.country)]
        cs = cs.assign(country_key=cs["country"].fillna("region:" + cs["region"]))
        split = m.merge(cs[["project_id", "country_key", "share"]], on="project_id")
        split = split.assign(v=split["v"] * split["share"])
        stated = m[~m["project_id"].isin(cs["project_id"])].assign(country_key="~not_stated")
        return pd.concat([split, stated]).groupby(["donor_key", "implementer_key", "country_key"])["v"].sum().reset_index()

    def _names(self, ids: pd.Series) -> pd.DataFrame:
        fu = self.part[(self.part["role"] == "funding") & self.part["project_id"].isin(ids)].merge(self.org, on="org_id")
        funders = fu.groupby("project_id")["name_en"].agg(lambda x: ", ".join(sorted(set(x))))
        cs = self.country_share[self.country_share["project_id"].isin(ids) & self.country_share["country"].notna()]
        cs = cs.merge(self.country, left_on="country", right_on="iso2", how="left")
        countries = cs.groupby("project_id")["name_en"].agg(lambda x: ", ".join(sorted(set(x))))
        return pd.DataFrame({"funders": funders, "countries": countries})

    def timeline(self, f: Filters, limit: int) -> pd.DataFrame:
        fp = self.projects(f)
        p = self.project[self.project["project_id"].isin(fp["project_id"])]
        p = p.sort_values(["start_date", "title_en"], na_position="last").head(limit)
        return p.join(self._names(p["project_id"]), on="project_id")

    def events(self, f: Filters) -> pd.DataFrame:
        fp = self.projects(f)
        return self.event[self.event["project_id"].isin(fp["project_id"])].sort_values("start_date")

    def sources(self, f: Filters) -> tuple[pd.DataFrame, object]:
        """The documents behind the filtered activities with how many each describes
        (view_sources.sql), and the latest date they state (describe.data_as_of)."""
        fp = self.projects(f)
        docs = self.project.loc[self.project["project_id"].isin(fp["project_id"]), "document_id"].value_counts()
        d = self.document.set_index("document_id").loc[docs.index].assign(n_projects=docs.to_numpy())
        return d.sort_values(["n_projects", "title"], ascending=[False, True]), d["day"].max()

    def projects_list(self, f: Filters, limit: int) -> pd.DataFrame:
        fp = self.projects(f)
        p = self.project[self.project["project_id"].isin(fp["project_id"])]
        p = p.sort_values(["start_date", "title_en"], ascending=[False, True], na_position="last").head(limit)
        col = "amount_usd" if f.currency == "USD" else "amount_eur"
        b = self.budget[self.budget["project_id"].isin(p["project_id"])]
        budget = b.groupby("project_id").agg(budget=(col, "sum"), n_missing=(col, lambda x: x.isna().sum()),
                                              approximate=(col.replace("amount", "approximate"), "any"))
        return p.join(self._names(p["project_id"]), on="project_id").join(budget, on="project_id")


def page(n: Naive, name: str, f: Filters, today) -> None:
    """The aggregates one page needs on a filter change, the naive way: what every page
    shows (the view's documents and data date, as page_work._common asks), then its own."""
    n.sources(f)
    if name == "overview":
        n.headline(f, today), n.by_donor(f, "budget"), n.by_year(f, "budget"), n.gaps(f, "budget")
    elif name == "funding":
        n.headline(f, today)
        flows = n.flows(f)
        flow = next((x for x in FLOWS if x in flows.index), "budget")
        n.gaps(f, flow), n.by_donor(f, flow), n.by_sector(f, flow), n.by_country(f, flow), n.by_province(f, flow)
        n.by_year(f, flow), n.donor_sector(f, flow), n.sankey(f, flow)
    elif name == "timeline":
        n.headline(f, today), n.timeline(f, 200), n.events(f), n.by_year(f, "budget"), n.gaps(f, "budget")
    elif name == "projects":
        n.projects_list(f, 5000)
    elif name == "map":
        n.province_counts(f), n.by_province(f, "budget"), n.by_country(f, "budget"), n.gaps(f, "budget")


def check(n: Naive, run_query, f: Filters, today) -> list[str]:
    """Where the naive answers differ from the queries' (empty: they agree)."""
    problems = []
    h, q = n.headline(f, today), run_query("overview_headline", f).iloc[0]
    for k in ("n_projects", "n_with_budget", "n_active", "n_donors", "n_countries", "n_provinces"):
        if int(h[k]) != int(q[k]):
            problems.append(f"headline {k}: {h[k]} != {q[k]}")
    if not np.isclose(h["total"], q["total"] if q["total"] == q["total"] else 0.0, rtol=1e-9):
        problems.append(f"headline total: {h['total']} != {q['total']}")
    rows = run_query("funding_breakdowns", f, parts=list(breakdowns.FUNDING), **breakdowns.LIMITS)
    for name, naive, key in (("donor", n.by_donor, "key"), ("country", n.by_country, "country"),
                             ("province", n.by_province, "key")):
        a = naive(f, "budget").set_index(key)["value"].sort_index()
        b = breakdowns.part(rows, name).set_index("key")["value"].sort_index()
        if list(a.index) != list(b.index) or not np.allclose(a.to_numpy(), b.to_numpy(), rtol=1e-9):
            problems.append(f"{name}: the naive and SQL values differ")
    docs, day = n.sources(f)
    qs = run_query("view_sources", f)
    qday = describe.data_as_of(qs)[0]
    if dict(zip(docs.index, docs["n_projects"])) != dict(zip(qs["document_id"], qs["n_projects"])):
        problems.append("view_sources: the naive and SQL documents differ")
    if not (pd.isna(day) and qday is None) and (qday is None or pd.Timestamp(day) != pd.Timestamp(qday)):
        problems.append(f"data date: {day} != {qday}")
    y = n.by_year(f, "budget").dropna(subset=["year"])
    qy = run_query("funding_by_year", f).dropna(subset=["year"])
    if not np.allclose(y["value"].to_numpy(), qy["value"].to_numpy(), rtol=1e-9):
        problems.append("funding_by_year: the naive and SQL values differ")
    return problems
