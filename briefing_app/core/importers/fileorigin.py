"""The file facts of an article's provenance (name, size, SHA-256), filled in as a file is read."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from briefing_app.core.importers.files import UnreadableInput
from briefing_app.core.model import ArticleDraft, FileOrigin, ImportFailure
from briefing_app.core.provenance import file_sha256


def with_file_facts(
    items: Iterable[ArticleDraft | ImportFailure], path: Path
) -> Iterator[ArticleDraft | ImportFailure]:
    """The items a file was read into, each draft's provenance completed with the file's name,
    size and hash (read once, when the first draft needs them). A draft whose original is not
    the file itself (an attachment, which carries its own bytes) keeps its own."""
    facts: tuple[int, str] | None = None
    for item in items:
        if isinstance(item, ArticleDraft):
            file_origin = item.file_origin or FileOrigin(importer=path.suffix.lower().lstrip("."))
            if not file_origin.sha256:
                if facts is None:
                    try:
                        facts = (path.stat().st_size, file_sha256(path))
                    except OSError as exc:
                        raise UnreadableInput(f"cannot read file: {exc.strerror or exc}") from exc
                file_origin = replace(
                    file_origin, path=str(path), file_name=path.name, size=facts[0], sha256=facts[1]
                )
            item = replace(item, file_origin=file_origin)
        yield item
