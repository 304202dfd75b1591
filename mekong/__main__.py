"""Command line: python -m mekong <command> ... (python -m mekong --help)."""
import argparse
import sys
from pathlib import Path

from mekong.views.english import count


def _build(args) -> int:
    from mekong.store.build import build

    path = build(args.db, force=args.force)
    print(f"built {path}")
    return 0


def _restore(args) -> int:
    from mekong.paths import default_db_path
    from mekong.store import freshness
    from mekong.store.health import DamagedDatabase, backup_path
    from mekong.store.swap import restore

    db = Path(args.db or default_db_path())
    backup = backup_path(db)
    if not backup.exists():
        print(f"error: there is no backup {backup} to restore (an import keeps one when it replaces the "
              "database); 'python -m mekong build --force' builds the default portfolio again", file=sys.stderr)
        return 1
    try:
        imported = freshness.read(backup)[1]
    except DamagedDatabase as e:
        print(f"error: the backup cannot be read either: {e.problem}; nothing was changed", file=sys.stderr)
        return 1
    restore(db)
    print(f"restored {db} from {backup} ({count(imported, 'imported file')})")
    return 0


def _import(args) -> int:
    from mekong.importers import import_files
    from mekong.paths import default_db_path

    report = import_files(args.files, args.db or default_db_path(), max_bytes=int(args.max_mb * 2**20),
                          all_countries=args.all_countries)
    print(report.summary(max_deviations=args.deviations))
    return 0 if report.applied else 1


def _remove(args) -> int:
    from mekong.importers import remove_imports
    from mekong.paths import default_db_path

    n = remove_imports(args.documents, args.db or default_db_path())
    print(f"removed {count(n, 'activity')}")
    return 0


def _fetch(args) -> int:
    from mekong.importers import live
    from mekong.importers.fetch import Settings
    from mekong.paths import default_db_path

    settings = Settings(timeout=args.timeout, retries=args.retries, pause=args.pause,
                        max_bytes=int(args.max_mb * 2**20))
    db = args.db or default_db_path()
    bar = _ProgressLine(sys.stderr)
    try:
        if args.url:
            report = live.fetch_url(args.url, db, settings=settings, progress=bar)
        else:
            report = live.fetch_countries(args.country, db, limit=args.page_size, settings=settings,
                                          fresh=args.fresh, progress=bar)
    except KeyboardInterrupt:
        bar.done()
        print("interrupted: nothing was changed; the pages received are kept, run the same command again "
              "to continue where it stopped", file=sys.stderr)
        return 130
    bar.done()
    print(report.summary(max_deviations=args.deviations))
    return 0 if report.applied else 1


class _ProgressLine:
    """The fetch's progress on the terminal: one line rewritten in place (a line now and
    then when the output is not a terminal)."""

    def __init__(self, stream):
        self.stream, self.tty, self.last, self.shown = stream, stream.isatty(), 0.0, False

    def __call__(self, p) -> None:
        import time

        now = time.monotonic()
        if p.phase == "fetch" and now - self.last < (0.1 if self.tty else 5.0):
            return
        self.last = now
        where = f"{p.country} " if p.country else ""
        cached = f", {p.from_cache} from the cache" if p.from_cache else ""
        line = {"import": f"importing {count(p.activities, 'activity')} from {count(p.pages, 'page')} ...",
                "retry": f"{p.note}"}.get(p.phase, f"{where}pages {p.pages:,}{cached} | {count(p.activities, 'activity')} | "
                                                   f"{p.rate:,.0f} activities/s | {p.seconds:,.0f} s")
        if self.tty:
            self.stream.write("\r\x1b[2K" + line[:200])
            self.shown = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False


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


def _totals(args) -> int:
    from mekong.exports.totals import BadQuery, as_csv, as_json, totals
    from mekong.store.build import ensure_built
    from mekong.store.db import Portfolio

    portfolio = Portfolio(ensure_built(args.db))
    try:
        result = totals(portfolio, args.query or "", args.by)
    except BadQuery as e:
        print(f"bad --query: {e}", file=sys.stderr)
        return 2
    sys.stdout.write(as_json(result) + "\n" if args.format == "json" else as_csv(result))
    return 0


def _mekong_country(value: str) -> str:
    from mekong.importers.dportal import COUNTRIES

    code = value.strip().upper()
    if code not in COUNTRIES:
        raise argparse.ArgumentTypeError(f"'{value}' is not one of the Mekong countries {', '.join(COUNTRIES)}")
    return code


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mekong", description="Mekong cooperation dashboard tools")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build the database of the default portfolio from data/")
    p.add_argument("--db", type=Path, help="database file (default: data/mekong.duckdb or $MEKONG_DB)")
    p.add_argument("--force", action="store_true",
                   help="also replace a database that holds imported files or cannot be read")
    p.set_defaults(run=_build)

    p = sub.add_parser("restore", help="put back the database as it was before the last import "
                                       "(the backup each import keeps beside it, e.g. mekong.duckdb.bak)")
    p.add_argument("--db", type=Path, help="database file (default: data/mekong.duckdb or $MEKONG_DB)")
    p.set_defaults(run=_restore)

    p = sub.add_parser("import", help="import IATI activity XML or the spreadsheet template (CSV, XLSX): "
                                      "all files or none; exit status 0 when applied, 1 when refused")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help=".xml, .csv or .xlsx files")
    p.add_argument("--db", type=Path, help="database file (default: data/mekong.duckdb or $MEKONG_DB)")
    p.add_argument("--max-mb", type=float, default=50, help="refuse files bigger than this (default 50 MB)")
    p.add_argument("--deviations", type=int, default=20, metavar="N", help="print the first N deviations")
    p.add_argument("--all-countries", action="store_true",
                   help="keep every activity; by default those that concern no Mekong country, place or region are left out")
    p.set_defaults(run=_import)

    p = sub.add_parser("remove", help="take imported files out of the database (curated documents stay)")
    p.add_argument("documents", nargs="+", metavar="DOCUMENT_ID", help="e.g. iati:file.xml (as the Data page lists them)")
    p.add_argument("--db", type=Path, help="database file (default: data/mekong.duckdb or $MEKONG_DB)")
    p.set_defaults(run=_remove)

    p = sub.add_parser("fetch", help="fetch live IATI data - every activity reported for Mekong countries "
                                     "(d-portal's Q API, $MEKONG_DPORTAL_URL) or one activity file from an address - "
                                     "and import it all or nothing; exit status 0 when applied, 1 when not")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--country", action="append", type=_mekong_country, metavar="CC",
                      help="KH, LA, MM, TH or VN (repeatable): one document per country, replacing its last fetch")
    what.add_argument("--url", help="the address (http or https) of one IATI activity file, e.g. a publisher's file")
    p.add_argument("--db", type=Path, help="database file (default: data/mekong.duckdb or $MEKONG_DB)")
    p.add_argument("--page-size", type=int, default=100, metavar="N", help="activities per page (default 100)")
    p.add_argument("--fresh", action="store_true", help="forget the pages kept from a run that stopped")
    p.add_argument("--timeout", type=float, default=60, metavar="S", help="seconds per request (default 60)")
    p.add_argument("--retries", type=int, default=4, help="tries again after a network error or 5xx (default 4)")
    p.add_argument("--pause", type=float, default=0.5, metavar="S", help="seconds between requests (default 0.5)")
    p.add_argument("--max-mb", type=float, default=50, help="refuse a page or file bigger than this (default 50 MB)")
    p.add_argument("--deviations", type=int, default=20, metavar="N", help="print the first N deviations")
    p.set_defaults(run=_fetch)

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

    p = sub.add_parser("totals", help="the figures the dashboard shows for a view, as JSON or CSV (exit status 2 "
                                      "for a bad query)")
    p.add_argument("--query", help='the URL query string of the view, e.g. "donor=lu-government&country=LA&ccy=USD&flow=disbursement"')
    p.add_argument("--by", choices=["donor", "implementer", "sector", "country", "province", "year", "none"], default="none",
                   help="the breakdown, as the chart by it shows it (default: none, the total only)")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.add_argument("--db", type=Path, help="database file (default: data/mekong.duckdb or $MEKONG_DB)")
    p.set_defaults(run=_totals)

    args = parser.parse_args(argv)
    return _run(args)


def _run(args) -> int:
    """The command, with the failures of the database file said in one line (exit status 1),
    never as a traceback."""
    from mekong.store.build import HoldsImports
    from mekong.store.freshness import OutdatedDatabase
    from mekong.store.health import DamagedDatabase
    from mekong.store.swap import WriteRefused

    try:
        return args.run(args)
    except (DamagedDatabase, WriteRefused, HoldsImports, OutdatedDatabase) as e:
        print(f"error: {e}", file=sys.stderr)
    except OSError as e:
        where = f" {e.filename}" if e.filename else ""
        print(f"error:{where}: {e.strerror or e}; nothing was changed", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
