"""Numbers, money and dates written for the reader's language (babel)."""
import datetime as dt
import html
import re
from functools import lru_cache
from numbers import Integral

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_currency, format_decimal, format_percent, parse_pattern

# Money as the client asked: "EUR 8,200,000" in English, "8 200 000 EUR" in French.
# Locales and patterns are parsed once: babel would parse them again for every string,
# which is half the time of a table of thousands of rows.
_MONEY_PATTERN = {"en": parse_pattern("¤¤\u00a0#,##0"), "fr": parse_pattern("#,##0\u00a0¤¤")}
_LOCALE = {"en": Locale.parse("en_GB"), "fr": Locale.parse("fr_FR")}


def money(amount, currency: str, lang: str, approximate: bool = False) -> str:
    if amount is None or amount != amount:  # None or NaN
        return ""
    return ("~" if approximate else "") + _money(round(amount), currency, lang)


# A map or a table writes the same amounts and counts many times over (each province's
# total in the tooltip of each of its places): each is formatted once.
@lru_cache(maxsize=16384)
def _money(amount: int, currency: str, lang: str) -> str:
    return format_currency(amount, currency, _MONEY_PATTERN[lang], locale=_LOCALE[lang], currency_digits=False)


def compact_money(amount, currency: str, lang: str) -> str:
    """Short form for chart labels: 'EUR 8.2M' / '8,2 M EUR'."""
    if amount is None or amount != amount:
        return ""
    n = format_compact_decimal(amount, locale=_LOCALE[lang], fraction_digits=1)
    return f"{currency}\u00a0{n}" if lang == "en" else f"{n}\u00a0{currency}"


def compact_number(value, lang: str) -> str:
    """An axis tick: '1.25B', '600K' in English, '1,25 Md', '600 k' in French (not plotly's
    SI 'G', which a French reader does not take for milliards); two decimals at most, the
    ticks being round numbers."""
    if value is None or value != value:
        return ""
    return format_compact_decimal(value, locale=_LOCALE[lang], fraction_digits=2)


def number(value, lang: str) -> str:
    if value is None or value != value:
        return ""
    return _number(int(value), lang) if isinstance(value, Integral) else format_decimal(value, locale=_LOCALE[lang])


@lru_cache(maxsize=16384)
def _number(value: int, lang: str) -> str:
    return format_decimal(value, locale=_LOCALE[lang])


def percent(share, lang: str) -> str:
    if share is None or share != share:
        return ""
    return format_percent(share, locale=_LOCALE[lang], format="#,##0\u00a0%" if lang == "fr" else "#,##0%")


def date(value, lang: str, precision: str = "day") -> str:
    """A date at the precision it is known: '13 Dec 2014', 'Oct 2009', '2019'."""
    if value is None or value != value:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if precision == "year":
        return str(value.year)
    fmt = "MMM y" if precision == "month" else "d MMM y"
    return format_date(value, fmt, locale=_LOCALE[lang])


def label(text) -> str:
    """A codelist name as people read it: category names come in capitals in the IATI
    codelists ("BANKING AND FINANCIAL SERVICES") and are written in sentence case."""
    text = str(text)
    # one long word too ("INDUSTRY", "FORESTRY"); a short one is an acronym ("AIMF", "UNICEF")
    return text.capitalize() if text.isupper() and (" " in text or len(text) >= 7) else text


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>~$:&="})


# Streamlit's Markdown also turns patterns in plain text into things: bare addresses
# (http://..., www.x, a@b) into links, :name: and :material/name: into icons. Escapes do
# not stop them (they act on the text after escapes are read), so an invisible word
# joiner is put where they would start.
_JOIN = "\u2060"
_LIVE = re.compile(r"(?<=:)(?=[A-Za-z0-9/])|(?<=@)(?=\w)|(?i:(?<=\bwww)(?=\.))")


def md(text) -> str:
    """Data shown through Markdown, as plain text: an imported title or a value from the
    URL must not turn into a link, an image fetched from the internet, an icon, LaTeX,
    emphasis or HTML."""
    return _LIVE.sub(_JOIN, str(text)).translate(_MD_SPECIAL).replace("\n", " ")


def html_text(text) -> str:
    """Data shown where HTML or plotly's pseudo-HTML is read (chart labels and hover texts,
    map tooltips): '<', '>' and '&' written as entities, so that no value becomes a link,
    a tag or a line break."""
    return html.escape(str(text), quote=False)  # quotes are text to plotly (and stay readable)
