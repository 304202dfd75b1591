"""Writing the database file safely.

Readers (the dashboard) keep the file open read only, and DuckDB will not let a writer
open a file another process holds. So every change is made on a new file - built from
scratch or copied from the current one - and then renamed over the old one with
os.replace(), which is atomic: a reader sees the old database or the new one, never a
half-written one. A lock file serialises writers so two imports cannot both copy the
same old file and lose one another's change.

Each change that starts from the current file keeps that file as one backup beside it
(`mekong.duckdb.bak`, a hard link: no copy is made) for `python -m mekong restore`. The
temporary copy of a writer that was killed is removed by the next writer, or by the next
start when no writer is at work. A failure to write (a full disk, a read-only folder) is
raised as WriteRefused, the database file untouched.
"""
import errno
import fcntl
import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

import duckdb

from mekong.store.health import backup_path


class WriteRefused(Exception):
    """The database folder cannot be written (full, read only, not allowed); nothing changed."""

    def __init__(self, target: Path, error: Exception):
        reason = getattr(error, "strerror", None) or str(error).strip().splitlines()[0]
        self.target, self.reason = Path(target), reason
        super().__init__(f"cannot write the database beside {self.target} ({reason}), so nothing was changed; "
                         "free some space or make the folder writable, then try again")


_WRITE_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT, errno.EFBIG}
_WRITE_WORDS = ("no space left", "read-only file system", "permission denied", "file too large", "quota")


def _cannot_write(e: Exception) -> bool:
    """A full disk, a read-only folder, a folder not ours (from Python or from DuckDB)."""
    if isinstance(e, OSError):
        return e.errno in _WRITE_ERRNOS
    return any(w in str(e).lower() for w in _WRITE_WORDS)


def _lock_path(target: Path) -> Path:
    return target.with_name(target.name + ".lock")


@contextmanager
def writer_lock(target: Path):
    lock_path = _lock_path(target)
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        lock = open(lock_path, "a")
    except OSError as e:
        raise WriteRefused(target, e) from None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        try:
            p.unlink()
        except FileNotFoundError:
            pass


def _stale(target: Path) -> list[Path]:
    """Temporary files of writers (of the database and of its backup)."""
    return [p for pattern in (f"{target.name}.tmp-*", f"{backup_path(target).name}.tmp-*")
            for p in target.parent.glob(pattern)]


def _remove_stale(target: Path) -> list[Path]:
    """Called with the writer lock held: no writer is at work, so every temporary file
    beside the database was left by one that was killed."""
    gone = _stale(target)
    for p in gone:
        _remove(p)
    return gone


def clean_stale(target: Path) -> list[Path]:
    """At start: remove what killed writers left, unless a writer is at work now (then
    its next writer will). Returns the files removed."""
    target = Path(target)
    if not _stale(target):
        return []
    try:
        lock = open(_lock_path(target), "a")
    except OSError:
        return []
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return []
        try:
            return _remove_stale(target)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _keep_backup(target: Path) -> None:
    """The current file becomes the backup: a hard link (a copy where links are not allowed)
    made under a temporary name, then renamed over the previous backup."""
    backup = backup_path(target)
    tmp = backup.with_name(f"{backup.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        try:
            os.link(target, tmp)
        except OSError:
            shutil.copyfile(target, tmp)
        os.replace(tmp, backup)
    finally:
        _remove(tmp)


def restore(target: Path) -> Path:
    """Put the backup back in place of the database file (the backup stays)."""
    target = Path(target)
    backup = backup_path(target)
    if not backup.exists():
        raise FileNotFoundError(backup)
    with writer_lock(target):
        tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        try:
            shutil.copyfile(backup, tmp)
            os.replace(tmp, target)
        except OSError as e:
            raise WriteRefused(target, e) from None
        finally:
            _remove(tmp)
    return backup


def replace_with(target: Path, fill: Callable[[duckdb.DuckDBPyConnection], None], *, start_from_current: bool,
                 backup: bool | None = None) -> None:
    """Make a new database file with `fill` and put it in place of `target`.

    With start_from_current the new file starts as a copy of `target` (an import);
    otherwise it starts empty (a build). `fill` runs inside one transaction: if it
    raises, nothing is renamed and `target` is untouched. The file replaced is kept as the
    backup when `backup` (by default: when the new file starts from it). Raises
    WriteRefused when the folder cannot be written.
    """
    target = Path(target)
    backup = start_from_current if backup is None else backup
    with writer_lock(target):
        _remove_stale(target)
        tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        try:
            if start_from_current:
                shutil.copyfile(target, tmp)
            con = duckdb.connect(str(tmp))
            try:
                con.execute("BEGIN TRANSACTION")
                fill(con)
                con.execute("COMMIT")
                con.execute("CHECKPOINT")
            finally:
                con.close()
            if backup and target.exists():
                _keep_backup(target)
            os.replace(tmp, target)
        except (OSError, duckdb.IOException) as e:
            if _cannot_write(e):
                raise WriteRefused(target, e) from None
            raise
        finally:
            _remove(tmp)
