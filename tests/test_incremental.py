"""An import re-derives only the activities it touches: the derived tables it leaves are
the ones a full derive makes of the same facts (after adding files, re-importing one,
removing one), and an import does not re-derive the untouched activities."""
import shutil
from pathlib import Path

import duckdb

from mekong.importers import import_files, remove_imports
from mekong.store.derive import derive, statements
from mekong.store.sqlfiles import script

FIXTURES = Path(__file__).parent / "fixtures" / "iati"
DERIVED = [t for how, t, _ in statements(script("derive")) if t] + ["project_key"]


def _rows(con, table):
    def norm(v):
        return round(v, 6) if isinstance(v, float) else tuple(norm(x) for x in v) if isinstance(v, (list, tuple)) else \
            tuple(sorted((k, norm(x)) for k, x in v.items())) if isinstance(v, dict) else v
    return sorted((tuple(norm(v) for v in r) for r in con.execute(f'SELECT * FROM "{table}"').fetchall()), key=repr)


def _same_as_a_full_derive(db: Path, tmp_path: Path) -> None:
    full = tmp_path / f"full-{len(list(tmp_path.glob('full-*')))}.duckdb"
    shutil.copyfile(db, full)
    con = duckdb.connect(str(full))
    derive(con)
    want = {t: _rows(con, t) for t in DERIVED}
    con.close()
    con = duckdb.connect(str(db), read_only=True)
    got = {t: _rows(con, t) for t in DERIVED}
    con.close()
    for t in DERIVED:
        assert got[t] == want[t], f"{t}: the import left other rows than a full derive makes"


def test_imports_removals_and_reimports_derive_as_a_full_derive(seed_db, tmp_path):
    db = tmp_path / "mekong.duckdb"
    shutil.copyfile(seed_db, db)
    assert import_files(sorted((FIXTURES / "chain").glob("*.xml")), db).applied
    _same_as_a_full_derive(db, tmp_path)
    assert import_files([FIXTURES / n for n in ("uneven_splits.xml", "region_only.xml", "mixed_currencies.xml",
                                                "legacy_103.xml", "percentages.xml")], db).applied
    _same_as_a_full_derive(db, tmp_path)
    # a new version of a file: one activity gone, the others replaced
    smaller = tmp_path / "percentages.xml"
    text = (FIXTURES / "percentages.xml").read_text()
    smaller.write_text(text[:text.index("  <iati-activity default-currency=\"EUR\">\n    <iati-identifier>XX-PCT-2")]
                       + "</iati-activities>\n")
    report = import_files([smaller], db)
    assert report.applied and report.removed_activities == 1
    _same_as_a_full_derive(db, tmp_path)
    assert remove_imports(["iati:multilateral.xml"], db) == 1
    _same_as_a_full_derive(db, tmp_path)


def test_untouched_activities_keep_their_rows(seed_db, tmp_path, monkeypatch):
    """The seed portfolio's derived rows are not recomputed by an import: its activities
    are outside the derive's scope (their numbers stay too)."""
    db = tmp_path / "mekong.duckdb"
    shutil.copyfile(seed_db, db)
    con = duckdb.connect(str(db), read_only=True)
    before = dict(con.execute("SELECT project_id, pk FROM project_key").fetchall())
    con.close()
    seen = []
    import mekong.importers.run as run

    def spy(c, touched=None):
        seen.append(None if touched is None else sorted(touched))
        return derive(c, touched)
    monkeypatch.setattr(run, "derive", spy)
    assert import_files([FIXTURES / "legacy_103.xml"], db).applied
    assert seen == [["XX-LEGACY-1"]]
    con = duckdb.connect(str(db), read_only=True)
    after = dict(con.execute("SELECT project_id, pk FROM project_key").fetchall())
    con.close()
    assert {k: after[k] for k in before} == before and after["XX-LEGACY-1"] == max(before.values()) + 1


def test_a_real_file_derives_as_a_full_derive(seed_db, tmp_path, shared_dir):
    db = tmp_path / "mekong.duckdb"
    shutil.copyfile(seed_db, db)
    iati = shared_dir / "testdata" / "iati"
    assert import_files([iati / "mekong_small_sample_10.xml"], db).applied
    assert import_files([iati / "mekong_subset_dportal_covid_2021.xml", iati / "iatiflattener_gdihub-activity.xml"], db,
                        all_countries=True).applied
    _same_as_a_full_derive(db, tmp_path)
