"""ISO 3166-1 countries (pycountry) with French names (Unicode CLDR via babel)."""
import pycountry
from babel import Locale

MEKONG = ("KH", "LA", "MM", "TH", "VN")


def country_rows() -> list:
    """[iso2, iso3, name_en, name_fr, mekong] for every ISO 3166-1 country.

    name_en is the ISO 3166-1 English short name (pycountry `name`: 'Viet Nam',
    "Lao People's Democratic Republic"), as the IATI Country codelist and UN M49 use;
    pycountry's `common_name` ('Vietnam', 'Laos') is not used.
    """
    fr = Locale("fr").territories
    rows = []
    for c in pycountry.countries:
        rows.append([c.alpha_2, c.alpha_3, c.name, fr.get(c.alpha_2, ""),
                     "true" if c.alpha_2 in MEKONG else "false"])
    return sorted(rows)
