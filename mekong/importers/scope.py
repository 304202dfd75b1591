"""Which activities of an IATI file concern the Mekong region.

A regional bank's or a UN agency's file covers far more than the five countries. By
default an import keeps only the activities that concern them: a recipient country among
the five (of the activity or of one of its transactions), a recipient region that covers
them (data/reference/regions.csv, column `mekong`, from mekong/reference/curated/), or a
place in one of them (a point inside their provinces, or the ISO 3166-2 code of one of
their provinces). The import report says how many were left out and what they named;
`all_countries` keeps everything.
"""
import csv
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from mekong.paths import REFERENCE_DIR
from mekong.reference.countries import MEKONG


@lru_cache(maxsize=1)
def mekong_regions() -> frozenset[tuple[str, str]]:
    """(vocabulary, code) of the recipient regions that cover the five countries."""
    with open(REFERENCE_DIR / "regions.csv", encoding="utf-8", newline="") as f:
        return frozenset((r["vocabulary"], r["code"]) for r in csv.DictReader(f) if r["mekong"] == "true")


@dataclass
class LeftOut:
    """What one file's import left out as outside the region."""
    activities: int = 0
    # what the activities left out name as recipients: ISO country codes, 'region <code>', or 'none stated'
    recipients: Counter = field(default_factory=Counter)


def _point(el) -> tuple[float, float] | None:
    """(lat, lon) of a location's point (2.0x pos) or coordinates (1.0x), when readable."""
    for c in el:
        try:
            if c.tag == "point":
                pos = next((p for p in c if p.tag == "pos"), None)
                parts = (pos.text or "").replace(",", " ").split() if pos is not None else []
                if len(parts) == 2:
                    return float(parts[0]), float(parts[1])
            elif c.tag == "coordinates":
                return float(c.get("latitude")), float(c.get("longitude"))
        except (TypeError, ValueError):
            return None
    return None


def outside_mekong(el, places) -> list[str] | None:
    """None when the activity element concerns the Mekong region; else the recipients it
    names (for the report), [] when it names none."""
    regions = mekong_regions()
    named, locations = [], []
    for c in el.iterchildren("recipient-country", "recipient-region", "transaction", "location"):
        tag = c.tag
        if tag == "recipient-country":
            code = (c.get("code") or "").strip().upper()
            if code in MEKONG:
                return None
            named.append(code)
        elif tag == "recipient-region":
            code, vocab = (c.get("code") or "").strip(), (c.get("vocabulary") or "1").strip()
            if (vocab, code) in regions:
                return None
            named.append(f"region {code}")
        elif tag == "transaction":
            for rc in c.iterchildren("recipient-country"):
                code = (rc.get("code") or "").strip().upper()
                if code in MEKONG:
                    return None
                named.append(code)
        else:
            locations.append(c)
    for loc in locations:  # the dearer tests last
        for a in loc.iterchildren("administrative"):
            for attr in ("code", "adm1", "country"):
                code = (a.get(attr) or "").strip().upper()
                if code in places.provinces or code in MEKONG:
                    return None
        point = _point(loc)
        if point and places.province_by_point(*point):
            return None
    return list(dict.fromkeys(n for n in named if n))
