"""The importer's messages about a file (deviations from the format) in the page's
language. The importer writes them in English as "what is wrong; what was done"; each
part is matched against the patterns below and written in French, the parts joined by
" ; " (a narrow no-break space before the semicolon). A part no pattern knows stays as
written, and `translate` says so."""
import re

from mekong.views.i18n import NNBSP

_VALUE = r"(?P<v>'[^']*'|\S+)"
# (English pattern of one part, French text); {name} takes the group of that name
_PARTS_FR: list[tuple[str, str]] = [
    (r"left out", "écarté"),
    (r"kept as published", "conservé tel que publié"),
    (r"the first is kept", "le premier est conservé"),
    (r"ignored", "ignoré"),
    (r"the date is left out", "la date est écartée"),
    (r"kept without a percentage", "conservé sans pourcentage"),
    (r"taken as 1", "pris comme 1"),
    (r"taken as original", "pris comme initial"),
    (r"this copy is left out", "cette copie est écartée"),
    (r"the activity is left out", "l'activité est écartée"),
    (r"the transaction is left out", "la transaction est écartée"),
    (r"the place is kept without them", "le lieu est conservé sans elles"),
    (r"sector cannot be read", "le secteur est illisible"),
    (r"has no sector code", "n'a pas de code de secteur"),
    (r"has no region code", "n'a pas de code de région"),
    (r"has no country code", "n'a pas de code de pays"),
    (r"has no code", "n'a pas de code"),
    (r"has no role", "n'a pas de rôle"),
    (r"has no type", "n'a pas de type"),
    (r"has no value", "n'a pas de valeur"),
    (r"has no transaction-type", "n'a pas de transaction-type"),
    (r"has no coordinates", "n'a pas de coordonnées"),
    (r"has no iati-identifier", "n'a pas d'iati-identifier"),
    (r"the activity has no title", "l'activité n'a pas de titre"),
    (r"gives no date", "ne donne pas de date"),
    (r"gives no status code", "ne donne pas de code de statut"),
    (r"the value is empty", "la valeur est vide"),
    (r"repeats an activity read earlier in this import", "répète une activité déjà lue dans cet import"),
    (r"gives no name, coordinates, administrative area or GeoNames id",
     "ne donne ni nom, ni coordonnées, ni zone administrative, ni identifiant GeoNames"),
    (r"names no organisation \(no @ref, no name\)", "ne nomme aucune organisation (ni @ref, ni nom)"),
    (r"period ends \((?P<a>[^)]*)\) before it starts \((?P<b>[^)]*)\)", "la période finit ({a}) avant de commencer ({b})"),
    (r"the only item is at (?P<a>[\d.]+) %", "le seul élément est à {a}\u00a0%"),
    (r"it is counted as the whole \(100 %\)", "il compte pour le tout (100\u00a0%)"),
    (r"percentages add up to (?P<a>[\d.]+), not 100", "les pourcentages font {a}, et non 100"),
    (r"each is counted as its part of (?P<a>[\d.]+) \(rescaled to 100\)",
     "chacun compte pour sa part de {a} (ramené à 100)"),
    (rf"{_VALUE} is not a date \(YYYY-MM-DD\)", "{v} n'est pas une date (AAAA-MM-JJ)"),
    (rf"{_VALUE} is not a DAC 5-digit code", "{v} n'est pas un code CAD à 5 chiffres"),
    (rf"{_VALUE} is not an ISO 3166-1 country code", "{v} n'est pas un code de pays ISO 3166-1"),
    (rf"{_VALUE} is not a country code", "{v} n'est pas un code de pays"),
    (rf"{_VALUE} is not a whole number", "{v} n'est pas un nombre entier"),
    (rf"sector {_VALUE} is given twice", "le secteur {v} est donné deux fois"),
    (rf"country {_VALUE} is given twice", "le pays {v} est donné deux fois"),
    (rf"region {_VALUE} is given twice", "la région {v} est donnée deux fois"),
    (rf"status {_VALUE} is not an IATI activity status", "le statut {v} n'est pas un statut d'activité IATI"),
    (rf"date type {_VALUE} is not one of 1-4", "le type de date {v} n'est pas l'un de 1 à 4"),
    (rf"budget type {_VALUE} is not 1 \(original\) or 2 \(revised\)", "le type de budget {v} n'est ni 1 (initial) ni 2 (révisé)"),
    (rf"type {_VALUE} is not an IATI transaction type", "le type {v} n'est pas un type de transaction IATI"),
    (rf"type {_VALUE} is not an IATI related-activity type", "le type {v} n'est pas un type d'activité liée IATI"),
    (rf"sector vocabulary {_VALUE} is not known", "le vocabulaire de secteur {v} est inconnu"),
    (r"no currency on the value or the activity", "aucune monnaie sur la valeur ni sur l'activité"),
]
_COMPILED = [(re.compile(p), fr) for p, fr in _PARTS_FR]


def translate(message: str, lang: str) -> tuple[str, bool]:
    """(the message in `lang`, whether every part of it was translated)."""
    if lang != "fr" or not message:
        return message, True
    out, whole = [], True
    for part in message.split("; "):
        for pattern, fr in _COMPILED:
            m = pattern.fullmatch(part.strip())
            if m:
                out.append(fr.format(**m.groupdict()))
                break
        else:
            out.append(part)
            whole = False
    return f"{NNBSP}; ".join(out), whole
