"""ISO 3166-1 countries (pycountry) with French names (Unicode CLDR via babel)."""
import pycountry
from babel import Locale

MEKONG = ("KH", "LA", "MM", "TH", "VN")


def country_rows() -> list:
    """[iso2, iso3, name_en, name_fr, mekong] for every ISO 3166-1 country.

    Both names come from Unicode CLDR (babel), the short names people read on a chart
    ('Laos', 'Vietnam' / 'Laos', 'Viêt Nam'); pycountry's ISO name is the fallback.
    """
    en = Locale("en").territories
    fr = Locale("fr").territories
    rows = []
    for c in pycountry.countries:
        rows.append([c.alpha_2, c.alpha_3, en.get(c.alpha_2, c.name), fr.get(c.alpha_2, ""),
                     "true" if c.alpha_2 in MEKONG else "false"])
    return sorted(rows)
