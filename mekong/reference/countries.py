"""ISO 3166-1 countries (pycountry) with French names (Unicode CLDR via babel)."""
import pycountry
from babel import Locale

from .csvio import read_curated

MEKONG = ("KH", "LA", "MM", "TH", "VN")


def country_rows() -> list:
    """[iso2, iso3, name_en, name_fr, mekong] for every ISO 3166-1 country.

    Both names come from Unicode CLDR (babel), the short names people read on a chart
    ('Laos' / 'Laos'); pycountry's ISO name is the fallback. curated/country_names.csv
    gives the name people use where CLDR's differs ('Viet Nam', 'Myanmar').
    """
    en = Locale("en").territories
    fr = Locale("fr").territories
    named = {r["iso2"]: r for r in read_curated("country_names.csv")}
    rows = []
    for c in pycountry.countries:
        own = named.get(c.alpha_2)
        rows.append([c.alpha_2, c.alpha_3, own["name_en"] if own else en.get(c.alpha_2, c.name),
                     own["name_fr"] if own else fr.get(c.alpha_2, ""),
                     "true" if c.alpha_2 in MEKONG else "false"])
    return sorted(rows)


def country_variants() -> dict:
    """{iso2: [other spellings]} of the countries renamed in curated/country_names.csv,
    for search and import."""
    return {r["iso2"]: r["variants"].split("|") for r in read_curated("country_names.csv")}
