"""Name normalisation for matching place names written in different romanisations."""
import re
import unicodedata
from functools import lru_cache

# Letters that Unicode does not decompose into a base letter plus accents.
_FOLD = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "œ": "oe", "Œ": "OE",
                       "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ß": "ss"})
# Generic words that do not tell two provinces of one country apart.
_GENERIC = {"province", "region", "state", "city", "krong", "khet", "tinh"}


def strip_accents(name: str) -> str:
    """'Hồ Chí Minh' -> 'Ho Chi Minh'; 'Kâmpóng Spœ' -> 'Kampong Spoe'."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)  # an import asks for the same few thousand names again and again
def name_key(name: str) -> str:
    """A matching key: no accents, no case, no punctuation or spaces, no generic words.

    'Thừa Thiên - Huế' and 'Thua Thien-Hue' give the same key; 'Vientiane [prefecture]'
    keeps 'prefecture' so it differs from 'Vientiane'.
    """
    words = re.findall(r"[a-z0-9]+", strip_accents(name).lower())
    kept = [w for w in words if w not in _GENERIC]
    return "".join(kept or words)
