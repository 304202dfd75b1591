"""Deterministic CSV writing (UTF-8, header, '\\n' line ends, rows sorted by the caller)."""
import csv
from pathlib import Path

CURATED = Path(__file__).parent / "curated"


def write_csv(path: Path, header: list, rows: list) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return len(rows)


def read_curated(name: str) -> list:
    """A project-written table from mekong/reference/curated/ as a list of dicts."""
    with open(CURATED / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
