"""Files and folders -> article candidates (ArticleDraft), or ImportFailure with a reason.

Reading never raises for bad input: every file that cannot be read, and every entry or line
of a file that cannot, comes out as an ImportFailure while the rest goes on.

A folder is read recursively, in sorted path order, taking every file whose suffix is in
SUPPORTED_SUFFIXES. Other files in a folder are skipped silently, and so are hidden files and
folders (".git", ".DS_Store"): a folder of saved web pages is full of their images, scripts and
stylesheets, and a failure for each would bury the real ones. A file named explicitly that has
an unsupported suffix is a failure.

A folder that cannot be listed (no permission) is a failure naming it, and so is a path that
cannot be looked at; the rest goes on.

For a progress bar: `input_files(path)` lists the files `read_path(path)` opens, in order;
`read_file(file)` reads one of them.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from briefing_app.core.importers.feed import read_feed
from briefing_app.core.importers.fileorigin import with_file_facts
from briefing_app.core.importers.files import UnreadableInput, unexpected_error_reason
from briefing_app.core.importers.html import read_html
from briefing_app.core.importers.jsonl import read_json, read_jsonl
from briefing_app.core.importers.mail import read_eml, read_mbox, read_mhtml
from briefing_app.core.importers.office import read_docx, read_odt
from briefing_app.core.importers.pdf import read_pdf
from briefing_app.core.importers.text import read_markdown, read_plain_text
from briefing_app.core.model import ArticleDraft, ImportFailure

log = logging.getLogger(__name__)

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
    ".pdf": read_pdf,
    ".eml": read_eml,
    ".mbox": read_mbox,
    ".mhtml": read_mhtml,
    ".mht": read_mhtml,
    ".docx": read_docx,
    ".odt": read_odt,
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(sorted(_READERS))


def input_files(path: str | os.PathLike[str]) -> list[Path]:
    """The files `read_path(path)` reads: a folder's supported files, else the path itself."""
    return [entry for entry in _inputs(Path(path)) if isinstance(entry, Path)]


def count_inputs(paths: Iterable[str | os.PathLike[str]]) -> int:
    """How many files reading these paths opens (the total of a progress bar)."""
    return sum(len(input_files(path)) for path in paths)


def _inputs(path: Path) -> list[Path | ImportFailure]:
    """A folder's supported files and a failure for each folder in it that cannot be listed,
    in path order; else the path itself (read_file says what is wrong with it, if anything)."""
    try:
        is_folder = stat.S_ISDIR(path.stat().st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return [path]
    except OSError as exc:  # a folder on the way that may not be searched, say
        return [ImportFailure(str(path), f"cannot read: {exc.strerror or exc}")]
    if not is_folder:
        return [path]
    found: list[Path | ImportFailure] = []

    def unreadable_folder(exc: OSError) -> None:
        # os.walk skips a folder it cannot list, and says so only here.
        found.append(ImportFailure(str(exc.filename or path), f"cannot read folder: {exc.strerror or exc}"))

    for folder, subfolders, names in os.walk(path, onerror=unreadable_folder):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        found.extend(
            Path(folder, name)
            for name in names
            if not name.startswith(".") and Path(name).suffix.lower() in _READERS
        )
    return sorted(found, key=lambda entry: Path(entry.origin) if isinstance(entry, ImportFailure) else entry)


def read_path(path: str | os.PathLike[str]) -> Iterator[ImportItem]:
    """Article candidates and failures of a file or of every supported file in a folder."""
    return read_paths([path])


def read_file(path: str | os.PathLike[str]) -> Iterator[ImportItem]:
    """Article candidates and failures of one file, read by the reader of its suffix."""
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        kind = f"'{path.suffix}'" if path.suffix else "without a suffix"
        supported = ", ".join(SUPPORTED_SUFFIXES)
        yield ImportFailure(str(path), f"unsupported file type {kind} (supported: {supported})")
        return
    try:
        is_file = path.is_file()
    except OSError as exc:  # Path.is_file raises for EACCES (a folder on the way)
        yield ImportFailure(str(path), f"cannot read: {exc.strerror or exc}")
        return
    if not is_file:
        reason = "no such file" if not os.path.exists(path) else "not a regular file"
        yield ImportFailure(str(path), reason)
        return
    try:
        # Every draft of the file records it (name, size, SHA-256), hashed once.
        yield from with_file_facts(reader(path), path)
    except UnreadableInput as exc:
        yield ImportFailure(str(path), exc.reason)
    except Exception as exc:  # one file the importer fails on must not end the batch
        yield ImportFailure(str(path), unexpected_error_reason(exc))


def read_paths(
    paths: Iterable[str | os.PathLike[str]],
    on_file: Callable[[int, int, Path], None] | None = None,
) -> Iterator[ImportItem]:
    """read_path over several paths; on_file(number, total, file) before each file is read.

    Progress counts files, not articles: a feed or JSON-lines file holds many articles, and
    its number of entries is only known once it has been read. A folder that cannot be
    listed is a failure, not a file.
    """
    entries = [entry for path in paths for entry in _inputs(Path(path))]
    total = sum(isinstance(entry, Path) for entry in entries)
    log.info("reading %d files", total)
    number = 0
    for entry in entries:
        if isinstance(entry, ImportFailure):
            yield entry
            continue
        number += 1
        if on_file is not None:
            on_file(number, total, entry)
        if not os.path.exists(entry):
            yield ImportFailure(str(entry), "no such file or folder")
        else:
            yield from read_file(entry)
