"""What an analyst reports with a problem: the versions of the app and of what it stands on.

Read from package metadata, so spaCy and its model are not loaded to name them.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import platform
import sqlite3

from briefing_app import __version__
from briefing_app.core.migrations import SCHEMA_VERSION
from briefing_app.core.store import Library


def distribution_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def model_package_version() -> str:
    """ "en_core_web_sm 3.8.0": the model package extraction will load, or "not installed"."""
    from briefing_app.core.extract.entities import MODEL_PACKAGES  # no spaCy import

    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return f"{name} {distribution_version(name)}"
    return "not installed"


def component_versions(library: Library | None = None) -> list[tuple[str, str]]:
    """(component, version) pairs, the library's schema last when a library is given."""
    versions = [
        ("Briefing Reader", __version__),
        ("Python", platform.python_version()),
        ("spaCy", distribution_version("spacy")),
        ("spaCy model", model_package_version()),
        ("SQLite", sqlite3.sqlite_version),
    ]
    if library is not None:
        versions.append(("Library schema", f"{library.schema_version} of {SCHEMA_VERSION}"))
    return versions
