"""Files and folders -> article candidates (ArticleDraft), or ImportFailure with a reason.

Reading never raises for bad input: every file that cannot be read, and every entry or line
of a file that cannot, comes out as an ImportFailure while the rest goes on.

A folder is read recursively, in sorted path order, taking every file whose suffix is in
SUPPORTED_SUFFIXES. Other files in a folder are skipped silently, and so are hidden files and
folders (".git", ".DS_Store"): a folder of saved web pages is full of their images, scripts and
stylesheets, and a failure for each would bury the real ones. A file named explicitly that has
an unsupported suffix is a failure.

For a progress bar: `input_files(path)` lists the files `read_path(path)` opens, in order;
`read_file(file)` reads one of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from briefing_app.core.importers.feed import read_feed
from briefing_app.core.importers.files import UnreadableInput
from briefing_app.core.importers.html import read_html
from briefing_app.core.importers.jsonl import read_json, read_jsonl
from briefing_app.core.importers.text import read_markdown, read_plain_text
from briefing_app.core.model import ArticleDraft, ImportFailure

ImportItem = ArticleDraft | ImportFailure

_READERS: dict[str, Callable[[Path], Iterator[ImportItem]]] = {
    ".txt": read_plain_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".xml": read_feed,
    ".rss": read_feed,
    ".atom": read_feed,
    ".jsonl": read_jsonl,
    ".json": read_json,
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(sorted(_READERS))


def input_files(path: str | os.PathLike[str]) -> list[Path]:
    """The files `read_path(path)` reads: a folder's supported files, else the path itself."""
    path = Path(path)
    if not path.is_dir():
        return [path]
    found: list[Path] = []
    for folder, subfolders, names in os.walk(path):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        found.extend(
            Path(folder, name)
            for name in names
            if not name.startswith(".") and Path(name).suffix.lower() in _READERS
        )
    return sorted(found)


def count_inputs(paths: Iterable[str | os.PathLike[str]]) -> int:
    """How many files reading these paths opens (the total of a progress bar)."""
    return sum(len(input_files(path)) for path in paths)


def read_path(path: str | os.PathLike[str]) -> Iterator[ImportItem]:
    """Article candidates and failures of a file or of every supported file in a folder."""
    path = Path(path)
    if not path.exists():
        yield ImportFailure(str(path), "no such file or folder")
        return
    for file in input_files(path):
        yield from read_file(file)


def read_file(path: str | os.PathLike[str]) -> Iterator[ImportItem]:
    """Article candidates and failures of one file, read by the reader of its suffix."""
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        kind = f"'{path.suffix}'" if path.suffix else "without a suffix"
        supported = ", ".join(SUPPORTED_SUFFIXES)
        yield ImportFailure(str(path), f"unsupported file type {kind} (supported: {supported})")
        return
    if not path.is_file():
        reason = "no such file" if not path.exists() else "not a regular file"
        yield ImportFailure(str(path), reason)
        return
    try:
        yield from reader(path)
    except UnreadableInput as exc:
        yield ImportFailure(str(path), exc.reason)


def read_paths(
    paths: Iterable[str | os.PathLike[str]],
    on_file: Callable[[int, int, Path], None] | None = None,
) -> Iterator[ImportItem]:
    """read_path over several paths; on_file(number, total, file) before each file is read.

    Progress counts files, not articles: a feed or JSON-lines file holds many articles, and
    its number of entries is only known once it has been read.
    """
    files = [file for path in paths for file in input_files(path)]
    for number, file in enumerate(files, 1):
        if on_file is not None:
            on_file(number, len(files), file)
        if not file.exists():
            yield ImportFailure(str(file), "no such file or folder")
        else:
            yield from read_file(file)
