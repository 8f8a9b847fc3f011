"""`briefing entities` and `briefing entity NAME` on the sample article and a small library."""

from __future__ import annotations

import csv
import io
import json

import pytest

from briefing_app.cli import main
from briefing_app.core.store import Library
from tests.support.datafiles import SEED_ARTICLE
from tests.support.entities import add_article


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> str:
    """The bundled sample article, imported and extracted with the real pipeline."""
    path = str(tmp_path_factory.mktemp("sample") / "library.db")
    assert main(["--db", path, "import", str(SEED_ARTICLE)]) == 0
    return path


def test_the_sample_csv_lists_ecowas_once_with_its_long_name(capsys, sample_db):
    code, out, _ = run(capsys, "--db", sample_db, "entities", "--csv")
    assert code == 0
    assert out.splitlines()[0] == "name,type,articles,mentions,first_seen,last_seen,aliases"
    rows = list(csv.DictReader(io.StringIO(out)))
    ecowas = [r for r in rows if "ECOWAS" in r["name"] or "ECOWAS" in r["aliases"].split("; ")]
    assert len(ecowas) == 1
    names = {ecowas[0]["name"], *ecowas[0]["aliases"].split("; ")}
    assert {"ECOWAS", "Economic Community of West African States"} <= names
    assert ecowas[0]["type"] == "ORG"


def test_the_sample_dossier_of_lavrov_lists_his_mentions(capsys, sample_db):
    code, out, _ = run(capsys, "--db", sample_db, "entity", "Lavrov", "--json")
    assert code == 0
    dossier = json.loads(out)
    assert dossier["entity"]["name"] == "Sergey Lavrov"
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    mentions = dossier["mentions"]
    assert len(mentions) == dossier["mentions_total"] >= 2
    assert {m["mention"] for m in mentions} >= {"Sergey Lavrov", "Lavrov"}
    with Library(sample_db) as library:
        stored = library.get_article(mentions[0]["article_id"]).text
    assert all(stored[m["start"] : m["end"]] == m["mention"] for m in mentions)
    assert "Lavrov" in text

    code, out, _ = run(capsys, "--db", sample_db, "entity", "Sergey Lavrov")
    assert code == 0
    assert out.startswith("Sergey Lavrov (PERSON)\n")
    assert "[Sergey Lavrov]" in out and "[Lavrov]" in out
    assert "In the same sentence" in out


@pytest.fixture
def small_db(db_path) -> str:
    with Library(db_path) as library:
        add_article(library, "Sergey Lavrov went to Mali. Lavrov met Abdoulaye Diop.", "A",
                    source="TASS", published="2023-09-06")  # fmt: skip
        add_article(library, "Mali and Niger.", "B", source="Le Monde", published="2024-01-02")
    return str(db_path)


def test_facets_narrow_the_index(capsys, small_db):
    _, out, _ = run(capsys, "--db", small_db, "entities", "--csv", "--type", "gpe")
    assert [r["name"] for r in csv.DictReader(io.StringIO(out))] == ["Mali", "Niger"]
    _, out, _ = run(capsys, "--db", small_db, "entities", "--csv", "--source", "TASS", "--sort", "name")
    assert [r["name"] for r in csv.DictReader(io.StringIO(out))] == [
        "Abdoulaye Diop",
        "Mali",
        "Sergey Lavrov",
    ]
    _, out, _ = run(capsys, "--db", small_db, "entities", "--from", "2024-01-01", "--to", "2024-12-31")
    assert [line.split()[-1] for line in out.splitlines()] == ["Mali", "Niger"]
    assert "2024-01-02..2024-01-02" in out


def test_bad_input_gets_one_line(capsys, small_db):
    code, out, err = run(capsys, "--db", small_db, "entity", "Putin")
    assert (code, out) == (2, "")
    assert err == "briefing: no entity called 'Putin' in the library (see: briefing entities)\n"
    code, _, err = run(capsys, "--db", small_db, "entities", "--from", "yesterday")
    assert code == 2 and err.count("\n") == 1 and "--from 'yesterday' is not a date" in err
