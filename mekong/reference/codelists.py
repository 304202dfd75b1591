"""IATI 2.03 codelists, DAC sectors and regions, read from the codelist XML shipped in pyIATI."""
import xml.etree.ElementTree as ET
from pathlib import Path

from .csvio import read_curated

# The lists the dashboard and its IATI importer use. LocationType (682 rows, no French)
# and the organisation-identifier lists are left out; Sector, SectorCategory and Region
# have files of their own.
LISTS = [
    "ActivityDateType", "ActivityScope", "ActivityStatus", "AidType", "AidType-category",
    "BudgetStatus", "BudgetType", "CollaborationType", "Currency", "DescriptionType",
    "FinanceType", "FinanceType-category", "FlowType", "GeographicExactness",
    "GeographicLocationClass", "GeographicLocationReach", "GeographicVocabulary",
    "OrganisationRole", "OrganisationType", "PolicyMarker", "PolicySignificance",
    "RegionVocabulary", "SectorVocabulary", "TiedStatus", "TransactionType",
]
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _sort_key(code: str):
    # numeric codes in numeric order, then the others
    return (0, int(code), "") if code.isdigit() else (1, 0, code)


def read_codelist(codelists_dir: Path, name: str) -> list:
    """[{code, name_en, name_fr, category, withdrawn}] of one codelist, sorted by code.

    Withdrawn codes are kept: older IATI files still use them.
    """
    root = ET.parse(codelists_dir / f"{name}.xml").getroot()
    items = []
    for item in root.iter("codelist-item"):
        narratives = item.find("name").findall("narrative")
        en = [n.text.strip() for n in narratives if n.get(_LANG) in (None, "en") and n.text]
        fr = [n.text.strip() for n in narratives if n.get(_LANG) == "fr" and n.text]
        items.append({
            "code": item.findtext("code").strip(),
            "name_en": en[0],
            "name_fr": fr[0] if fr else "",
            "category": (item.findtext("category") or "").strip(),
            "withdrawn": item.get("status") == "withdrawn",
        })
    return sorted(items, key=lambda i: _sort_key(i["code"]))


# Codelist names differ between the 1.0x and 2.0x standards: each code gets a row per
# major version ('1', '2'); pyIATI's names for both, except where curated/codelist_names.csv
# gives the other version's name with its source.
VERSIONS = ("1", "2")


def codelist_rows(codelists_dir: Path) -> list:
    renamed = {(r["list"], r["code"], r["version"]): (r["name_en"], r["name_fr"]) for r in read_curated("codelist_names.csv")}
    return [[name, i["code"], v, *renamed.get((name, i["code"], v), (i["name_en"], i["name_fr"]))]
            for name in sorted(LISTS) for i in read_codelist(codelists_dir, name) for v in VERSIONS]


def sector_rows(codelists_dir: Path):
    """(categories, sectors) rows; the documented corrections of curated/sector_corrections.csv
    applied and the codes of curated/sector_additions.csv added."""
    fixes = {(r["code"], r["field"]): r["value"] for r in read_curated("sector_corrections.csv")}
    cats = [[c["code"], c["name_en"], c["name_fr"]]
            for c in read_codelist(codelists_dir, "SectorCategory")]
    sectors = []
    for s in read_codelist(codelists_dir, "Sector"):
        name_fr = fixes.get((s["code"], "name_fr"), s["name_fr"])
        sectors.append([s["code"], s["category"], s["name_en"], name_fr])
    # DAC codes newer than pyIATI's list (curated/sector_additions.csv, with their source)
    known = {s[0] for s in sectors}
    sectors += [[a["code"], a["category"], a["name_en"], a["name_fr"]]
                for a in read_curated("sector_additions.csv") if a["code"] not in known]
    return cats, sorted(sectors, key=lambda s: _sort_key(s[0]))


def region_rows(codelists_dir: Path) -> list:
    """OECD DAC regions (IATI RegionVocabulary 1) plus this project's regions (vocabulary
    99), each with whether it covers the Mekong region (curated/mekong_regions.csv)."""
    mekong = {(r["vocabulary"], r["code"]) for r in read_curated("mekong_regions.csv")}
    rows = [["1", r["code"], r["name_en"], r["name_fr"]]
            for r in read_codelist(codelists_dir, "Region")]
    rows += [[r["vocabulary"], r["code"], r["name_en"], r["name_fr"]]
             for r in read_curated("regions.csv")]
    rows = [[*r, "true" if (r[0], r[1]) in mekong else "false"] for r in rows]
    return sorted(rows, key=lambda r: (_sort_key(r[0]), _sort_key(r[1])))
