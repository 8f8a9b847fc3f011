"""The `briefing` command: the window by default, subcommands for scripting."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


class UserError(Exception):
    """A mistake of the user's (bad path, unknown id, bad query): message, no traceback."""


def _cmd_extract(args: argparse.Namespace) -> int:
    from briefing_app.core.extract.pipeline import Extractor
    from briefing_app.core.extract.serialize import extraction_to_json

    extractor = Extractor()
    if args.jsonl:
        rows = []
        for lineno, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                rows.append((row.get("id"), row["text"], row.get("published")))
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise UserError(f"stdin line {lineno}: not an object with a 'text' ({exc})")
        results = extractor.extract_many(((text, pub) for _, text, pub in rows), n_process=args.jobs)
        for (id_, _, _), extraction in zip(rows, results):
            sys.stdout.write(json.dumps(extraction_to_json(extraction, id_), ensure_ascii=False) + "\n")
        return 0
    if not args.file:
        raise UserError("give a FILE, or --jsonl to read lines from standard input")
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read ({exc})")
    extraction = extractor.extract(text, args.published)
    print(json.dumps(extraction_to_json(extraction), ensure_ascii=False, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefing", description=__doc__)
    parser.add_argument("--db", help="library file (default: $BRIEFING_DB, else the user data dir)")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("extract", help="print entities, dates and events of a text")
    p.add_argument("file", nargs="?", help="a text file")
    p.add_argument("--jsonl", action="store_true", help='read {"id","text","published"} lines on stdin')
    p.add_argument("--published", help="publication date (YYYY-MM-DD) for relative dates")
    p.add_argument("--jobs", type=int, default=1, help="processes for spaCy (default 1)")
    p.set_defaults(func=_cmd_extract)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except UserError as exc:
        print(f"briefing: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
