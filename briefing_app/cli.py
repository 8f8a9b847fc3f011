"""The `briefing` command: the window by default, subcommands for scripting."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing_app.core.paths import default_db_path
from briefing_app.logs import setup_logging

if TYPE_CHECKING:
    from briefing_app.core.notes_query import NoteFilter

log = logging.getLogger(__name__)


class UserError(Exception):
    """A mistake of the user's (bad path, unknown id, bad query): message, no traceback."""


def _db_path(args: argparse.Namespace) -> Path:
    return Path(args.db).expanduser() if args.db else default_db_path()


def _open_library(args: argparse.Namespace):
    # Imported here, not at the top: `briefing` with no subcommand must reach the window fast.
    from briefing_app.core.store import Library, LibraryError

    try:
        # An upgrade of a large library takes minutes: say what is being done meanwhile.
        return Library(_db_path(args), on_upgrade=lambda message: print(message, file=sys.stderr))
    except LibraryError as exc:
        raise UserError(str(exc)) from None


class _ProgressLine:
    """A one-line progress display on a terminal; silent when stderr is not one."""

    def __init__(self, verb: str) -> None:
        self.verb = verb
        self.enabled = sys.stderr.isatty()

    def __call__(self, done: int, total: int, what: str = "") -> None:
        if self.enabled:
            sys.stderr.write(f"\r\x1b[K{self.verb} {done}/{total} {what[-50:]}")
            sys.stderr.flush()

    def finish(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def _cmd_import(args: argparse.Namespace) -> int:
    from briefing_app.core.display import printable
    from briefing_app.core.importers import read_paths
    from briefing_app.core.store import LibraryError

    if args.watch is not None:
        return _watch_inbox(args)
    if not args.paths:
        raise UserError("import: name the files or folders to import (or --watch DIR)")
    library = _open_library(args)
    with library:
        line = _ProgressLine("importing")
        items = read_paths(args.paths, on_file=lambda n, total, file: line(n, total, printable(str(file))))
        try:
            report = library.import_items(items)
        except LibraryError as exc:  # busy for longer than a writer waits: say so, no traceback
            line.finish()
            raise UserError(str(exc)) from None
        line.finish()
        for failure in report.failed:
            print(f"briefing: skipped {failure.for_display()}", file=sys.stderr)
        print(report.summary())
        if report.duplicates and not (report.imported or report.updated):
            print("nothing new: every article is already in the library")
        if args.extract and (report.imported or report.updated):
            from briefing_app.core.extract.runner import extract_pending

            line = _ProgressLine("extracting")
            stored = extract_pending(
                library, n_process=args.jobs, progress=line, failed=_report_extraction_failure
            )
            line.finish()
            print(f"{stored} extracted")
    return 1 if report.failed and not (report.imported or report.duplicates or report.updated) else 0


def _watch_inbox(args: argparse.Namespace) -> int:
    """Import what appears in the folder until interrupted (Ctrl+C)."""
    from briefing_app.core.inbox import watch
    from briefing_app.core.model import ImportReport
    from briefing_app.core.store import LibraryError

    folder = Path(args.watch).expanduser()
    with _open_library(args) as library:

        def tell(report: ImportReport) -> None:
            for failure in report.failed:
                print(f"briefing: skipped {failure.for_display()}", file=sys.stderr)
            print(report.summary(), flush=True)
            if args.extract and (report.imported or report.updated):
                from briefing_app.core.extract.runner import extract_pending

                stored = extract_pending(library, n_process=args.jobs, failed=_report_extraction_failure)
                print(f"{stored} extracted", flush=True)

        print(f"watching {folder} (Ctrl+C to stop)", file=sys.stderr, flush=True)
        try:
            watch(folder, library, tell)
        except KeyboardInterrupt:
            print("stopped watching", file=sys.stderr)
        except (LibraryError, OSError) as exc:
            raise UserError(f"cannot watch {folder}: {exc}") from None
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    with _open_library(args) as library:
        for a in library.list_articles(limit=args.limit, order=args.sort):
            print(f"{a.id:>6}  {a.published or '':10}  {(a.source or '')[:16]:16}  {a.title}")
    return 0


def _cmd_search(args: argparse.Namespace) -> int:
    from briefing_app.core.errors import SearchRefused
    from briefing_app.core.store import LibraryError

    with _open_library(args) as library:
        try:
            results = library.search_results(args.query, limit=args.limit)
        except SearchRefused as exc:  # an answer about the query, as "no article matches" is
            print(exc, file=sys.stderr)
            return 0
        except LibraryError as exc:
            raise UserError(str(exc)) from None
    hits = results.hits
    if results.newest_first:  # stderr: the hits on stdout stay the same shape
        from briefing_app.core.store import RANKED_CANDIDATES

        print(
            f"{args.query!r} is in over {RANKED_CANDIDATES:,} articles: the most recently imported "
            "are shown, newest first, not ranked",
            file=sys.stderr,
        )
    for hit in hits:
        print(f"{hit.id:>6}  {hit.published or '':10}  {hit.title}")
        print(f"        {' '.join(hit.snippet.split())}")
    if not hits:
        # Found nothing is an answer, not a failure: exit 0 either way.
        from briefing_app.core.search_query import to_fts_query

        if not to_fts_query(args.query):
            print(f"nothing to search for in {args.query!r}: it holds no word or number", file=sys.stderr)
        else:
            print(f"no article matches {args.query!r}", file=sys.stderr)
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    from briefing_app.core.store import ArticleNotFound

    with _open_library(args) as library:
        try:
            article = library.get_article(args.id)
        except ArticleNotFound as exc:
            raise UserError(str(exc)) from None
        mentions = library.mentions(article.id)
        events = library.events(article.id)
        if args.provenance:
            from briefing_app.core import provenance

            records = provenance.provenance_of(library.db.conn, article.id)
            print(article.title)
            print("\n".join(provenance.describe(library.path, records)))
            attachments = provenance.attachments_of(library.db.conn, article.id)
            if attachments:
                print("attachments imported as articles: " + ", ".join(map(str, attachments)))
            return 0
    print(article.title)
    meta = [x for x in (article.source, article.published, article.url) if x]
    if meta:
        print(" | ".join(meta))
    print()
    print(article.text)
    if mentions:
        print("\nEntities:")
        counts: dict[tuple[str, str], int] = {}
        for m in mentions:
            counts[(m.canonical, m.label)] = counts.get((m.canonical, m.label), 0) + 1
        for (name, label), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {label:8} {name} ({n})")
    if events:
        print("\nTimeline:")
        from briefing_app.core.timeaxis import label as dates_label

        for e in events:
            print(f"  {dates_label(e):24} {' '.join(e.text.split())[:100]}")
    return 0


def _cmd_entities(args: argparse.Namespace) -> int:
    from briefing_app.core.entity_index import EntityQuery, index_csv, iter_entities
    from briefing_app.core.textnorm import iso_date

    dates = {}
    for option, value in (("--from", args.date_from), ("--to", args.date_to)):
        if value and iso_date(value) != value:
            raise UserError(f"{option} {value!r} is not a date: write it as YYYY-MM-DD")
        dates[option] = value or ""
    query = EntityQuery(
        label=(args.type or "").upper(),
        source=args.source or "",
        date_from=dates["--from"],
        date_to=dates["--to"],
        order=args.sort,
    )
    with _open_library(args) as library:
        rows = iter_entities(library, query)
        if args.csv:
            for line in index_csv(rows):
                sys.stdout.write(line)
            return 0
        for row in rows:
            dates_seen = f"{row.first_seen or '?'}..{row.last_seen or '?'}" if row.first_seen else ""
            aliases = f"  ({'; '.join(row.aliases)})" if row.aliases else ""
            print(f"{row.articles:>6} {row.mentions:>7}  {row.label:8} {dates_seen:22} {row.name}{aliases}")
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _cmd_entity(args: argparse.Namespace) -> int:
    from briefing_app.core.dossier import build_dossier, dossier_json, iter_mention_lines
    from briefing_app.core.entity_index import find_entity

    with _open_library(args) as library:
        entity = find_entity(library, args.name)
        dossier = build_dossier(library, entity) if entity else None
        if entity is None or dossier is None:
            raise UserError(f"no entity called {args.name!r} in the library (see: briefing entities)")
        mentions = list(iter_mention_lines(library, entity.entity_id))
    if args.json:
        print(dossier_json(dossier, mentions))
        return 0
    row = dossier.entity
    print(f"{row.name} ({row.label})")
    if row.aliases:
        print(f"also: {'; '.join(row.aliases)}")
    seen = f", {row.first_seen} to {row.last_seen}" if row.first_seen else ""
    print(f"{_count(row.mentions, 'mention')} in {_count(row.articles, 'article')}{seen}")
    print("\nMentions:")
    for line in mentions:
        print(f"  {line.published or '':10}  {(line.source or '')[:16]:16}  {line.left[-40:]:>40} "
              f"[{line.mention}] {line.right[:40]}")  # fmt: skip
    scope = f" (in the newest {dossier.scope_articles} articles)" if dossier.scope_is_partial else ""
    if dossier.co_mentions:
        print(f"\nIn the same sentence{scope}:")
        for co in dossier.co_mentions:
            print(f"  {co.sentences:>5}  {co.label:8} {co.name}")
    if dossier.events:
        print(f"\nEvents{scope}:")
        for event in dossier.events:
            span = event.date_start or "?"
            if event.date_end and event.date_end != event.date_start:
                span += f" .. {event.date_end}"
            print(f"  {span:24} {event.text[:100]}  [{event.source or event.title}]")
    if dossier.notes:
        print("\nNotes quoting it:")
        for note in dossier.notes:
            body = note.body.strip().splitlines()[0] if note.body.strip() else ""
            print(f"  “{' '.join(note.quote.split())[:80]}” {body[:60]}  [{note.title}]")
    return 0


def _note_line(note, article_titles: dict[int, str]) -> str:
    where = article_titles.get(note.article_id, "(no article)") if note.article_id else "(free note)"
    quote = " ".join(note.quote.split())
    first_line = note.body.strip().splitlines()[0] if note.body.strip() else ""
    tags = " ".join(f"#{t}" for t in note.tags)
    state = "" if note.anchor_state == "anchored" else f" [{note.anchor_state}]"
    return f"{note.uuid[:8]}  {where[:40]}{state}\n    \u201c{quote[:100]}\u201d {first_line[:80]} {tags}".rstrip()


def _note_filter_given(args: argparse.Namespace) -> bool:
    return any((args.search, args.color, args.entity, args.source, args.date_from, args.date_to))


def _note_filter(args: argparse.Namespace) -> NoteFilter:
    """The notes list's filters, checked: UserError names a bad colour or date."""
    from datetime import date

    from briefing_app.core.notes import NOTE_COLORS
    from briefing_app.core.notes_query import NoteFilter

    if args.color and args.color not in NOTE_COLORS:
        raise UserError(f"unknown note colour {args.color!r}; one of {', '.join(NOTE_COLORS)}")
    for option, value in (("--from", args.date_from), ("--to", args.date_to)):
        try:
            if value:
                date.fromisoformat(value)
        except ValueError:
            raise UserError(f"{option} must be a date like 2024-03-01, not {value!r}") from None
    return NoteFilter(
        text=args.search or "",
        tag=args.tag or "",
        color=args.color or "",
        entity=args.entity or "",
        source=args.source or "",
        date_from=args.date_from or "",
        date_to=args.date_to or "",
    )


def _cmd_notes(args: argparse.Namespace) -> int:
    import unicodedata

    from briefing_app.core.notes_query import list_notes
    from briefing_app.core.store import ArticleNotFound, LibraryError

    with _open_library(args) as library:
        notes = library.notes
        try:
            if args.notes_command == "add":
                article = library.get_article(args.article_id)
                quote = unicodedata.normalize("NFC", args.quote)
                start = article.text.find(quote) if quote else -1
                if start < 0:
                    raise UserError(f"the quote is not in article {article.id}: {args.quote!r}")
                try:
                    note = notes.create(
                        article.id, start, start + len(quote), body=args.body, color=args.color, tags=args.tag
                    )
                except ValueError as exc:
                    raise UserError(str(exc)) from None
                print(note.uuid)
                return 0
            if args.notes_command == "list":
                if args.article_id is not None:
                    library.get_article(args.article_id)
                    found = notes.for_article(args.article_id)
                elif _note_filter_given(args):
                    found = [row.note for row in list_notes(library, _note_filter(args))]
                else:
                    found = notes.all_notes(tag=args.tag)
            elif args.notes_command == "search":
                found = notes.search(args.query)
            else:  # import
                return _import_w3c_notes(library, Path(args.file))
        except (ArticleNotFound, LibraryError) as exc:
            raise UserError(str(exc)) from None
        titles = {a.id: a.title for a in library.list_articles()} if found else {}
    for note in found:
        print(_note_line(note, titles))
    return 0


def _import_w3c_notes(library, path: Path) -> int:
    from briefing_app.core.export.w3c import import_w3c, read_annotation_file

    try:
        report = import_w3c(library, read_annotation_file(path))
    except ValueError as exc:
        message = str(exc)
        raise UserError(message if message.startswith(str(path)) else f"{path}: {message}") from None
    for annotation_id, reason in report.skipped:
        print(f"briefing: skipped {annotation_id}: {reason}", file=sys.stderr)
    for note_uuid, reason in report.orphaned:
        print(f"briefing: orphaned note {note_uuid}: {reason}", file=sys.stderr)
    print(report.summary())
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from briefing_app.cli_briefings import run_export

    with _open_library(args) as library:
        return run_export(args, library)


def _cmd_briefings(args: argparse.Namespace) -> int:
    from briefing_app.cli_briefings import run_briefings

    with _open_library(args) as library:
        return run_briefings(args, library)


def _cmd_dates(args: argparse.Namespace) -> int:
    from briefing_app.cli_dates import run_dates

    with _open_library(args) as library:
        return run_dates(args, library)


def _cmd_screenshot(args: argparse.Namespace) -> int:
    try:
        width, height = (int(x) for x in args.size.lower().split("x"))
    except ValueError:
        raise UserError(f"--size must look like 1600x1000, not {args.size!r}") from None
    from briefing_app.ui.screenshot import save_screenshot

    return save_screenshot(
        _db_path(args),
        Path(args.out),
        args.article,
        (width, height),
        dark=args.dark,
        search=args.search,
        view=args.view,
    )


def _cmd_window(args: argparse.Namespace) -> int:
    from briefing_app.ui.app import run

    return run(_db_path(args))


def _cmd_extract(args: argparse.Namespace) -> int:
    from briefing_app.core.extract.pipeline import Extractor
    from briefing_app.core.extract.serialize import extraction_to_json

    extractor = Extractor()
    if args.stored:
        return _extract_stored(args, extractor)
    if args.jsonl:
        return _extract_jsonl(extractor, args.jobs)
    if not args.file:
        raise UserError("give a FILE, or --jsonl to read lines from standard input")
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read ({exc})") from None
    extraction = extractor.extract(text, args.published)
    print(json.dumps(extraction_to_json(extraction), ensure_ascii=False, indent=2))
    return 0


def _extract_jsonl(extractor, jobs: int | None) -> int:
    """Lines of stdin to lines of stdout; 1 when any line got an error object, else 0."""
    from briefing_app.core.extract.lines import extract_lines, json_line
    from briefing_app.core.extract.runner import default_processes

    stdin = getattr(sys.stdin, "buffer", sys.stdin)  # bytes: a line that is not UTF-8 is one bad line
    lines = failed = 0
    try:
        for result in extract_lines(stdin, extractor, n_process=jobs or default_processes()):
            sys.stdout.write(json_line(result.output))
            lines += 1
            failed += result.failed
    except OSError as exc:
        raise UserError(f"stdin: cannot read ({exc})") from None
    if failed:
        print(f"briefing: {failed} of {lines} lines failed (see their error objects)", file=sys.stderr)
    return 1 if failed else 0


def _report_extraction_failure(article_id: int, reason: str) -> None:
    print(f"briefing: article {article_id} could not be extracted: {reason}", file=sys.stderr)


def _extract_stored(args: argparse.Namespace, extractor) -> int:
    """Extraction of the library's articles: those given, or every one pending.

    With --progress-lines it speaks the protocol the window's background job reads:
    "progress DONE TOTAL" lines, then "stored N".
    """
    from briefing_app.core.extract.runner import extract_articles, extract_pending
    from briefing_app.core.store import ArticleNotFound

    def report(line: str) -> None:
        if args.progress_lines:
            print(line, flush=True)

    with _open_library(args) as library:
        if args.article:
            try:
                stored = len(extract_articles(library, args.article, extractor))
            except ArticleNotFound as exc:
                raise UserError(str(exc)) from None
        else:
            line = _ProgressLine("extracting")

            def progress(done: int, total: int) -> None:
                report(f"progress {done} {total}")
                line(done, total)

            stored = extract_pending(
                library,
                extractor,
                n_process=args.jobs,
                progress=progress,
                failed=_report_extraction_failure,
            )
            line.finish()
    report(f"stored {stored}")
    if not args.progress_lines:
        print(f"{stored} extracted")
    return 0


def _cmd_conflicts(args: argparse.Namespace) -> int:
    """Pairs of sentences that date the same happening differently (looked for again first
    when the library changed since the last look)."""
    from briefing_app.core import conflicts
    from briefing_app.core.display import printable
    from briefing_app.core.store import LibraryError

    with _open_library(args) as library:
        line = _ProgressLine("looking for conflicting dates in articles")
        try:
            conflicts.refresh_conflicts(library, progress=line)
            found = conflicts.list_conflicts(library, entity=args.entity or "")
        except LibraryError as exc:
            line.finish()
            raise UserError(str(exc)) from None
        line.finish()
    for conflict in found:
        print(
            f"{conflict.a.date_label} vs {conflict.b.date_label}: {printable(', '.join(conflict.entities))}"
        )
        for side in (conflict.a, conflict.b):
            where = printable(f"{side.source or 'no source'}, #{side.article_id} {side.title}")
            print(f"  {side.date_label}  [{where}] {printable(' '.join(side.text.split()))}")
    if not found:
        print("no conflicting dates" + (f" naming {printable(args.entity)}" if args.entity else ""))
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    from briefing_app.core import backup

    with _open_library(args) as library:
        try:
            made = backup.back_up(library.db.conn, library.path)
        except backup.BackupError as exc:
            raise UserError(str(exc)) from None
    kept = backup.list_backups(library.path)
    print(f"backed up {library.path} to {made} ({len(kept)} backups kept in {made.parent})")
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from briefing_app.core import backup

    library_path = _db_path(args)
    try:
        result = backup.restore(library_path, Path(args.file).expanduser())
    except backup.BackupError as exc:
        raise UserError(str(exc)) from None
    print(f"restored {result.library} from {result.restored_from}")
    if result.previous_copy is not None:
        print(f"the library as it was before is kept in {result.previous_copy}")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from briefing_app.core import backup
    from briefing_app.core.store import Library, LibraryDamaged, LibraryError

    try:
        library = Library(_db_path(args))
    except LibraryDamaged as exc:  # too damaged to open: that is the check's answer
        print(f"briefing: {exc}", file=sys.stderr)
        return 1
    except LibraryError as exc:
        raise UserError(str(exc)) from None
    with library:
        result = backup.check_database(library.db.conn)
    if result.healthy:
        print(f"{library.path}: library is healthy")
        return 0
    print(f"{library.path}: the library has problems:")
    for line in result.summary():
        print(f"  {line}")
    print(backup.recovery_advice(library.path))
    return 1


def _library_fault_message(exc: BaseException, args: argparse.Namespace) -> str | None:
    """One line for a fault of the library or the disk that no command turned into one;
    None for anything else (a bug, which keeps its traceback)."""
    import sqlite3

    from briefing_app.core.store import LibraryError, library_fault

    if isinstance(exc, LibraryError):
        return str(exc)
    if isinstance(exc, sqlite3.DatabaseError | OSError):
        return str(library_fault(exc, str(_db_path(args))))
    return None


def _add_global_options(parser: argparse.ArgumentParser, after_command: bool) -> None:
    """Options every command takes. After a command name they are optional again, and leave
    what was given before the command alone (SUPPRESS: no default to overwrite it with)."""
    unset = argparse.SUPPRESS if after_command else None
    parser.add_argument(
        "--db", default=unset, help="library file (default: $BRIEFING_DB, else the user data dir)"
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=unset if after_command else False,
        help="also print the log on stderr (it is always kept in the log folder)",
    )


class _CommandParser(argparse.ArgumentParser):
    """A subcommand's parser: it takes the global options too, so that `briefing list --db X`
    works as well as `briefing --db X list` (and so for commands added later)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _add_global_options(self, after_command=True)


def build_parser() -> argparse.ArgumentParser:
    from briefing_app import __version__

    parser = argparse.ArgumentParser(prog="briefing", description=__doc__)
    _add_global_options(parser, after_command=False)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--install-desktop",
        action="store_true",
        help="add Briefing Reader to the desktop's application menu (for this user) and exit",
    )
    sub = parser.add_subparsers(dest="command", parser_class=_CommandParser)

    p = sub.add_parser(
        "import",
        help="import files or folders into the library",
        epilog="Each input that cannot be imported is named on stderr and the rest goes on. Exit "
        "status: 0 when anything was imported or already in the library, 1 when every input failed.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument(
        "--watch",
        metavar="DIR",
        help="import what appears in DIR (created if missing) until interrupted; files already "
        "imported are skipped",
    )
    p.add_argument(
        "--no-extract",
        dest="extract",
        action="store_false",
        help="only store the articles; extraction runs later (in the app)",
    )
    p.add_argument(
        "--jobs", type=int, default=None, help="processes for extraction (default: the cores, at most 2)"
    )
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("list", help="list the library's articles")
    p.add_argument("--sort", choices=("published", "title", "source", "imported"), default="published")
    p.add_argument("--limit", type=int, default=-1)
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser("search", help='full-text search (FTS5 syntax: AND OR NOT "phrase" pre*)')
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20)
    p.set_defaults(func=_cmd_search)

    p = sub.add_parser("show", help="print one article with its entities and timeline")
    p.add_argument("id", type=int)
    p.add_argument(
        "--provenance",
        action="store_true",
        help="print where it came from (file, size, SHA-256, importer, ...)",
    )
    p.set_defaults(func=_cmd_show)

    p = sub.add_parser(
        "entities", help="the entity index: every entity with its articles, mentions, dates, aliases"
    )
    p.add_argument("--type", metavar="T", help="only entities of this type (PERSON, ORG, GPE, ...)")
    p.add_argument("--source", metavar="S", help="count only articles from this source")
    p.add_argument(
        "--from", dest="date_from", metavar="D", help="count only articles dated D (YYYY-MM-DD) or later"
    )
    p.add_argument("--to", dest="date_to", metavar="D", help="count only articles dated D or earlier")
    p.add_argument(
        "--sort",
        choices=("name", "type", "articles", "mentions", "first_seen", "last_seen"),
        default="articles",
    )
    p.add_argument("--csv", action="store_true", help="CSV with the header name,type,articles,mentions,...")
    p.set_defaults(func=_cmd_entities)

    p = sub.add_parser("entity", help="an entity's dossier: mentions in context, co-mentions, events, notes")
    p.add_argument("name", metavar="NAME", help="its name, an alias or a short name (Lavrov)")
    p.add_argument("--json", action="store_true", help="the dossier as JSON, with every mention")
    p.set_defaults(func=_cmd_entity)

    p = sub.add_parser("notes", help="add, list, search and import notes on passages")
    notes_sub = p.add_subparsers(dest="notes_command", required=True)
    n = notes_sub.add_parser("add", help="a note on the first occurrence of an exact passage")
    n.add_argument("article_id", type=int)
    n.add_argument("--quote", required=True, help="the exact passage, as in the article")
    n.add_argument("--body", default="", help="the note, in Markdown")
    n.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    n.add_argument("--color", default="yellow")
    n = notes_sub.add_parser("list", help="the notes of one article, or all (filtered: newest first)")
    n.add_argument("article_id", type=int, nargs="?")
    n.add_argument("--tag", help="only notes with this tag")
    n.add_argument("--search", help="only notes whose quote or body has these words")
    n.add_argument("--color", help="only notes of this colour")
    n.add_argument("--entity", help="only notes whose quote mentions this entity (name or alias)")
    n.add_argument("--source", help="only notes on articles from this source")
    n.add_argument("--from", dest="date_from", help="only notes on articles published on or after")
    n.add_argument("--to", dest="date_to", help="only notes on articles published on or before")
    n = notes_sub.add_parser("search", help="full-text search of quotes and bodies (FTS5 syntax)")
    n.add_argument("query")
    n = notes_sub.add_parser("import", help="import W3C Web Annotation JSON-LD")
    n.add_argument("file")
    p.set_defaults(func=_cmd_notes)

    from briefing_app.cli_briefings import add_briefings_parser, add_export_parser

    add_export_parser(sub, _cmd_export)
    add_briefings_parser(sub, _cmd_briefings)

    from briefing_app.cli_dates import add_dates_parser

    add_dates_parser(sub, _cmd_dates)

    p = sub.add_parser("screenshot", help="render the window offscreen with an article open, to a PNG")
    p.add_argument("out", metavar="OUT.png")
    p.add_argument("--article", type=int, help="article id (default: the newest)")
    p.add_argument("--size", default="1600x1000", help="window size, WIDTHxHEIGHT")
    p.add_argument("--dark", action="store_true", help="with a dark palette (Fusion style)")
    p.add_argument("--search", default="", help="with this search typed in the library pane")
    p.add_argument(
        "--view",
        default="reader",
        help="the view to show: reader (default), or a library-wide view such as entities, "
        "dossier:ENTITY, timeline, conflicts, notes",
    )
    p.set_defaults(func=_cmd_screenshot)

    p = sub.add_parser(
        "extract",
        help="print entities, dates and events of a text",
        epilog="With --jsonl, each stdin line gets one stdout line, in order: its extraction, or "
        '{"id": ..., "error": "..."} when the line is not usable; the run goes on. '
        "Exit status: 0 when every line was extracted, 1 when some line failed, 2 for a usage error.",
    )
    p.add_argument("file", nargs="?", help="a text file")
    p.add_argument(
        "--jsonl",
        action="store_true",
        help='read {"id","text","published"} lines on stdin, write one JSON line per line (see below)',
    )
    p.add_argument("--published", help="publication date (YYYY-MM-DD) for relative dates")
    p.add_argument(
        "--jobs", type=int, default=None, help="processes for spaCy (default: the cores, at most 2)"
    )
    p.add_argument(
        "--stored",
        action="store_true",
        help="extract the library's articles whose extraction is missing or stale",
    )
    p.add_argument(
        "--article",
        type=int,
        action="append",
        metavar="ID",
        help="with --stored: extract this article again (repeatable)",
    )
    p.add_argument("--progress-lines", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=_cmd_extract)

    p = sub.add_parser("conflicts", help="happenings that two articles date differently")
    p.add_argument("--entity", metavar="NAME", help="only those naming this entity")
    p.set_defaults(func=_cmd_conflicts)

    p = sub.add_parser("backup", help="copy the library to backups/ beside it (the newest 7 are kept)")
    p.set_defaults(func=_cmd_backup)

    p = sub.add_parser(
        "restore", help="replace the library with a backup (the current one is backed up first)"
    )
    p.add_argument("file", metavar="FILE", help="a backup, e.g. from the backups/ folder")
    p.set_defaults(func=_cmd_restore)

    p = sub.add_parser("check", help="check the library for damage and say what to do")
    p.set_defaults(func=_cmd_check)
    return parser


def _install_desktop() -> int:
    from briefing_app.core.desktop import install_desktop_entry

    try:
        entry = install_desktop_entry()
    except OSError as exc:
        raise UserError(f"cannot add the menu entry: {exc}") from None
    print(f"added {entry} to the application menu")
    return 0


def main(argv: list[str] | None = None) -> int:
    from briefing_app import __version__

    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(verbose=args.verbose)
    log.info("briefing %s: %s", __version__, args.command or "window")
    try:
        if args.install_desktop:
            return _install_desktop()
        if args.command is None:
            return _cmd_window(args)
        return args.func(args)
    except UserError as exc:
        log.info("refused: %s", exc)
        print(f"briefing: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`briefing list | head`): not an error of ours.
        sys.stderr.close()
        return 0
    except Exception as exc:
        message = _library_fault_message(exc, args)
        # The traceback goes to the log either way; the user sees one line for a fault of
        # the library or the disk, the traceback only for a bug.
        log.exception("briefing %s failed", args.command or "window")
        if message is None:
            raise
        print(f"briefing: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
