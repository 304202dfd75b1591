"""AppTest: the Data page imports an upload all or nothing, reports what it read and what
was wrong, shows what is loaded per source, the data-quality checks and the template."""
import hashlib
from pathlib import Path

import duckdb
import pytest

FIXTURES = Path(__file__).parent / "fixtures"
XXE = b'<?xml version="1.0"?>\n<!DOCTYPE iati-activities [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n' \
      b"<iati-activities><iati-activity><iati-identifier>&xxe;</iati-identifier></iati-activity></iati-activities>"


def plain(markdown: str) -> str:
    """Text shown through Markdown as the reader sees it (escapes and word joiners out)."""
    return markdown.replace("\\", "").replace("\u2060", "")


@pytest.fixture()
def data_app(app, seed_db_copy, monkeypatch):
    """The dashboard on the Data page, on a private copy of the default portfolio."""
    monkeypatch.setenv("MEKONG_DB", str(seed_db_copy))
    return lambda **params: app("data", **params)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def count(db: Path, sql: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def texts(at) -> str:
    return "\n".join(e.value for e in [*at.markdown, *at.caption, *at.success, *at.error, *at.info]
                     if isinstance(e.value, str))


def table(at, has_column: str):
    return next(df.value for df in at.dataframe if has_column in df.value.columns)


def upload(at, *files: tuple[str, bytes]):
    at.file_uploader[0].set_value([(name, content, "application/octet-stream") for name, content in files]).run()
    at.button(key="data_import").click().run()
    return at


def test_page_shows_sources_quality_and_template(data_app, seed_db_copy):
    at = data_app(lang="en")
    assert not at.exception
    sources = table(at, "Document")
    n_docs = count(seed_db_copy, "SELECT count(*) FROM document")
    assert len(sources) == n_docs > 0
    assert set(sources["Kind"]) == {"curated seed document"}
    # the activities column adds up to the activities of the database
    assert sources["Activities"].sum() == count(seed_db_copy, "SELECT count(*) FROM project")
    # one metric per check, each the number of activities with that problem
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Without a budget"] == str(count(seed_db_copy, """
        SELECT count(*) FROM project p WHERE NOT EXISTS (
            SELECT 1 FROM budget b WHERE b.project_id = p.project_id AND b.kind = 'budget')"""))
    # the checked activities are listed with a link to their page that keeps the language
    listed = table(at, "Detail")
    assert len(listed) == count(seed_db_copy, """
        SELECT count(*) FROM project p WHERE NOT EXISTS (
            SELECT 1 FROM budget b WHERE b.project_id = p.project_id AND b.kind = 'budget')""")
    assert listed["Page"].str.startswith("projects?").all() and listed["Page"].str.contains("lang=en").all()
    assert "`activity_id`" in texts(at)  # the documented column list
    assert at.file_uploader[0].accept_multiple_files


def test_upload_is_imported_and_reported(data_app, seed_db_copy):
    before = count(seed_db_copy, "SELECT count(*) FROM project")
    at = upload(data_app(lang="en"), ("percentages.xml", (FIXTURES / "iati" / "percentages.xml").read_bytes()),
                ("deviations.xml", (FIXTURES / "iati" / "deviations.xml").read_bytes()))
    assert not at.exception
    added = count(seed_db_copy, "SELECT count(*) FROM project WHERE document_id IN "
                                "('iati:percentages.xml', 'iati:deviations.xml')")
    assert added > 0 and count(seed_db_copy, "SELECT count(*) FROM project") == before + added
    assert any(f"Imported {added} activities" in plain(s.value) for s in at.success)
    files = table(at, "Participating organisations")
    assert list(files["File"]) == ["percentages.xml", "deviations.xml"]
    assert files["Activities"].sum() == added
    # the deviations of the import, as stored with the document
    devs = table(at, "Element")
    assert len(devs) == count(seed_db_copy, "SELECT count(*) FROM import_deviation") > 0
    assert devs["File"].value_counts().to_dict() == {
        f: count(seed_db_copy, f"SELECT count(*) FROM import_deviation WHERE document_id = 'iati:{f}'")
        for f in set(devs["File"])}
    assert "deviations.xml" in set(devs["File"])
    # the sources table now lists the imported files first
    sources = table(at, "Document")
    assert list(sources["Kind"][:2]) == ["IATI file", "IATI file"]
    # the same files again: updated, not added twice
    at = upload(at, ("percentages.xml", (FIXTURES / "iati" / "percentages.xml").read_bytes()))
    assert count(seed_db_copy, "SELECT count(*) FROM project") == before + added
    assert any("Loaded again: iati:percentages.xml" in plain(i.value) for i in at.info)


def test_hostile_upload_is_refused_and_nothing_changes(data_app, seed_db_copy):
    digest = sha(seed_db_copy)
    at = upload(data_app(lang="fr"), ("evil.xml", XXE))
    assert not at.exception
    (error,) = at.error
    shown = error.value.replace("\\", "")  # markdown escapes
    assert "Rien n'a été importé" in shown and "evil.xml, line 2" in shown and "DOCTYPE" in shown
    assert sha(seed_db_copy) == digest
    # the other pages still run on the untouched data
    at.switch_page("pages/overview.py").run()
    assert not at.exception


def test_imports_can_be_turned_off(data_app, monkeypatch):
    monkeypatch.setenv("MEKONG_IMPORTS", "off")
    at = data_app(lang="en")
    assert not at.exception
    assert len(at.file_uploader) == 0
    assert any("MEKONG_IMPORTS=off" in i.value for i in at.info)


def test_an_imported_file_can_be_removed_again(data_app, seed_db_copy):
    before = count(seed_db_copy, "SELECT count(*) FROM project")
    at = upload(data_app(lang="en"), ("percentages.xml", (FIXTURES / "iati" / "percentages.xml").read_bytes()))
    assert count(seed_db_copy, "SELECT count(*) FROM project") == before + 2
    at.multiselect(key="data_remove").set_value(["iati:percentages.xml"]).run()
    at.button(key="data_remove_button").click().run()
    assert not at.exception
    assert count(seed_db_copy, "SELECT count(*) FROM project") == before
    assert any("Removed percentages.xml: 2 activities" in plain(s.value) for s in at.success)
    assert set(table(at, "Document")["Kind"]) == {"curated seed document"}


def test_where_imported_data_comes_from_reads_in_french(data_app, shared_dir):
    """The importers name a file "IATI activities: x.xml" and its publishers "A; B; C and 7
    more" in the database: a French page says both in French (sources table, report)."""
    name = "mekong_small_sample_10.xml"
    at = upload(data_app(lang="fr"), (name, (shared_dir / "testdata" / "iati" / name).read_bytes()))
    assert not at.exception
    sources = table(at, "Document")
    row = sources[sources["Fichier"] == name].iloc[0]
    assert row["Document"] == f"Activités IATI\u202f: {name}"
    assert row["Éditeur"].endswith(" et 7 autres") and " and " not in row["Éditeur"]
    report = table(at, "Organisations participantes")  # what each file holds
    assert list(report["Éditeur"]) == [row["Éditeur"]]


def test_transaction_types_in_french(app, seed_db_copy, shared_dir, monkeypatch):
    """The bundled IATI codelist names transaction types in English only: a French
    project page says them in French."""
    from mekong.importers import import_files

    assert import_files([shared_dir / "testdata" / "iati" / "mekong_small_sample_10.xml"], seed_db_copy).applied
    monkeypatch.setenv("MEKONG_DB", str(seed_db_copy))
    at = app("projects", project="XM-DAC-41114-OUTPUT-00098059", lang="fr")
    assert not at.exception
    tx = next(df.value for df in at.dataframe if "De" in df.value.columns)
    assert set(tx["Type"]) and set(tx["Type"]) <= {"Engagement reçu", "Engagement", "Décaissement", "Dépense", "Fonds reçus"}
