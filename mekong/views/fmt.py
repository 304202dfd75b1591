"""Numbers, money and dates written for the reader's language (babel)."""
import datetime as dt
import html
import re
from decimal import Decimal
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
    n = compact(amount, lang, 1)
    return f"{currency}\u00a0{n}" if lang == "en" else f"{n}\u00a0{currency}"


@lru_cache(maxsize=4)
def _compact_steps(lang: str) -> tuple[tuple[int, Decimal], ...]:
    """The magnitudes of the locale's short compact forms, largest first, each with what
    babel divides by ('0M' divides 1,000,000 by 1,000,000; '00M' 10,000,000 by 1,000,000);
    empty when the form depends on the plural of the number (not so in English or French)."""
    forms = _LOCALE[lang].compact_decimal_formats["short"]
    def patterns(plural: str) -> dict:
        return {m: p.pattern for m, p in forms[plural].items()}
    if any(patterns(plural) != patterns("other") for plural in forms):
        return ()
    steps = []
    for magnitude in sorted((int(m) for m in forms["other"]), reverse=True):
        zeros = forms["other"][str(magnitude)].pattern.count("0")
        steps.append((magnitude, Decimal(magnitude // 10 ** (zeros - 1))))
    return tuple(steps)


@lru_cache(maxsize=16384)
def _compact_apply(lang: str, magnitude: int, rounded: Decimal) -> str:
    pattern = _LOCALE[lang].compact_decimal_formats["short"]["other"][str(magnitude)]
    return pattern.apply(rounded, _LOCALE[lang], decimal_quantization=False)


def compact(value, lang: str, fraction_digits: int) -> str:
    """babel's format_compact_decimal at a quarter of its cost (a chart writes hundreds of
    labels per run, most of them rounding to a few forms such as '8.2M', each written
    once), except that what rounds up to the next unit is written in it: '1M' where babel
    writes '1000K'. Values under a thousand, or a locale whose forms follow plurals, go
    to babel itself."""
    number = Decimal(str(value))
    if number.is_finite():
        steps = _compact_steps(lang)
        for i, (magnitude, divisor) in enumerate(steps):
            if abs(number) >= magnitude:
                rounded = round(number / divisor, fraction_digits)
                if i > 0 and abs(rounded * divisor) >= steps[i - 1][0]:  # 999,960 is '1M', not babel's '1000K'
                    return compact(rounded * divisor, lang, fraction_digits)
                return _compact_apply(lang, magnitude, rounded)
    return format_compact_decimal(value, locale=_LOCALE[lang], fraction_digits=fraction_digits)


def compact_number(value, lang: str) -> str:
    """An axis tick: '1.25B', '600K' in English, '1,25 Md', '600 k' in French (not plotly's
    SI 'G', which a French reader does not take for milliards); two decimals at most, the
    ticks being round numbers."""
    if value is None or value != value:
        return ""
    return compact(value, lang, 2)


def number(value, lang: str) -> str:
    if value is None or value != value:
        return ""
    return _number(int(value), lang) if isinstance(value, Integral) else format_decimal(value, locale=_LOCALE[lang])


def _number(value: int, lang: str) -> str:
    """babel's format_decimal of a whole number, without its cost (a table writes
    thousands of distinct amounts at every rerun): the locale's group and minus signs
    put into Python's grouping, which is the same for English and French (threes)."""
    group, minus = _int_symbols(lang)
    text = f"{abs(value):,}".replace(",", group)
    return minus + text if value < 0 else text


@lru_cache(maxsize=4)
def _int_symbols(lang: str) -> tuple[str, str]:
    grouped, negative = format_decimal(1234567, locale=_LOCALE[lang]), format_decimal(-1, locale=_LOCALE[lang])
    group = grouped[1:grouped.index("234")]
    if grouped != f"1{group}234{group}567" or not negative.endswith("1"):
        raise ValueError(f"{lang}: whole numbers not grouped in threes ({grouped!r}, {negative!r})")  # not so here
    return group, negative[:-1]


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
    return _date(value, lang, precision)


# A table of thousands of activities writes a few hundred distinct dates: each once.
@lru_cache(maxsize=16384)
def _date(value: dt.date, lang: str, precision: str) -> str:
    return format_date(value, "MMM y" if precision == "month" else "d MMM y", locale=_LOCALE[lang])


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
