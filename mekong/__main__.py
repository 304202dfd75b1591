"""Command line: python -m mekong <command> ... (python -m mekong --help)."""
import argparse
import sys
from pathlib import Path


def _build(args) -> int:
    from mekong.store.build import build

    path = build(args.db)
    print(f"built {path}")
    return 0


def _import(args) -> int:
    from mekong.importers import import_files
    from mekong.paths import default_db_path

    report = import_files(args.files, args.db or default_db_path(), max_bytes=int(args.max_mb * 2**20))
    print(report.summary(max_deviations=args.deviations))
    return 0 if report.applied else 1


def _remove(args) -> int:
    from mekong.importers import remove_imports
    from mekong.paths import default_db_path

    n = remove_imports(args.documents, args.db or default_db_path())
    print(f"removed {n} activities")
    return 0


def _template(args) -> int:
    from mekong.importers.template import write_template

    for path in write_template(args.out, args.lang):
        print(path)
    return 0


def _synth(args) -> int:
    import time

    from mekong.store.synth import SynthRefused, generate

    started = time.perf_counter()
    try:
        counts = generate(args.db, args.projects, seed=args.seed)
    except SynthRefused as e:
        print(f"refused: {e}", file=sys.stderr)
        return 2
    rows = ", ".join(f"{n:,} {table}" for table, n in counts.items())
    print(f"synthetic portfolio (not real data) in {args.db}: {rows} ({time.perf_counter() - started:.1f} s)")
    return 0


def _view(args):
    from mekong.exports.view import view_from_query
    from mekong.store.build import ensure_built
    from mekong.store.db import Portfolio

    portfolio = Portfolio(ensure_built(args.db))
    pages = tuple(args.page) if args.page else None
    view = view_from_query(portfolio, args.query or "", args.lang, **({"pages": pages} if pages else {}))
    for i in view.ignored:
        print(f"ignored {i.param}={i.value!r}: {i.reason}", file=sys.stderr)
    return portfolio, view


def _slides(args) -> int:
    from mekong.exports.slides import write_deck

    write_deck(*_view(args), args.out)
    print(f"wrote {args.out}")
    return 0


def _brief(args) -> int:
    from mekong.exports.brief import write_brief

    write_brief(*_view(args), args.out)
    print(f"wrote {args.out}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mekong", description="Mekong cooperation dashboard tools")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build the database of the default portfolio from data/")
    p.add_argument("--db", type=Path, help="database file (default: data/mekong.duckdb or $MEKONG_DB)")
    p.set_defaults(run=_build)

    p = sub.add_parser("import", help="import IATI activity XML or the spreadsheet template (CSV, XLSX): "
                                      "all files or none; exit status 0 when applied, 1 when refused")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help=".xml, .csv or .xlsx files")
    p.add_argument("--db", type=Path, help="database file (default: data/mekong.duckdb or $MEKONG_DB)")
    p.add_argument("--max-mb", type=float, default=50, help="refuse files bigger than this (default 50 MB)")
    p.add_argument("--deviations", type=int, default=20, metavar="N", help="print the first N deviations")
    p.set_defaults(run=_import)

    p = sub.add_parser("remove", help="take imported files out of the database (curated documents stay)")
    p.add_argument("documents", nargs="+", metavar="DOCUMENT_ID", help="e.g. iati:file.xml (as the Data page lists them)")
    p.add_argument("--db", type=Path, help="database file (default: data/mekong.duckdb or $MEKONG_DB)")
    p.set_defaults(run=_remove)

    p = sub.add_parser("template", help="write the spreadsheet import template (XLSX and CSV files)")
    p.add_argument("--out", type=Path, required=True, help="directory to write into")
    p.add_argument("--lang", choices=["en", "fr"], default="en", help="language of the workbook's README sheet")
    p.set_defaults(run=_template)

    p = sub.add_parser("synth", help="generate a synthetic portfolio (not real data) for benchmarks and load tests")
    p.add_argument("--projects", type=int, required=True, help="number of activities (about 10 budget and 10 transaction rows each)")
    p.add_argument("--db", type=Path, required=True, help="database file to create (never the default database)")
    p.add_argument("--seed", type=int, default=0, help="random seed (the same seed gives the same portfolio)")
    p.set_defaults(run=_synth)

    for name, run, suffix, what in (("slides", _slides, ".pptx", "a 16:9 PowerPoint deck of a view"),
                                    ("brief", _brief, ".pdf", "a print-ready PDF brief (A4) of a view")):
        p = sub.add_parser(name, help=what)
        p.add_argument("--out", type=Path, required=True, help=f"the {suffix} file to write")
        p.add_argument("--lang", choices=["en", "fr"], help="language (default: the query's lang, else en)")
        p.add_argument("--query", help='the URL query string of the view (a share link\'s part after "?"), e.g. '
                                       '"donor=lu-government&country=LA&ccy=USD&flow=disbursement&note-by-year=..."')
        p.add_argument("--page", action="append", choices=["overview", "funding", "timeline", "map"],
                       help="only the charts of this page (repeatable; default: all)")
        p.add_argument("--db", type=Path, help="database file (default: data/mekong.duckdb or $MEKONG_DB)")
        p.set_defaults(run=run)

    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
