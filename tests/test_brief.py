"""The PDF brief (`python -m mekong brief`), read back with poppler's pdftotext and
pdftoppm (installed by .ci/run): a title page with the filters and the data date, each
chart with its caption and note, tables paginated with their header on every page,
numbered pages, the sources; English and French; plain text throughout."""
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from mekong.paths import ROOT
from tests.browser.conftest import ARTIFACTS


@pytest.fixture(scope="module")
def poppler():
    if not shutil.which("pdftotext") or not shutil.which("pdftoppm"):
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but poppler-utils (pdftotext, pdftoppm) is missing")
        pytest.skip("poppler-utils is not installed (apt-get install poppler-utils)")


def pages_text(pdf) -> list[str]:
    """The text of each page of the PDF."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # lines and columns as single spaces (and French's narrow no-break space, which
    # pdftotext writes as a space, as well)
    return [" ".join(page.split()) for page in out.split("\f")[:-1]]


def make_brief(seed_db, tmp_path, *args):
    out = tmp_path / "brief.pdf"
    done = subprocess.run([sys.executable, "-m", "mekong", "brief", "--db", str(seed_db), "--out", str(out), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return out, done.stderr


def test_french_brief_of_the_funding_page(poppler, seed_db, tmp_path):
    pdf, _ = make_brief(seed_db, tmp_path, "--lang", "fr", "--page", "funding", "--query",
                        "donor=lu-government&note-by-donor=Un seul bailleur <b>gras</b> [lien](http://x)")
    pages = pages_text(pdf)
    n = len(pages)
    first = pages[0]
    assert "Tableau de bord de la coopération au Mékong" in first and "Financements" in first
    assert "Bailleur : Gouvernement luxembourgeois · EUR" in first
    assert "Date des données : non indiquée par les sources" in first
    for i, page in enumerate(pages, start=1):
        assert f"Page {i} / {n}" in page  # every page numbered
        assert "Bailleur : Gouvernement luxembourgeois" in page  # and stamped with the filters
    text = "\n".join(pages)
    for title in ("Budgets par bailleur", "Budgets par secteur", "Budgets par province", "Budgets par année",
                  "Sources et méthode"):
        assert title in text
    assert "Compte les budgets" in text  # the captions
    assert "Note : Un seul bailleur <b>gras</b> [lien](http://x)" in text  # a note as it was written
    assert "7 600 000" in text and "AIMF" not in text  # the table of the filtered view, French numbers
    # the pages as pictures, for a person to look at
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob("brief-fr-funding-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / "brief-fr-funding")], check=True)
    assert len(list(ARTIFACTS.glob("brief-fr-funding-*.png"))) == n


def test_english_brief_of_every_page(poppler, seed_db, tmp_path):
    pdf, stderr = make_brief(seed_db, tmp_path, "--lang", "en", "--query", "ccy=USD&years=20x0")
    assert "ignored years='20x0'" in stderr
    text = "\n".join(pages_text(pdf))
    for title in ("Mekong cooperation dashboard", "Overview · Funding · Timeline · Map", "Who funds what, where and when",
                  "Budgets by donor", "Activities over time", "Budgets by province", "Sources and method"):
        assert title in text
    assert "All activities · USD" in text and "years = 20x0" in text
    assert "EUR 7,000,000 has no date" not in text and "USD" in text


def test_a_long_table_repeats_its_header_on_every_page(poppler, tmp_path):
    from functools import partial

    from mekong.exports import brief
    from mekong.views import i18n

    pdf = brief._Brief("header", "filters · date", "Page")
    pdf.add_page()
    rows = pd.DataFrame({"Name": [f"Activity number {i} in Thừa Thiên Huế" for i in range(150)],
                         "EUR": [1000.0 * i for i in range(150)], "Activities": list(range(150))})
    brief._table(pdf, rows, "EUR", "en", partial(i18n.text, lang="en"))
    out = tmp_path / "table.pdf"
    out.write_bytes(bytes(pdf.output()))
    pages = pages_text(out)
    assert len(pages) >= 3
    for page in pages:
        assert page.count("Name EUR Activities") == 1
    text = "\n".join(pages)
    assert all(f"Activity number {i} in Thừa Thiên Huế" in text for i in range(150))  # none lost at a page break
    assert "149,000" in text and f"Page {len(pages)} / {len(pages)}" in pages[-1]
