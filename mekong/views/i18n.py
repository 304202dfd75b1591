"""Interface text in English and French.

Every string the project writes lives in mekong/views/locale/<area>.toml as
`key = { en = "...", fr = "..." }` and is looked up as "<area>.<key>". Codelist
names (sectors, countries, statuses, roles) come from the database in both languages.
"""
import tomllib
from functools import lru_cache

from mekong.paths import ROOT

LANGS = ("en", "fr")
LOCALE_DIR = ROOT / "mekong" / "views" / "locale"


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    entries: dict[str, dict[str, str]] = {}
    for path in sorted(LOCALE_DIR.glob("*.toml")):
        with open(path, "rb") as f:
            for key, value in tomllib.load(f).items():
                entries[f"{path.stem}.{key}"] = value
    return entries


def text(key: str, lang: str, **values) -> str:
    """The string `key` in `lang`, with {placeholders} filled from `values`."""
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
