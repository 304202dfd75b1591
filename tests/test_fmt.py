"""Numbers as the reader's language writes them: the short forms of chart labels and axis
ticks are babel's own (checked against babel on thousands of values), written faster, and
what rounds up to the next unit is written in it ('1M', not babel's '1000K')."""
import math
import random
import re

import pytest
from babel.numbers import format_compact_decimal

from mekong.views import fmt


def test_short_money_reads_as_people_write_it():
    assert fmt.compact_money(8_249_000, "EUR", "en") == "EUR\u00a08.2M"
    assert fmt.compact_money(8_249_000, "EUR", "fr") == "8,2\u00a0M\u00a0EUR"
    assert fmt.compact_money(1_250_000_000, "USD", "fr") == "1,2\u00a0Md\u00a0USD"
    assert fmt.compact_money(999_960, "EUR", "en") == "EUR\u00a01M"  # babel writes '1000K'
    assert fmt.compact_money(-999_960_000, "EUR", "fr") == "-1\u00a0Md\u00a0EUR"
    assert fmt.compact_money(float("nan"), "EUR", "en") == ""
    assert fmt.compact_number(600_000, "fr") == "600\u00a0k"


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("digits", [1, 2])
def test_the_short_form_is_babels(lang, digits):
    rng = random.Random(7)
    values = [0, 1, -1, 999, 999.95, 1000, 9_950, 99_950, 999_950, 999_949.9, 1e6, -8_250_000, 8_350_000, 1e15, 2.5e15,
              12_345.678, float("inf"), -999_999_999.9]
    values += [rng.uniform(-1e10, 1e10) for _ in range(3000)] + [10 ** rng.uniform(0, 14) for _ in range(3000)]
    values += [round(10 ** rng.uniform(3, 12), -rng.randint(0, 9)) for _ in range(3000)]
    def babel(v):
        return format_compact_decimal(v, locale=fmt._LOCALE[lang], fraction_digits=digits)

    for v in values:
        expected = babel(v)
        if re.match(r"-?1000\D", expected) and abs(v) < 1e15:  # rounded up into the next unit
            expected = babel(math.copysign(1000, v) * 10 ** (math.floor(math.log10(abs(v))) - 2))
        assert fmt.compact(v, lang, digits) == expected, v


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_whole_numbers_are_babels(lang):
    from babel.numbers import format_decimal

    rng = random.Random(11)
    values = [0, 1, -1, 999, 1000, -1000, 999_999, 1_000_000, -8_200_000, 10 ** 15, -(10 ** 18)]
    values += [rng.randint(-10 ** 12, 10 ** 12) for _ in range(3000)] + [int(10 ** rng.uniform(0, 15)) for _ in range(3000)]
    for v in values:
        assert fmt.number(v, lang) == format_decimal(v, locale=fmt._LOCALE[lang]), v
    assert fmt.number(8_200_000, "fr") == "8\u202f200\u202f000" and fmt.number(-1234, "en") == "-1,234"


@pytest.mark.parametrize("lang,expected", [("en", ["13 Dec 2014", "Oct 2009", "2019"]), ("fr", ["13 déc. 2014", "oct. 2009", "2019"])])
def test_dates_at_their_precision(lang, expected):
    import datetime as dt

    days = [(dt.date(2014, 12, 13), "day"), (dt.datetime(2009, 10, 1), "month"), (dt.date(2019, 1, 1), "year")]
    assert [fmt.date(d, lang, p) for d, p in days] == expected
    assert [fmt.date(d, lang, p) for d, p in days] == expected  # the same once remembered
