"""Counts in the English of the command line and its reports: "1 activity", "2 activities"
(the pages count in both languages through mekong.views.i18n's `_one` texts)."""

_IRREGULAR = {"activity": "activities", "country": "countries", "entry": "entries", "is": "are"}


def plural(noun: str) -> str:
    """The plural of a noun or of a phrase ending in one ("recipient country")."""
    *head, last = noun.split(" ")
    return " ".join([*head, _IRREGULAR.get(last, last + "s")])


def count(n: int, singular: str, plural_form: str | None = None) -> str:
    """'1 activity', '0 activities', '2,412 activities'."""
    return f"{n:,} {singular if n == 1 else plural_form or plural(singular)}"
