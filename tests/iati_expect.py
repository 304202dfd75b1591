"""What an IATI file holds, computed with plain lxml XPath - independently of the importer -
so the import tests compare the database with numbers read straight from the XML."""
from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pycountry
from lxml import etree

CENT = Decimal("0.01")
TRANSACTION_CODES = {str(i) for i in range(1, 14)}
COUNTRIES = {c.alpha_2 for c in pycountry.countries} | {"XK"}


def number(value_el) -> Decimal | None:
    """The amount of a <value>, or None when the file gives no plain number."""
    if value_el is None:
        return None
    text = (value_el.text or "").strip()
    if not text or "," in text:
        return None
    try:
        d = Decimal(text)
    except InvalidOperation:
        return None
    return d.quantize(CENT) if d.is_finite() else None


def expected(path: Path) -> dict:
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    activities = {}
    for a in root.xpath("iati-activity"):
        ident = a.xpath("normalize-space(iati-identifier)")
        if ident and ident not in activities:
            activities[ident] = a
    out = {"activities": len(activities), "budgets": Counter(), "transactions": Counter(),
           "totals": defaultdict(Decimal), "participations": 0, "sectors": 0, "countries": 0,
           "regions": 0, "no_default_currency": 0}
    for a in activities.values():
        default = a.get("default-currency")
        out["no_default_currency"] += default is None
        for el in a.xpath("budget | planned-disbursement"):
            amount = number(el.find("value"))
            if amount is None:
                continue
            kind = "budget" if el.tag == "budget" else "planned_disbursement"
            btype = "revised" if el.get("type") == "2" else "original"
            out["budgets"][(kind, btype)] += 1
            out["totals"][(kind, el.find("value").get("currency") or default)] += amount
        for t in a.xpath("transaction"):
            code = t.xpath("string(transaction-type/@code)")
            amount = number(t.find("value"))
            if code not in TRANSACTION_CODES or amount is None:
                continue
            out["transactions"][code] += 1
            out["totals"][("transaction", t.find("value").get("currency") or default)] += amount
        roles = set()
        for p in a.xpath("participating-org[@role='1' or @role='2' or @role='3' or @role='4']"):
            who = (p.get("ref") or "").strip() or p.xpath("normalize-space(narrative[1])")
            if who:
                roles.add((who, p.get("role")))
        out["participations"] += len(roles)
        out["sectors"] += len({(s.get("vocabulary") or "1", s.get("code").strip())
                               for s in a.xpath("sector[normalize-space(@code)]")})
        out["countries"] += len({c.get("code").strip().upper() for c in a.xpath("recipient-country[@code]")
                                 if c.get("code").strip().upper() in COUNTRIES})
        out["regions"] += len(a.xpath("recipient-region[normalize-space(@code)]"))
    return out
