"""A presenter's short notes on charts ("2021 incomplete: data until June"), kept in the
URL as note-<chart key>=text, so that a shared link carries them to the page, Present,
the slides and the PDF brief.

A note is plain text: it is only ever shown as text (never Markdown or HTML), is one line
of at most MAX_LENGTH characters, and loses any control characters.
"""
import re
import unicodedata
from typing import Mapping, Sequence

from mekong.views.filters import Ignored

PREFIX = "note-"
MAX_LENGTH = 200
# The charts a note can be written on: the panels' keys (mekong/views/panels.py) and the
# map. A chart of the same key on two pages (money per year) shares its note.
KEYS = ("headline", "overview-donors", "by-year", "by-donor", "by-sector", "by-country", "by-province", "treemap",
        "sankey", "gantt", "map")

_SPACE = re.compile(r"\s+")


def clean(text: str | None) -> str:
    """One line of plain text, at most MAX_LENGTH characters: control and format
    characters dropped, runs of white space made one space."""
    if not text:
        return ""
    kept = "".join(" " if c.isspace() else c for c in str(text) if c.isspace() or unicodedata.category(c)[0] != "C")
    return _SPACE.sub(" ", kept).strip()[:MAX_LENGTH].strip()


def param(key: str) -> str:
    return PREFIX + key


def from_query(query: Mapping[str, Sequence[str]]) -> tuple[dict[str, str], list[Ignored]]:
    """The notes of URL parameters ({chart key: note}); a note on no known chart, or one
    cut to the limit, is listed as ignored ('unknown' / 'too_long')."""
    notes: dict[str, str] = {}
    ignored: list[Ignored] = []
    for name, values in query.items():
        if not name.startswith(PREFIX):
            continue
        key, text = name[len(PREFIX):], (list(values) or [""])[-1]
        if key not in KEYS:
            ignored.append(Ignored(name, text[:40], "unknown"))
            continue
        note = clean(text)
        if len(_SPACE.sub(" ", text).strip()) > MAX_LENGTH:
            ignored.append(Ignored(name, text[:40] + "…", "too_long"))
        if note:
            notes[key] = note
    return notes, ignored


def to_query(notes: Mapping[str, str]) -> dict[str, str]:
    """URL parameters of the notes, in the order of KEYS."""
    return {param(k): notes[k] for k in KEYS if notes.get(k)}
