"""The breakdowns of one flow (queries/funding_breakdowns.sql): the funding page asks for
its six in one pass over the filtered money, the map its provinces and the money that
names none; a page that draws one (the overview's donors) asks for that one alone.

`q(name, **extra)` runs a query under the view's filters and language, as ui.query does."""
import pandas as pd

from mekong.views.charts import SANKEY_MAX_NODES, TREEMAP_MAX_LEAVES

# Each breakdown and the columns it gives, as the charts read them.
COLUMNS = {
    "donor": ["key", "label", "value", "approximate", "n_projects"],
    "sector": ["category", "category_label", "sector", "sector_label", "value", "approximate", "n_projects"],
    "country": ["key", "label", "value", "approximate", "n_projects", "outside"],
    "province": ["key", "label", "country", "value", "approximate", "n_projects"],
    "national": ["key", "label", "value", "approximate", "n_projects", "outside"],
    "treemap": ["donor_key", "donor_label", "category", "category_label", "sector", "sector_label", "value", "n_projects"],
    "sankey": ["donor_key", "donor_label", "implementer_key", "implementer_label", "country_key", "country_label", "value",
               "country_outside"],
}
FUNDING = ("donor", "sector", "country", "province", "treemap", "sankey")  # what the funding page draws
MAP = ("national", "province")  # what the map draws beside its provinces and in them
# What the sankey and the treemap draw at most; the query groups the rest (tens of
# thousands of links at 100k activities cost more to send than to count)
LIMITS = {"sankey_nodes": SANKEY_MAX_NODES, "treemap_leaves": TREEMAP_MAX_LEAVES}


def part(rows: pd.DataFrame, name: str) -> pd.DataFrame:
    """One breakdown out of the rows of funding_breakdowns.sql, with its own columns (the
    union gives the others NULL, which turns counts into floats and flags into objects)."""
    df = rows.loc[rows["part"] == name, COLUMNS[name]].reset_index(drop=True)
    for col in ("n_projects",):
        if col in df:
            df[col] = df[col].astype("int64")
    for col in ("approximate", "outside", "country_outside"):
        if col in df:
            df[col] = df[col].astype(bool)
    return df


def breakdown(q, flow: str, name: str, parts=None) -> pd.DataFrame:
    """Breakdown `name` of `flow`, counted in one pass with `parts` (default: that one alone)."""
    return part(q("funding_breakdowns", flow=flow, parts=tuple(sorted(parts or (name,))), **LIMITS), name)
