"""Reading IATI values: numbers, dates, percentages, currency codes, names -> ids."""
import datetime as dt
import hashlib
import re
import unicodedata
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ]|Z|[+-]\d{2}:?\d{2}$)")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
CENT = Decimal("0.01")
# DECIMAL(20, 2) holds up to 18 digits before the point
MAX_AMOUNT = Decimal("1e18")
# Percentages are published with rounding: a sum within this of 100 is taken as 100.
PERCENT_TOLERANCE = 0.5


class Unreadable(ValueError):
    """A value that cannot be read; the message says why, for the deviation list."""


def parse_date(raw: str | None) -> dt.date | None:
    """'2020-11-16', '2020-11-16T00:00:00Z' -> date; None when empty; Unreadable otherwise."""
    if raw is None:
        return None
    if len(raw) == 10:  # the common case, YYYY-MM-DD: parsed in C
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    if not raw.strip():
        return None
    m = _DATE.match(raw.strip())
    if not m:
        raise Unreadable(f"'{raw.strip()[:40]}' is not a date (YYYY-MM-DD)")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise Unreadable(f"'{raw.strip()[:40]}' is not a real date") from None


def parse_datetime(raw: str | None) -> dt.datetime | None:
    """An xsd:dateTime ('2021-06-01T12:00:00Z', '...+07:00', or a bare date) -> UTC,
    without time zone (one without a zone is taken as UTC), to the second; None when
    empty; Unreadable otherwise."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise Unreadable(f"'{text[:40]}' is not a date and time (YYYY-MM-DDThh:mm:ss)") from None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.replace(microsecond=0)


def parse_amount(raw: str | None) -> Decimal:
    """An amount with at most 2 decimals (rounded half-even). Empty or not a number: Unreadable."""
    text = (raw or "").strip()
    if text.isdigit() and text.isascii() and len(text) < 16:  # the common case: a plain whole number
        return Decimal(text).quantize(CENT)
    if not text:
        raise Unreadable("the value is empty")
    if not _NUMBER.match(text):
        raise Unreadable(f"'{text[:40]}' is not a number")
    try:
        amount = Decimal(text).quantize(CENT, rounding=ROUND_HALF_EVEN)
    except InvalidOperation:
        raise Unreadable(f"'{text[:40]}' is too large") from None
    if abs(amount) >= MAX_AMOUNT:
        raise Unreadable(f"'{text[:40]}' is too large")
    return amount


def parse_percentage(raw: str | None) -> float | None:
    """None when absent; Unreadable when not a number in 0-100."""
    if raw is None or not raw.strip():
        return None
    text = raw.strip().rstrip("%").strip()
    try:
        value = float(text)
    except ValueError:
        raise Unreadable(f"percentage '{raw.strip()[:20]}' is not a number") from None
    if not 0 <= value <= 100:
        raise Unreadable(f"percentage {text} is outside 0-100")
    return value


def currency_code(raw: str | None) -> str | None:
    """'usd ' -> 'USD'; None when empty; Unreadable when not three letters."""
    if raw is None or not raw.strip():
        return None
    code = raw.strip().upper()
    if not (len(code) == 3 and code.isascii() and code.isalpha()):
        raise Unreadable(f"currency '{raw.strip()[:20]}' is not a three-letter code")
    return code


# Words an organisation's name keeps in lower case inside it, once title-cased.
_SMALL_WORDS = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with",
                "de", "des", "du", "et", "la", "le", "les", "l", "d", "pour", "en", "au", "aux", "sur"}


_VOWELS = set("aeiouyàâäéèêëîïôöùûüÿ")
# Acronyms of the field that have vowels, and so would read as words: kept in capitals.
_ACRONYMS = {"NGO", "NGOS", "INGO", "CSO", "FAO", "ADB", "AFD", "AIMF", "IDA", "ILO", "IOM", "EIB", "IFAD", "OECD", "ODA",
             "UNICEF", "UNESCO", "USAID", "JICA", "KOICA", "UNOPS", "UNAIDS", "UNEP", "UNIDO", "UNITAR", "UNFPA",
             "UNHCR", "UNODC", "UNDP", "WHO", "EU", "IUCN", "ASEAN", "DFAT", "ACIAR", "SIDA", "NORAD", "DANIDA",
             "AECID", "MRC", "IFC", "IMF", "IBRD", "ICRC", "IFRC", "AIIB", "OPEC", "GAVI", "PDR", "USA", "UK"}
# Short words of organisation names that are words, not acronyms (NGO, ADB, UN, USA are)
_SHORT_WORDS = {"new", "aid", "red", "sea", "one", "two", "old", "war", "art", "law", "mer", "nord", "sud", "est"}


def readable_name(name: str | None) -> str | None:
    """An organisation's name as people write it. A name published all in capitals
    ("GOVERNMENT OF SWITZERLAND") is title-cased ("Government of Switzerland"): small
    words in lower case except first, acronyms kept (a word in brackets, of up to three
    letters unless a known word ("New"), or with no vowel, or one of the field's longer
    acronyms, or a letter that ends the name: "UNITED NATIONS DEVELOPMENT PROGRAMME (UNDP)",
    "UN WOMEN", "SDC", "JICA OFFICE", "NGO A"). A name with
    any lower-case letter is the publisher's choice and is kept as it is."""
    if not name or not any(c.isalpha() for c in name) or name != name.upper() or len(name.split()) == 1:
        return name  # one word in capitals is an acronym ("KOICA")
    out = []
    in_brackets = False
    words = re.split(r"(\s+|[-/(),'’])", name)
    for i, word in enumerate(words):
        if word == "(":
            in_brackets = True
        elif word == ")":
            in_brackets = False
        letters = "".join(c for c in word if c.isalpha())
        last = not any(w.strip() and any(c.isalpha() for c in w) for w in words[i + 1:])
        acronym = (letters in _ACRONYMS or (len(letters) == 1 and last)  # "NGO A", "LOT B"
                   or word.lower() not in _SMALL_WORDS | _SHORT_WORDS
                   and (len(letters) <= 3 or not set(letters.lower()) & _VOWELS))
        if not letters or in_brackets or acronym:
            out.append(word)
        elif word.lower() in _SMALL_WORDS and any(x.strip() for x in out):
            out.append(word.lower())
        else:
            out.append(re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word))
    return "".join(out)


def slug(name: str) -> str:
    """'Ministry of Health (Lao PDR)' -> 'ministry-of-health-lao-pdr': an id for an
    organisation that has no IATI identifier."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:80]
    # a name in a non-Latin script has no ASCII letters: keep it distinct by a hash
    return s or "org-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]


def clean(text: str | None) -> str | None:
    """Trimmed text, None when empty."""
    if text is None:
        return None
    text = text.strip()
    return text or None


def split_problem(values: list[float | None]) -> str | None:
    """What the report says of the percentages of one split (sectors of a vocabulary,
    countries with regions), or None when they add up to 100 (or there is one item and
    it states none). How the dashboard then counts them is derive.sql's split_share:
    one item takes the whole; a positive sum is rescaled to 100; else the split is not
    stated."""
    stated = [v for v in values if v is not None]
    if not values:
        return None
    if len(values) == 1:
        if not stated or abs(stated[0] - 100) <= PERCENT_TOLERANCE:
            return None
        return f"the only item is at {stated[0]:g} %; it is counted as the whole (100 %)"
    if len(stated) < len(values):
        return f"{len(values) - len(stated)} of {len(values)} have no percentage; the split is shown as not stated"
    total = sum(stated)
    if abs(total - 100) <= PERCENT_TOLERANCE:
        return None
    if total <= 0:
        return "percentages add up to 0; the split is shown as not stated"
    return f"percentages add up to {total:g}, not 100; each is counted as its part of {total:g} (rescaled to 100)"
