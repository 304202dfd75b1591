"""Faults: a damaged database is never replaced in silence, each import keeps a backup that
`restore` puts back, a killed import leaves nothing behind, a full disk or a read-only
folder is a one-line refusal (exit status 1) with the database unchanged, a database
removed while the app runs is said as such."""
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mekong.importers import import_files
from mekong.store import freshness
from mekong.store.build import HoldsImports, build, ensure_built
from mekong.store.health import DamagedDatabase, backup_path

ROOT = Path(__file__).resolve().parents[1]
IATI = ROOT / "tests" / "fixtures" / "iati" / "legacy_103.xml"


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def cli(*args, env=None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mekong", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})}, **kw)


@pytest.fixture()
def with_import(seed_db, tmp_path) -> Path:
    """A database holding one imported file (and its backup, the seed portfolio)."""
    db = tmp_path / "db" / "mekong.duckdb"
    db.parent.mkdir()
    shutil.copyfile(seed_db, db)
    assert import_files([IATI], db).applied
    return db


@pytest.fixture()
def truncated(with_import) -> Path:
    data = with_import.read_bytes()
    with_import.write_bytes(data[: len(data) // 2])
    return with_import


def test_an_import_keeps_the_previous_file_and_restore_puts_it_back(seed_db, with_import):
    assert sha(backup_path(with_import)) == sha(seed_db)
    assert freshness.read(with_import)[1] == 1
    before = sha(with_import)
    assert import_files([ROOT / "tests" / "fixtures" / "iati" / "mixed_currencies.xml"], with_import).applied
    assert sha(backup_path(with_import)) == before  # one backup: the file just replaced
    r = cli("restore", "--db", with_import)
    assert r.returncode == 0, r.stderr
    assert sha(with_import) == before and "1 imported file" in r.stdout


def test_restore_without_a_backup_says_so(tmp_path, seed_db):
    db = tmp_path / "mekong.duckdb"
    shutil.copyfile(seed_db, db)
    r = cli("restore", "--db", db)
    assert r.returncode == 1 and "no backup" in r.stderr and "Traceback" not in r.stderr


def test_a_truncated_database_with_imports_is_never_rebuilt(truncated):
    before = sha(truncated)
    with pytest.raises(DamagedDatabase) as e:
        ensure_built(truncated)
    text = str(e.value)
    assert str(truncated) in text and "cannot be read" in text
    assert "python -m mekong restore" in text and "build --force" in text
    report = import_files([IATI], truncated)
    assert not report.applied and str(truncated) in report.reason and "restore" in report.reason
    with pytest.raises(DamagedDatabase):
        build(truncated)
    assert sha(truncated) == before


@pytest.mark.parametrize("command", [["totals"], ["import", str(IATI)], ["build"], ["slides", "--out", "x.pptx"],
                                     ["remove", "iati:legacy_103.xml"]])
def test_the_command_line_stops_on_a_truncated_database(truncated, command, tmp_path):
    before = sha(truncated)
    r = cli(*command, "--db", truncated)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert "Traceback" not in out
    assert str(truncated) in out and "python -m mekong restore" in out and "build --force" in out
    assert sha(truncated) == before


def test_build_force_and_restore_recover_a_truncated_database(truncated, seed_db):
    good_backup = sha(backup_path(truncated))
    r = cli("build", "--force", "--db", truncated)
    assert r.returncode == 0, r.stderr
    assert freshness.read(truncated)[1] == 0
    assert sha(backup_path(truncated)) == good_backup  # a damaged file never replaces the backup
    r = cli("restore", "--db", truncated)
    assert r.returncode == 0 and sha(truncated) == sha(seed_db)


def test_build_refuses_to_drop_imports_without_force(with_import):
    before = sha(with_import)
    with pytest.raises(HoldsImports, match="build --force"):
        build(with_import)
    assert sha(with_import) == before
    build(with_import, force=True)
    assert freshness.read(with_import)[1] == 0
    assert sha(backup_path(with_import)) == before  # the imports can be restored


def test_an_empty_database_file_is_built(tmp_path):
    db = tmp_path / "mekong.duckdb"
    db.write_bytes(b"")
    ensure_built(db)
    assert freshness.read(db)[0]["schema_hash"] == freshness.schema_hash()


def test_the_app_stops_with_the_recovery_on_a_truncated_database(app, truncated, monkeypatch):
    before = sha(truncated)
    monkeypatch.setenv("MEKONG_DB", str(truncated))
    at = app()
    assert not at.exception
    shown = " ".join(e.value for e in at.error) + " ".join(c.value for c in at.code)
    assert "cannot open its database" in shown
    assert str(truncated) in shown and "python -m mekong restore" in shown and "build --force" in shown
    assert sha(truncated) == before


def test_a_database_removed_while_the_app_runs_is_said(app, seed_db, tmp_path, monkeypatch):
    db = tmp_path / "mekong.duckdb"
    shutil.copyfile(seed_db, db)
    monkeypatch.setenv("MEKONG_DB", str(db))
    at = app()
    assert not at.exception and not at.error
    db.unlink()
    at.run()
    assert not at.exception
    assert "no longer there" in " ".join(e.value for e in at.error)


KILLABLE = textwrap.dedent("""
    import sys, time
    from mekong.store import swap
    real = swap.os.replace
    def slow(src, dst):  # the import is killed after its copy is written, before the swap
        print("copied", flush=True); time.sleep(60); real(src, dst)
    swap.os.replace = slow
    from mekong.importers import import_files
    import_files([sys.argv[1]], sys.argv[2])
""")


def test_a_killed_import_leaves_nothing_behind(seed_db, tmp_path):
    db = tmp_path / "mekong.duckdb"
    shutil.copyfile(seed_db, db)
    before = sha(db)
    proc = subprocess.Popen([sys.executable, "-c", KILLABLE, str(IATI), str(db)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "copied"
        left = list(tmp_path.glob("mekong.duckdb.tmp-*"))
        assert left and left[0].stat().st_size > 1_000_000
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert list(tmp_path.glob("mekong.duckdb.tmp-*")) and sha(db) == before
    ensure_built(db)  # the next start
    assert not list(tmp_path.glob("*.tmp-*")) and sha(db) == before
    # and the next import, when a killed one left its copy again
    (tmp_path / "mekong.duckdb.tmp-1-dead").write_bytes(b"x" * 1000)
    assert import_files([IATI], db).applied
    assert not list(tmp_path.glob("*.tmp-*"))


# ---------------------------------------------------------------- full disk, read-only folder
# A small tmpfs in a mount namespace of our own (unshare: no root needed where user
# namespaces are allowed); where that is not possible, a limit on the size of the files
# the process writes (RLIMIT_FSIZE) stands in for the full disk.

def _namespace() -> bool:
    if not shutil.which("unshare"):
        return False
    r = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"], capture_output=True)
    return r.returncode == 0


def _in_small_disk(tmp_path: Path, db: Path, mb: int, command: list[str], read_only: bool = False):
    """Run the command line on a copy of `db` in a tmpfs of `mb` MB; returns the result and
    whether the copy was unchanged."""
    disk = tmp_path / "disk"
    disk.mkdir()
    inner = disk / db.name
    remount = f"mount -o remount,ro {disk} &&" if read_only else ""
    script = (f"mount -t tmpfs -o size={mb}m tmpfs {disk} && cp {db} {inner} && sha256sum {inner} > {tmp_path}/before "
              f"&& {remount} cd {ROOT} && {sys.executable} -m mekong {' '.join(command)} --db {inner}; "
              f"echo $? > {tmp_path}/rc; sha256sum {inner} > {tmp_path}/after; ls {disk} > {tmp_path}/ls")
    r = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=120)
    rc = int((tmp_path / "rc").read_text())
    same = (tmp_path / "before").read_text().split()[0] == (tmp_path / "after").read_text().split()[0]
    return rc, r.stdout + r.stderr, same, (tmp_path / "ls").read_text().split()


def test_a_full_disk_is_a_refusal_with_the_database_unchanged(seed_db, tmp_path):
    if _namespace():
        # room for the database but not for its copy
        mb = seed_db.stat().st_size // 2**20 + 8
        rc, out, same, files = _in_small_disk(tmp_path, seed_db, mb, ["import", str(IATI)])
    else:  # RLIMIT_FSIZE: every file the process writes is capped at 1 MB
        db = tmp_path / "mekong.duckdb"
        shutil.copyfile(seed_db, db)
        before = sha(db)
        code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_FSIZE, (2**20, 2**20)); "
                "from mekong.__main__ import main; sys.exit(main(sys.argv[1:]))")
        r = subprocess.run([sys.executable, "-c", code, "import", str(IATI), "--db", str(db)], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
        rc, out, same, files = r.returncode, r.stdout + r.stderr, sha(db) == before, os.listdir(tmp_path)
    assert rc == 1, out
    assert "Traceback" not in out and "nothing was changed" in out
    assert "No space left on device" in out or "File too large" in out
    assert same
    assert not [f for f in files if ".tmp-" in f]


def test_a_read_only_folder_is_a_refusal(seed_db, tmp_path):
    if _namespace():
        rc, out, same, _ = _in_small_disk(tmp_path, seed_db, 64, ["import", str(IATI)], read_only=True)
    elif os.geteuid() != 0:
        folder = tmp_path / "ro"
        folder.mkdir()
        db = folder / "mekong.duckdb"
        shutil.copyfile(seed_db, db)
        (folder / "mekong.duckdb.lock").touch()
        before = sha(db)
        folder.chmod(0o555)
        try:
            r = cli("import", IATI, "--db", db)
        finally:
            folder.chmod(0o755)
        rc, out, same = r.returncode, r.stdout + r.stderr, sha(db) == before
    else:
        pytest.skip("no mount namespace and running as root: a read-only folder cannot be made")
    assert rc == 1, out
    assert "Traceback" not in out and "nothing was changed" in out
    assert "Read-only file system" in out or "Permission denied" in out
    assert same


def test_a_whole_file_with_free_blocks_at_its_end_is_not_taken_for_a_cut_one(tmp_path):
    """DuckDB leaves the free blocks at the end of a file unwritten: the file is shorter
    than all the blocks its header counts, and still whole (seen after an import and an
    update: 119 blocks counted, 40 free, the file one block short)."""
    import duckdb

    db = tmp_path / "free.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE big AS SELECT range AS i, repeat('x', 200) AS s FROM range(400000)")
        con.execute("CREATE TABLE small AS SELECT 1 AS one")
        con.execute("CHECKPOINT")
        con.execute("DROP TABLE big")
        con.execute("CHECKPOINT")
    with duckdb.connect(":memory:") as con:
        con.execute("ATTACH $p AS f (READ_ONLY)", {"p": str(db)})
        total, used = con.execute("SELECT total_blocks, used_blocks FROM pragma_database_size() "
                                  "WHERE database_name = 'f'").fetchone()
    assert used < total  # the case at hand: free blocks in the file
    assert freshness.read(db) == ({}, 0)  # read as whole: no meta table, no imports
    # a file cut short of its blocks in use is damaged
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])
    with pytest.raises(DamagedDatabase):
        freshness.read(db)


def test_the_data_page_says_a_full_disk_and_changes_nothing(app, seed_db, tmp_path, monkeypatch):
    """The page's import on a disk that is full once the import copies the database
    (monkeypatched: AppTest runs in this process, so no tmpfs here)."""
    import errno

    from mekong.store import swap
    from tests.test_data_page import plain, upload

    db = tmp_path / "mekong.duckdb"
    shutil.copyfile(seed_db, db)
    monkeypatch.setenv("MEKONG_DB", str(db))
    at = app("data", lang="en")
    before = sha(db)

    def full(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))

    monkeypatch.setattr(swap.shutil, "copyfile", full)
    at = upload(at, ("legacy_103.xml", IATI.read_bytes()))
    assert not at.exception
    shown = plain(" ".join(e.value for e in at.error))
    assert "No space left on device" in shown and "nothing was changed" in shown
    assert sha(db) == before and not list(tmp_path.glob("*.tmp-*"))
