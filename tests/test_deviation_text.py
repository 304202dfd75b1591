"""The importer's messages about a file, in French on a French page."""
import glob
import shutil

import pytest

from mekong.views.deviations import translate


@pytest.mark.parametrize("english,french", [
    ("has no sector code; left out", "n'a pas de code de secteur\u202f; écarté"),
    ("period ends (2021-12-31) before it starts (2022-01-01); kept as published",
     "la période finit (2021-12-31) avant de commencer (2022-01-01)\u202f; conservé tel que publié"),
    ("'2021-13-01' is not a date (YYYY-MM-DD); the date is left out",
     "'2021-13-01' n'est pas une date (AAAA-MM-JJ)\u202f; la date est écartée"),
    ("percentages add up to 90, not 100; each is counted as its part of 90 (rescaled to 100)",
     "les pourcentages font 90, et non 100\u202f; chacun compte pour sa part de 90 (ramené à 100)"),
    ("sector 15110 is given twice; the first is kept", "le secteur 15110 est donné deux fois\u202f; le premier est conservé"),
])
def test_messages_in_french(english, french):
    assert translate(english, "fr") == (french, True)
    assert translate(english, "en") == (english, True)


def test_an_unknown_part_stays_as_written_and_says_so():
    assert translate("something new; left out", "fr") == ("something new\u202f; écarté", False)


def test_every_message_of_the_real_files_is_translated(shared_dir, seed_db, tmp_path):
    from mekong.importers import import_data

    db = tmp_path / "m.duckdb"
    shutil.copyfile(seed_db, db)
    files = sorted(glob.glob(str(shared_dir / "testdata" / "iati" / "*.xml")))
    report = import_data([(f.rsplit("/", 1)[-1], open(f, "rb").read()) for f in files], db)
    assert report.applied and len(report.deviations) > 100
    untranslated = {d.message for d in report.deviations if not translate(d.message, "fr")[1]}
    assert not untranslated
