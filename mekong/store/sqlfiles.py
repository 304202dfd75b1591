"""Reading the project's .sql files: whole scripts, labelled checks, named parameters."""
import re
from functools import lru_cache
from pathlib import Path

from mekong.paths import QUERIES_DIR, SQL_DIR

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")
_STRING = re.compile(r"'(?:[^']|'')*'")


@lru_cache(maxsize=None)
def script(name: str) -> str:
    """A script from mekong/store/sql/, e.g. script('schema')."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def query(name: str) -> tuple[str, tuple[str, ...]]:
    """A query from queries/ and the names of the $parameters it uses."""
    path = QUERIES_DIR / f"{name}.sql"
    if not re.fullmatch(r"[a-z0-9_]+", name) or not path.is_file():
        raise KeyError(f"no query named {name!r} in {QUERIES_DIR}")
    sql = path.read_text(encoding="utf-8")
    return sql, parameter_names(sql)


def parameter_names(sql: str) -> tuple[str, ...]:
    code = _STRING.sub("''", _COMMENT.sub("", sql))
    return tuple(dict.fromkeys(_PARAM.findall(code)))


def labelled_statements(name: str) -> list[tuple[str, str]]:
    """The statements of a mekong/store/sql/ script, each under its '-- check: label' line."""
    parts = re.split(r"^-- check: (.+)$", script(name), flags=re.M)
    return [(label.strip(), sql.strip().rstrip(";")) for label, sql in zip(parts[1::2], parts[2::2])]


def all_queries() -> list[str]:
    return sorted(p.stem for p in Path(QUERIES_DIR).glob("*.sql"))
