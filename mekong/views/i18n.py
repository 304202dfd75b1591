"""Interface text in English and French.

Every string the project writes lives in mekong/views/locale/<area>.toml as
`key = { en = "...", fr = "..." }` and is looked up as "<area>.<key>". Codelist
names (sectors, countries, statuses, roles) come from the database in both languages.
"""
import re
import tomllib
from functools import lru_cache

from babel import Locale

from mekong.paths import ROOT

LANGS = ("en", "fr")
LOCALE_DIR = ROOT / "mekong" / "views" / "locale"
NNBSP = "\u202f"  # narrow no-break space: French puts one before : ; ? ! and inside « »
_BEFORE_SIGN = re.compile(r" ([:;?!»])")
_BEFORE_PERCENT = re.compile(r"(?<=[\d}]) %")


def french_spacing(s: str) -> str:
    """French typography for a French text written with ordinary spaces: the space before
    : ; ? ! and » and after « becomes a narrow no-break space, so the sign stays with its
    word at a line's end ("Bailleur : AIMF", "« Noms »"); a number's " %" takes a
    no-break space (U+00A0, as fmt.percent writes it). A sign with no space before it (an
    address, "EPSG:4326", a placeholder's format) is left as it is."""
    s = _BEFORE_PERCENT.sub("\u00a0%", s)
    return _BEFORE_SIGN.sub(NNBSP + r"\1", s).replace("« ", "«" + NNBSP)


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    """{area.key: {lang: text}} of every locale file. The files write French with ordinary
    spaces before : ; ? ! (easy to type and to read); the catalogue gives them French
    typography (`french_spacing`)."""
    entries: dict[str, dict[str, str]] = {}
    for path in sorted(LOCALE_DIR.glob("*.toml")):
        with open(path, "rb") as f:
            for key, value in tomllib.load(f).items():
                if isinstance(value.get("fr"), str):
                    value = {**value, "fr": french_spacing(value["fr"])}
                entries[f"{path.stem}.{key}"] = value
    return entries


def _count(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        digits = "".join(c for c in value if c.isdigit())
        return int(digits) if digits and digits == "".join(c for c in value if c.isalnum()) else None
    return None


def plural_key(key: str, lang: str, values: dict) -> str:
    """`key_one` for a count the language says is singular (CLDR, via babel: English 1,
    French 0 and 1), when the catalogue has it; else `key`. The count is the value `n`,
    else `errors`, and may be a formatted number ("1", "1 234")."""
    for name in ("n", "errors"):
        if name in values:
            n = _count(values[name])
            if n is not None and f"{key}_one" in catalog() and Locale.parse(lang).plural_form(n) == "one":
                return f"{key}_one"
            break
    return key


def text(key: str, lang: str, **values) -> str:
    """The string `key` in `lang`, with {placeholders} filled from `values`; a count
    the language calls singular takes the `key_one` text where there is one."""
    key = plural_key(key, lang, values) if values else key
    entry = catalog().get(key)
    if entry is None:
        raise KeyError(f"no interface text {key!r} in {LOCALE_DIR}")
    s = entry.get(lang) or entry["en"]
    return s.format(**values) if values else s


def normalise_lang(value: str | None, default: str = "en") -> str:
    """'fr-FR' -> 'fr'; anything not supported -> default."""
    if not value:
        return default
    code = value.replace("_", "-").split("-")[0].lower()
    return code if code in LANGS else default
