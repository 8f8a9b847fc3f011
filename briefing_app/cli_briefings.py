"""`briefing export` and `briefing briefings list|show|export`: briefings from the command line.

The options are the composer's (ui/composer.py): what goes in (articles, a tag, an entity,
publication dates), the title block (title, author, date, handling line, summary from a
Markdown file), the grouping and the sections. `--save` keeps them in the library as a briefing
that `briefing briefings export ID` (or the window's composer) writes again.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from briefing_app.core.export import ExportKind


def add_export_parser(sub: Any, handler: Any) -> None:
    p = sub.add_parser(
        "export",
        help="export notes as a PDF or ODT briefing, Markdown or W3C JSON-LD",
        epilog="An export that selects no note is refused (exit status 2), naming what selected nothing.",
    )
    p.add_argument("--format", choices=("pdf", "odt", "md", "w3c"), required=True)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--article", type=int, action="append", metavar="ID", help="repeatable")
    which.add_argument("--all", action="store_true", help="every article with notes (default)")
    p.add_argument("--tag", help="only notes with this tag")
    p.add_argument("--entity", metavar="NAME", help="only notes on articles that mention this entity")
    p.add_argument(
        "--from", dest="date_from", metavar="DATE", help="only articles published on or after (ISO)"
    )
    p.add_argument("--to", dest="date_to", metavar="DATE", help="only articles published on or before (ISO)")
    _add_briefing_options(p)
    p.add_argument("--save", action="store_true", help="also keep this briefing in the library")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=handler)


def _add_briefing_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--title", help="the briefing's title (default: Briefing)")
    p.add_argument("--author", help="who wrote it")
    p.add_argument("--date", help="the date printed (ISO; default: today)")
    p.add_argument(
        "--handling", metavar="LINE", help='printed at the top and bottom of every page, e.g. "INTERNAL"'
    )
    p.add_argument("--summary", metavar="FILE.md", help="the executive summary, a Markdown file")
    p.add_argument("--group-by", choices=("article", "tag", "entity"), help="how the notes are grouped")
    for section in ("key-entities", "timeline", "sources"):
        p.add_argument(
            f"--no-{section}", action="store_true", help=f"leave out the {section.replace('-', ' ')}"
        )


def add_briefings_parser(sub: Any, handler: Any) -> None:
    p = sub.add_parser("briefings", help="the briefings kept in the library: list, show, export")
    briefings = p.add_subparsers(dest="briefings_command", required=True)
    briefings.add_parser("list", help="every saved briefing, the last changed first")
    b = briefings.add_parser("show", help="what a saved briefing holds")
    b.add_argument("id", type=int)
    b = briefings.add_parser("export", help="write a saved briefing (options given here override its own)")
    b.add_argument("id", type=int)
    b.add_argument("--format", choices=("pdf", "odt", "md", "w3c"), required=True)
    _add_briefing_options(b)
    b.add_argument("-o", "--output", required=True)
    p.set_defaults(func=handler)


def _options(args: argparse.Namespace, base: Any = None) -> Any:
    """The BriefingOptions the arguments give, over `base` (a saved briefing's)."""
    from dataclasses import replace

    from briefing_app.cli import UserError
    from briefing_app.core.export.briefing import BriefingOptions

    options = base or BriefingOptions()
    changes: dict[str, object] = {}
    for name in ("title", "author", "date", "handling", "group_by"):
        value = getattr(args, name, None)
        if value is not None:
            changes[name] = value
    if getattr(args, "summary", None):
        try:
            changes["summary"] = Path(args.summary).expanduser().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(
                f"cannot read the summary {args.summary}: {getattr(exc, 'strerror', None) or exc}"
            ) from None
    for section in ("key_entities", "timeline", "sources"):
        if getattr(args, f"no_{section}", False):
            changes[section] = False
    return replace(options, **changes)


def _renderers(kind: ExportKind) -> dict[str, Any]:
    """The Qt renderers, loaded only for a PDF or an ODT."""
    if kind == "pdf":
        from briefing_app.ui.pdf import write_pdf

        return {"pdf_renderer": write_pdf}
    if kind == "odt":
        from briefing_app.ui.pdf import write_odt

        return {"odt_renderer": write_odt}
    return {}


def run_export(args: argparse.Namespace, library: Any) -> int:
    from briefing_app.cli import UserError
    from briefing_app.core.export.entry import ExportError, Selection, write_export
    from briefing_app.core.export.saved import BriefingStore, SavedBriefing

    selection = Selection(
        tuple(args.article) if args.article else None,
        args.tag,
        entity=args.entity,
        date_from=args.date_from,
        date_to=args.date_to,
    )
    options = _options(args)
    try:
        result = write_export(
            library, args.format, selection, args.output, options=options, **_renderers(args.format)
        )
    except ExportError as exc:
        raise UserError(str(exc)) from None
    print(result.summary())
    if args.save:
        saved = BriefingStore(library).save(SavedBriefing(None, options, selection))
        print(f"saved as briefing {saved.id}")
    return 0


def run_briefings(args: argparse.Namespace, library: Any) -> int:
    from briefing_app.cli import UserError
    from briefing_app.core.export.entry import ExportError, write_export
    from briefing_app.core.export.saved import BriefingNotFound, BriefingStore

    store = BriefingStore(library)
    if args.briefings_command == "list":
        for saved in store.all():
            print(f"{saved.id}\t{saved.options.title}\t{saved.describe_selection()}\t{saved.updated}")
        return 0
    try:
        saved = store.get(args.id)
    except BriefingNotFound as exc:
        raise UserError(str(exc)) from None
    if args.briefings_command == "show":
        options = saved.options
        sections = [name for name in ("key_entities", "timeline", "sources") if getattr(options, name)]
        for label, value in (
            ("id", saved.id),
            ("title", options.title),
            ("author", options.author),
            ("date", options.date or "(the day of the export)"),
            ("handling", options.handling),
            ("notes", saved.describe_selection()),
            ("grouped by", options.group_by),
            ("sections", ", ".join(sections) or "none"),
            ("updated", saved.updated),
        ):
            print(f"{label}: {value}")
        if options.summary.strip():
            print("summary:")
            print(options.summary.rstrip())
        return 0
    try:
        result = write_export(
            library,
            args.format,
            saved.selection,
            args.output,
            options=_options(args, saved.options),
            **_renderers(args.format),
        )
    except ExportError as exc:
        raise UserError(str(exc)) from None
    print(result.summary())
    return 0
