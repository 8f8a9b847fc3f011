"""`briefing dates ID`: an article's dates, and the analyst's corrections of them.

The window's "This Date Means…" and "Not a Date" (the timeline's and the text pane's menus),
from the command line: `--set N VALUE` gives date N its meaning (a day, month, quarter or
year: 2024-10-03, 2024-10, 2024-Q4, 2024), `--not-a-date N` says it is none. A correction is
kept in the library and survives a re-extraction, as in the window.
"""

from __future__ import annotations

import argparse
from typing import Any

# Why a date is what it is, for the anchors inference_reason leaves to the caller.
_ANCHOR_REASONS = {
    "absolute": "written in full",
    "dateline": "dateline: dates the article",
    "publication": "counted from the publication date",
    "previous": "counted from the date before it",
    "unresolved": "nothing to count from",
}


def add_dates_parser(sub: Any, handler: Any) -> None:
    p = sub.add_parser(
        "dates",
        help="list an article's dates with why each is what it is; correct one",
        epilog="Numbers are those the listing gives. A value is a day (2024-10-03), a month "
        "(2024-10), a quarter (2024-Q4) or a year (2024).",
    )
    p.add_argument("id", type=int, help="article id")
    change = p.add_mutually_exclusive_group()
    change.add_argument("--set", nargs=2, metavar=("N", "VALUE"), help="date N means VALUE")
    change.add_argument("--not-a-date", type=int, metavar="N", help="date N is not a date")
    p.set_defaults(func=handler)


def precision_of(value: str) -> str:
    """The precision a typed value is written at (2024-10-03 day, 2024-10 month, 2024-Q4
    quarter, 2024 year); "day" for one that is none, which check_value then refuses."""
    from briefing_app.core.datecorrections import PRECISIONS

    return next((precision for precision, shape in PRECISIONS.items() if shape.match(value)), "day")


def run_dates(args: argparse.Namespace, library: Any) -> int:
    from briefing_app.cli import UserError
    from briefing_app.core.datecorrections import (
        DateCorrection,
        check_value,
        correct_stored,
        inference_reason,
    )
    from briefing_app.core.store import ArticleNotFound
    from briefing_app.core.timeaxis import readable

    try:
        article = library.get_article(args.id)
    except ArticleNotFound as exc:
        raise UserError(str(exc)) from None
    timexes = library.timexes(article.id)
    if args.set is not None or args.not_a_date is not None:
        number = int(args.set[0]) if args.set is not None else args.not_a_date
        if not 1 <= number <= len(timexes):
            raise UserError(f"article {article.id} has no date {number} (it has {len(timexes)})")
        timex = timexes[number - 1]
        if args.set is not None:
            value = args.set[1]
            precision = precision_of(value)
            try:
                check_value(value, precision)
            except ValueError as exc:
                raise UserError(str(exc)) from None
            correction = DateCorrection(timex.start, timex.end, timex.text, value, precision)
            said = f"“{timex.text}” now means {readable(value)}"
        else:
            correction = DateCorrection(timex.start, timex.end, timex.text, None)
            said = f"“{timex.text}” is no longer a date"
        correct_stored(library, article.id, correction)
        print(f"{said} (article {article.id}; kept through re-extraction)")
        timexes = library.timexes(article.id)
    if not timexes:
        print(
            f"article {article.id} has no dates" + ("" if article.extracted_with else " (not extracted yet)")
        )
        return 0
    for number, timex in enumerate(timexes, start=1):
        value = readable(timex.value) if timex.value else "?"
        reason = inference_reason(timex, article.published) or _ANCHOR_REASONS.get(timex.anchor, timex.anchor)
        print(f"{number:>3}  {value:20}  {' '.join(timex.text.split())[:40]:40}  {reason}")
    return 0
