"""Organisation names as people write them; the publisher's spelling kept beside."""
import shutil

import duckdb
import pytest

from mekong.importers.values import readable_name


@pytest.mark.parametrize("published,shown", [
    ("GOVERNMENT OF SWITZERLAND", "Government of Switzerland"),
    ("CANADIAN INTERNATIONAL DEVELOPMENT AGENCY", "Canadian International Development Agency"),
    ("UNITED NATIONS DEVELOPMENT PROGRAMME (UNDP)", "United Nations Development Programme (UNDP)"),
    ("NEW ZEALAND MINISTRY OF FOREIGN AFFAIRS AND TRADE", "New Zealand Ministry of Foreign Affairs and Trade"),
    ("MINISTÈRE DE L'EUROPE ET DES AFFAIRES ÉTRANGÈRES", "Ministère de l'Europe et des Affaires Étrangères"),
    ("SWISS AGENCY FOR DEVELOPMENT AND COOPERATION - SDC", "Swiss Agency for Development and Cooperation - SDC"),
    ("UN WOMEN", "UN Women"), ("NGO B", "NGO B"),
    ("KOICA", "KOICA"), ("Sida", "Sida"), ("Swedish Internat. Dev't Coop. Agency (SIDA)", "Swedish Internat. Dev't Coop. Agency (SIDA)"),
    (None, None), ("", ""),
])
def test_readable_name(published, shown):
    assert readable_name(published) == shown


def test_an_import_keeps_the_publishers_spelling(seed_db, shared_dir, tmp_path):
    from mekong.importers import import_data

    db = tmp_path / "m.duckdb"
    shutil.copyfile(seed_db, db)
    path = shared_dir / "testdata" / "iati" / "mekong_subset_dportal_covid_2021.xml"
    assert import_data([(path.name, path.read_bytes())], db).applied
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT name_en, published_name FROM organisation WHERE published_name IS NOT NULL").fetchall()
    assert rows and all(p == p.upper() and n != p and n.upper() == p.upper() for n, p in rows)
    assert ("Canadian International Development Agency", "CANADIAN INTERNATIONAL DEVELOPMENT AGENCY") in rows
    # no organisation is shown in capitals of several words any more
    assert not con.execute("""SELECT name_en FROM organisation WHERE name_en = upper(name_en)
                              AND len(string_split(name_en, ' ')) >= 3 AND regexp_matches(name_en, '[A-Z]{4,} [A-Z]{4,} [A-Z]{4,}')""").fetchall()
    con.close()
