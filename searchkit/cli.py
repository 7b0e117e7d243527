"""The command line: parse options, call the library, format the output.

    searchkit QUERY                      shorthand for `searchkit search QUERY`
    searchkit search|index|stats|show|entities|timeline|repl …

Exit codes: 0 results (or all files indexed), 1 a search matched nothing,
2 usage or input errors, 3 `index` finished but some files failed,
130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from . import interrupt

EXIT_OK, EXIT_NO_MATCH, EXIT_ERROR, EXIT_PARTIAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
COMMANDS = ("search", "index", "stats", "show", "entities", "timeline", "repl", "cooccur", "similar",
            "explain", "optimize", "fetch-corenlp")
DEFAULT_INDEX = "index"
DEFAULT_INPUT = "seeds"
PASSWORD_ENV = "SEARCHKIT_OPENSEARCH_PASSWORD"
CA_ENV = "SEARCHKIT_OPENSEARCH_CA"
CLUSTER_OPTIONS = ("ca_file", "shards", "replicas", "origin")  # the engine options a folder has none of


def use_color(stream) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def _width() -> int:
    return min(shutil.get_terminal_size((100, 24)).columns, 120)


def _add_index_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--index", default=DEFAULT_INDEX, metavar="DIR|URL",
                        help=f"index folder (default: {DEFAULT_INDEX}/), or an index on a cluster: "
                             "opensearch://HOST:PORT/INDEX, opensearch+https://USER@HOST:PORT/INDEX "
                             f"(the password from {PASSWORD_ENV})")
    parser.add_argument("--trust-index", action="store_true",
                        help="open the index even if other users own or can write to it "
                             "(it holds pickled data; see docs/robustness.md)")
    parser.add_argument("--ca-file", metavar="FILE",
                        help=f"CA bundle to verify an opensearch+https cluster (or set {CA_ENV})")


def _count(least: int):
    """An argparse type: a whole number of at least `least`."""

    def parse(text: str) -> int:
        if not text.isdigit() or int(text) < least:
            raise argparse.ArgumentTypeError(f"a whole number of at least {least}, not {text!r}")
        return int(text)

    return parse


def _field(text: str) -> tuple[str, str]:
    """An argparse type: FIELD=COLUMN (`--field text=content`)."""
    name, equals, column = text.partition("=")
    if not equals or not name.strip() or not column.strip():
        raise argparse.ArgumentTypeError(f"FIELD=COLUMN, e.g. text=content, not {text!r}")
    return name.strip(), column.strip()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="searchkit",
        description="Search an archive of news articles. `searchkit QUERY` searches the default index.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    search = sub.add_parser("search", help="search the index (the default command)")
    search.add_argument("query", nargs="+", help="the query (see the README's syntax reference)")
    search.add_argument("--limit", type=int, default=10, metavar="N", help="hits per page (default 10)")
    search.add_argument("--page", type=int, default=1, metavar="N", help="page number (default 1)")
    search.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    search.add_argument("--plain", action="store_true", help="plain words: no operators or fields")
    search.add_argument("--feedback", action=argparse.BooleanOptionalAction, default=None,
                        help="rank the matches again with words of the best few (default: on with --plain)")
    search.add_argument("--facets", action="store_true", help="also show top entities of all matches")
    search.add_argument("--json", action="store_true", help="JSON Lines, one hit per line")
    search.add_argument("--copies", action="store_true",
                        help="show copies of one story as hits of their own (default: folded as +N similar)")
    search.add_argument("--recent", type=float, nargs="?", const=1.0, default=0.0, metavar="W",
                        help="favour recent articles (score × 1 + W·0.5^(age/30 days); W default 1)")
    search.add_argument("--all", action="store_true", help="export every match (streams; see --format)")
    search.add_argument("--format", choices=("jsonl", "csv"), default="jsonl",
                        help="format of --all (default jsonl)")
    _add_index_option(search)
    _add_search_tools(sub)

    index = sub.add_parser("index", help="add, update and remove articles from files and folders")
    index.add_argument("paths", nargs="*", metavar="PATH",
                       help=f"files or folders (default: the index's own folders, else {DEFAULT_INPUT}/)")
    index.add_argument("--rebuild", action="store_true",
                       help="build the index anew (on a cluster: a new index, switched to when complete)")
    index.add_argument("--aliases", metavar="FILE",
                       help="entity alias file to merge and suppress names (copied into the index)")
    index.add_argument("--field", type=_field, action="append", metavar="FIELD=COLUMN",
                       help="the CSV column or JSON key of an article field, e.g. text=content "
                            "(repeatable; kept by the index for later runs)")
    index.add_argument("--extractor", metavar="NAME",
                       help="entity extractor: rules (the default), corenlp (the rules checked by "
                            "Stanford CoreNLP's tagger; fetch it first with: searchkit fetch-corenlp) or "
                            "package.module:Name; kept by the index for later runs")
    index.add_argument("--json", action="store_true", help="the summary as JSON")
    index.add_argument("--no-wait", action="store_true",
                       help="stop with an error instead of waiting while another 'searchkit index' writes")
    index.add_argument("--shards", type=_count(1), metavar="N", help="cluster only: primary shards of a new index")
    index.add_argument("--replicas", type=_count(0), metavar="M", help="cluster only: replicas of each shard of a new index")
    index.add_argument("--origin", metavar="NAME",
                       help="cluster only: the machine these files belong to; a sync removes only "
                            "its own articles (default: $SEARCHKIT_ORIGIN, else this machine's host name)")
    _add_index_option(index)

    fetch = sub.add_parser("fetch-corenlp",
                           help="download Stanford CoreNLP's tagger (GPL, 41 MB kept) for --extractor corenlp")
    fetch.add_argument("--dir", metavar="DIR",
                       help="where to keep it (default: $SEARCHKIT_CORENLP_HOME, else ~/.cache/searchkit/)")

    optimize = sub.add_parser("optimize", help="merge the index's segments: faster searches on a large index")
    optimize.add_argument("--segments", type=_count(1), default=1, metavar="N",
                          help="merge into at most N segments (default 1)")
    _add_index_option(optimize)

    stats = sub.add_parser("stats", help="article count, date span, top entities")
    stats.add_argument("--json", action="store_true")
    _add_index_option(stats)

    show = sub.add_parser("show", help="print one whole article by id")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    _add_index_option(show)

    entities = sub.add_parser("entities", help="most mentioned people, organisations, places")
    entities.add_argument("query", nargs="*", help="count within this query's matches (default: all)")
    entities.add_argument("--kind", choices=("person", "org", "place"))
    entities.add_argument("--top", type=int, default=10, metavar="N")
    entities.add_argument("--json", action="store_true")
    _add_index_option(entities)

    timeline = sub.add_parser("timeline", help="matches over time, as bars")
    timeline.add_argument("query", nargs="+")
    timeline.add_argument("--interval", choices=("auto", "day", "week", "month", "year"), default="auto")
    timeline.add_argument("--normalise", action="store_true", help="divide by all articles per bucket")
    timeline.add_argument("--json", action="store_true")
    timeline.add_argument("--csv", action="store_true")
    _add_index_option(timeline)

    repl = sub.add_parser("repl", help="the interactive search prompt")
    _add_index_option(repl)
    return parser


def _normalise_argv(argv: list[str]) -> list[str]:
    """`searchkit QUERY …` means `searchkit search QUERY …`."""
    first = next((i for i, arg in enumerate(argv) if not arg.startswith("-")), None)
    if first is not None and argv[first] not in COMMANDS:
        return argv[:first] + ["search"] + argv[first:]
    return argv


def console() -> int:
    """The `searchkit` command (and `python -m searchkit`): main() with a Ctrl-C that never
    lands inside a destructor (searchkit/interrupt.py), then a Ctrl-C that comes while the
    interpreter shuts down is ignored: the work is done by then."""
    interrupt.install()
    try:
        code = main()
    except KeyboardInterrupt:  # came as main() returned
        print("searchkit: interrupted", file=sys.stderr)
        code = EXIT_INTERRUPTED
    finally:
        interrupt.ignore()
    return code


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:  # also while the parser is still being built
        print("searchkit: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _main(argv: list[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not argv:
        if sys.stdin.isatty() and sys.stdout.isatty():
            argv = ["repl"]
        else:
            parser.print_help(sys.stderr)
            return EXIT_ERROR
    if argv[0] in ("-h", "--help"):
        parser.print_help()
        return EXIT_OK
    args = parser.parse_args(_normalise_argv(argv))
    try:
        return HANDLERS[args.command](args)
    except KeyboardInterrupt:
        print("searchkit: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 — the one place that turns errors into a line
        if _while_interrupted(exc) and not os.environ.get("SEARCHKIT_DEBUG"):
            print("searchkit: interrupted", file=sys.stderr)
            return EXIT_INTERRUPTED
        return report_error(exc)


def _while_interrupted(exc: BaseException) -> bool:
    """Whether `exc` was raised while a Ctrl-C unwound the work (in a cleanup it ran): the
    interruption is what happened, not an internal error."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__context__
    return False


def report_error(exc: Exception) -> int:
    """One readable line on stderr, never a traceback (SEARCHKIT_DEBUG=1 shows it)."""
    from .errors import SearchkitError

    if os.environ.get("SEARCHKIT_DEBUG"):
        raise exc
    if isinstance(exc, SearchkitError):
        hint = f" (hint: {exc.hint})" if exc.hint else ""
        print(f"searchkit: error: {exc}{hint}", file=sys.stderr)
    else:
        print(f"searchkit: internal error: {type(exc).__name__}: {exc} "
              "(please report it; SEARCHKIT_DEBUG=1 shows the details)", file=sys.stderr)
    return EXIT_ERROR


def _options(args) -> dict:
    """The engine options given on the command line (--ca-file, --shards, …): a
    cluster's; for an index folder, which has none, giving one is an error."""
    from .api import is_cluster
    from .errors import SearchkitError

    given = {name: getattr(args, name) for name in CLUSTER_OPTIONS if getattr(args, name, None) is not None}
    if given and not is_cluster(args.index):
        flags = ", ".join("--" + name.replace("_", "-") for name in given)
        raise SearchkitError(f"{flags}: only for an index on a cluster, and {args.index!r} is a folder",
                             hint="leave it out, or use --index opensearch://HOST:PORT/INDEX")
    return given


def _open(args):
    from .api import open_index

    return open_index(args.index, trust=args.trust_index, **_options(args))


def _emit(text: str) -> None:
    if text:
        print(text)


def _add_search_tools(sub) -> None:
    cooccur = sub.add_parser("cooccur", help="entities that appear most with an entity or query")
    cooccur.add_argument("query", nargs="+", help='e.g. "person:Faiz Hamid"')
    cooccur.add_argument("--top", type=int, default=10, metavar="N")
    cooccur.add_argument("--json", action="store_true")
    _add_index_option(cooccur)
    similar = sub.add_parser("similar", help="articles like the one with this id")
    similar.add_argument("id")
    similar.add_argument("--limit", type=int, default=10, metavar="N")
    similar.add_argument("--json", action="store_true")
    _add_index_option(similar)
    explain = sub.add_parser("explain", help="why an article scores what it does for a query")
    explain.add_argument("id")
    explain.add_argument("query", nargs="+")
    explain.add_argument("--recent", type=float, nargs="?", const=1.0, default=0.0, metavar="W")
    explain.add_argument("--plain", action="store_true", help="plain words, as search --plain")
    explain.add_argument("--feedback", action=argparse.BooleanOptionalAction, default=None,
                         help="explain the ranking with feedback words (default: on with --plain, as search)")
    _add_index_option(explain)


def _export(args, query: str) -> int:
    """Every match, streamed: JSON Lines or CSV, one line per hit as it is read."""
    from .render.json import hits_csv, hits_jsonl

    count = 0
    with _open(args) as ix:
        hits = ix.iter_all(query, sort=args.sort, syntax=not args.plain, recency=args.recent,
                           feedback=args.feedback)
        for line in (hits_csv if args.format == "csv" else hits_jsonl)(hits):
            print(line)
            count += 1
    return EXIT_OK if count > (args.format == "csv") else EXIT_NO_MATCH


def _print_results(results, as_json: bool) -> int:
    if as_json:
        from .render.json import hits_jsonl

        for line in hits_jsonl(results.hits):
            print(line)
    else:
        from .render.text import format_results

        _emit(format_results(results, color=use_color(sys.stdout), width=_width()))
    return EXIT_OK if results.total else EXIT_NO_MATCH


def cmd_search(args) -> int:
    query = " ".join(args.query)
    if args.all:
        return _export(args, query)
    with _open(args) as ix:
        results = ix.search(query, limit=args.limit, page=args.page, sort=args.sort,
                            syntax=not args.plain, facets=10 if args.facets else 0,
                            recency=args.recent, group=not args.copies, feedback=args.feedback)
    if args.json:  # JSON Lines carry the hits only; the text page shows its warnings itself
        for warning in results.warnings:
            print(f"searchkit: warning: {warning}", file=sys.stderr)
    return _print_results(results, args.json)


class _Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or not total or (done % 20 and done != total):
            return
        width = 30
        filled = round(width * done / total)
        sys.stderr.write(f"\rindexing [{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 70 + "\r")
            sys.stderr.flush()


def cmd_index(args) -> int:
    from .api import index_lock

    def waiting() -> None:
        print(f"searchkit: another 'searchkit index' is writing to {args.index}; waiting for it "
              "to finish (Ctrl-C to stop)", file=sys.stderr, flush=True)

    options, fields, progress = _options(args), _fields(args), _Progress()
    with index_lock(args.index, wait=0.0 if args.no_wait else None, on_wait=waiting):
        ix = _open_to_write(args, options)
        paths = args.paths or ix.roots or [DEFAULT_INPUT]
        if args.aliases:
            ix.set_aliases(args.aliases)
        try:
            with ix:
                if args.rebuild:
                    report = ix.rebuild(paths, progress=progress, **fields, **_extractor(args), **_layout(args))
                else:
                    report = ix.update(paths, progress=progress, **fields, **_extractor(args))
        finally:
            progress.close()
    if args.json:
        from .render.json import report_record, to_json

        print(to_json(report_record(report)))
    else:
        from .render.text import format_report

        for line in format_report(report, color=use_color(sys.stderr)).splitlines():
            print(line, file=sys.stderr if line.startswith(("warning:", "failed:")) else sys.stdout)
    return EXIT_PARTIAL if report.failures else EXIT_OK


def _fields(args) -> dict:
    """The --field mapping as update()'s `fields` (none given: the index's own)."""
    return {"fields": dict(args.field)} if args.field else {}


def _extractor(args) -> dict:
    """--extractor as update()'s `extractor` (none given: SEARCHKIT_EXTRACTOR's, else the index's)."""
    return {"extractor": args.extractor} if args.extractor else {}


def cmd_fetch_corenlp(args) -> int:
    from .analysis.corenlp_files import fetch_corenlp

    def say(message: str) -> None:
        print(f"searchkit: {message}", file=sys.stderr, flush=True)

    files = fetch_corenlp(Path(args.dir) if args.dir else None, progress=say)
    say(f"CoreNLP's tagger is ready in {files.jar.parent}; index with: searchkit index --extractor corenlp")
    print(files.jar.parent)
    return EXIT_OK


def _layout(args) -> dict:
    """--shards / --replicas for a cluster rebuild (else the old index's)."""
    return {name: getattr(args, name) for name in ("shards", "replicas") if getattr(args, name, None) is not None}


def _open_to_write(args, options: dict):
    """The index to update, created when there is none; to rebuild, even one this
    searchkit cannot read (made by another version)."""
    from .api import SearchIndex
    from .errors import SchemaMismatch

    try:
        return SearchIndex.open_or_create(args.index, args.trust_index, **options)
    except SchemaMismatch:
        if not args.rebuild:
            raise
        return SearchIndex.create(args.index, args.trust_index, **options)


def cmd_stats(args) -> int:
    with _open(args) as ix:
        stats = ix.stats()
    if args.json:
        from .render.json import stats_record, to_json

        print(to_json(stats_record(stats)))
    else:
        from .render.text import format_stats

        print(format_stats(stats, color=use_color(sys.stdout)))
    return EXIT_OK


def cmd_optimize(args) -> int:
    from .errors import SearchkitError

    with _open(args) as ix:
        if not hasattr(ix, "optimize"):
            raise SearchkitError("optimize works on an index folder", hint="a cluster merges its own segments")
        report = ix.optimize(max_segments=args.segments, wait=None)
    print(f"{report.segments_before} segments -> {report.segments_after} "
          f"({report.articles_merged:,} articles merged in {report.seconds:.1f} s)")
    return EXIT_OK


def cmd_show(args) -> int:
    with _open(args) as ix:
        article = ix.get(args.id)
    if args.json:
        from .render.json import to_json

        print(to_json(article))
    else:
        from .render.text import format_article

        print(format_article(article, color=use_color(sys.stdout), width=_width()))
    return EXIT_OK


def cmd_entities(args) -> int:
    query = " ".join(args.query) or None
    with _open(args) as ix:
        facets = ix.entities(query, top=args.top)
    if args.kind:
        facets = tuple(f for f in facets if f.kind == args.kind)
    return _print_facets(facets, args.json)


def _print_facets(facets, as_json: bool) -> int:
    if as_json:
        from .render.json import facets_records, to_json

        print(to_json(facets_records(facets)))
    else:
        from .render.text import format_entity_table

        print(format_entity_table(facets, color=use_color(sys.stdout)))
    return EXIT_OK if any(f.values for f in facets) else EXIT_NO_MATCH


def cmd_timeline(args) -> int:
    query = " ".join(args.query)
    with _open(args) as ix:
        interval, buckets = ix.timeline(query, interval=args.interval, normalise=args.normalise)
    if args.json or args.csv:
        from .render.json import timeline_records, to_json

        records = timeline_records(buckets)
        if args.json:
            print(to_json({"interval": interval, "buckets": records}))
        else:
            print("start,label,count,total")
            for r in records:
                print(f"{r['start']},{r['label']},{r['count']},{r['total']}")
    else:
        from .render.text import format_timeline

        print(format_timeline(interval, buckets, color=use_color(sys.stdout), width=_width(),
                              normalise=args.normalise))
    return EXIT_OK if buckets else EXIT_NO_MATCH


def cmd_repl(args) -> int:
    from .api import trust_indexes
    from .repl.app import run_repl

    # the REPL opens the index from several threads: the options go through the environment
    if _options(args).get("ca_file"):
        os.environ[CA_ENV] = args.ca_file
    if args.trust_index:
        trust_indexes()
    return run_repl(args.index)


def cmd_cooccur(args) -> int:
    with _open(args) as ix:
        facets = ix.cooccur(" ".join(args.query), top=args.top)
    return _print_facets(facets, args.json)


def cmd_similar(args) -> int:
    with _open(args) as ix:
        results = ix.similar(args.id, limit=args.limit)
    return _print_results(results, args.json)


def cmd_explain(args) -> int:
    with _open(args) as ix:
        explanation = ix.explain(" ".join(args.query), args.id, syntax=not args.plain, recency=args.recent,
                                 feedback=args.feedback)
    print("\n".join(explanation.lines()))
    return EXIT_OK if explanation.matched else EXIT_NO_MATCH


HANDLERS = {
    "search": cmd_search,
    "index": cmd_index,
    "stats": cmd_stats,
    "show": cmd_show,
    "entities": cmd_entities,
    "timeline": cmd_timeline,
    "repl": cmd_repl,
    "cooccur": cmd_cooccur,
    "similar": cmd_similar,
    "explain": cmd_explain,
    "optimize": cmd_optimize,
    "fetch-corenlp": cmd_fetch_corenlp,
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
