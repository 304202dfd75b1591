"""Command line: python -m mekong <command> ... (python -m mekong --help)."""
import argparse
import sys
from pathlib import Path


def _build(args) -> int:
    from mekong.build import build

    path = build(args.db)
    print(f"built {path}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mekong", description="Mekong cooperation dashboard tools")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build the database of the default portfolio from data/")
    p.add_argument("--db", type=Path, help="database file (default: data/mekong.duckdb or $MEKONG_DB)")
    p.set_defaults(run=_build)

    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
