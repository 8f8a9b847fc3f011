"""`briefing extract`: every --jsonl line gets its output line, a long FILE is extracted."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable, Iterator
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing_app.cli import build_parser, main
from briefing_app.core.extract import pipeline
from briefing_app.core.model import Extraction, Mention
from tests.support.fuzz import default_fuzz, slow_fuzz
from tests.support.longtext import LAST_SENTENCE, long_text

# The lines that made `extract --jsonl` raise (issue #8): each must get an error object.
HOSTILE_LINES = [
    b"[1]",
    b'{"text": null}',
    b'{"text":"x","published":5}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"id": ' + b"9" * 5_000 + b', "text": "a"}',
    b'{"id": 7, "text": "Mali \\ud800 and Niger"}',
    b'{"id": NaN, "text": "a"}',
    b'{"id": 1e999, "text": "a"}',
    b'{"text": "not UTF-8 \xff"}',
    b"",
    b"not json at all",
]
BOOM = "BOOM"  # the fake extractor fails on a text with this in it


class FakeExtractor:
    """Stands in for the model (which takes a second to load): one mention, the text's first
    character; a text with BOOM raises, mid-batch, as a broken extraction would."""

    def extract_many(
        self, items: Iterable[tuple[str, str | None]], n_process: int = 1
    ) -> Iterator[Extraction]:
        for text, published in items:
            yield self.extract(text, published)

    def extract(self, text: str, published: str | None = None) -> Extraction:
        if BOOM in text:
            raise RuntimeError("the fake model fails on this text")
        mentions = (Mention(0, 1, text[0], "ORG", text[0]),) if text else ()
        return Extraction(mentions=mentions, engine="fake")


@pytest.fixture(scope="module")
def real_extractor():
    return pipeline.Extractor()  # the model loads once for the module


def run_jsonl(capsys, data: bytes, extractor) -> tuple[int, list[dict], str]:
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    with mock.patch.object(sys, "stdin", stdin), mock.patch.object(pipeline, "Extractor", lambda: extractor):
        code = main(["extract", "--jsonl"])
    out, err = capsys.readouterr()
    # Split at "\n" only: str.splitlines() also splits at U+2028 and others a JSON string may hold.
    return code, [json.loads(line) for line in out.split("\n")[:-1]], err


def test_every_bad_line_gets_an_error_object_and_the_run_goes_on(capsys, real_extractor):
    good = b'{"id": "ok", "text": "Sergey Lavrov met Abdoulaye Diop in Moscow.", "published": "2023-09-06"}'
    lines = [good, *HOSTILE_LINES, good]
    code, out, err = run_jsonl(capsys, b"\n".join(lines) + b"\n", real_extractor)
    assert code == 1
    assert len(out) == len(lines)
    assert [o.get("id") for o in (out[0], out[-1])] == ["ok", "ok"]
    assert {"Sergey Lavrov", "Abdoulaye Diop", "Moscow"} <= {e["text"] for e in out[0]["entities"]}
    errors = out[1:-1]
    assert all(set(o) == {"id", "error"} for o in errors)
    assert [o["error"].split(":")[0] for o in errors] == [f"line {n}" for n in range(2, len(lines))]
    assert errors[5]["id"] == 7  # the id of a line that has one is given back
    assert "lone surrogate" in errors[5]["error"] and "not UTF-8" in errors[8]["error"]
    assert err == f"briefing: {len(HOSTILE_LINES)} of {len(lines)} lines failed (see their error objects)\n"


def test_all_good_lines_exit_zero(capsys, real_extractor):
    data = b'{"id": 1, "text": "Mali."}\n{"id": 2, "text": "Niger.", "published": null}\n'
    code, out, err = run_jsonl(capsys, data, real_extractor)
    assert (code, [o["id"] for o in out], err) == (0, [1, 2], "")
    assert out[0]["entities"][0]["text"] == "Mali"


def test_an_extraction_that_fails_fails_only_its_own_line(capsys):
    data = b'{"id": 1, "text": "ab"}\n{"id": 2, "text": "a BOOM"}\n{"id": 3, "text": "cd"}\n'
    code, out, _ = run_jsonl(capsys, data, FakeExtractor())
    assert code == 1
    assert [o["id"] for o in out] == [1, 2, 3]
    assert out[1]["error"] == "line 2: extraction failed (RuntimeError: the fake model fails on this text)"
    assert [o["entities"][0]["text"] for o in (out[0], out[2])] == ["a", "c"]


def test_lines_read_as_text_work_too(capsys):
    """A stdin without a byte buffer (an embedding program's StringIO)."""
    stdin = io.StringIO('{"id": 1, "text": "ab"}\n[2]\n')
    with mock.patch.object(sys, "stdin", stdin), mock.patch.object(pipeline, "Extractor", FakeExtractor):
        code = main(["extract", "--jsonl"])
    out = [json.loads(line) for line in capsys.readouterr().out.split("\n")[:-1]]
    assert code == 1 and out[0]["id"] == 1 and out[1] == {"id": None, "error": out[1]["error"]}


def test_the_help_says_what_the_exit_status_means():
    extract = build_parser()._subparsers._group_actions[0].choices["extract"]
    assert "0 when every line was extracted, 1 when some line failed" in " ".join(
        extract.format_help().split()
    )


def test_a_file_longer_than_the_model_takes_is_extracted(capsys, tmp_path, real_extractor, monkeypatch):
    text = long_text(30_000)
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(real_extractor.nlp, "max_length", 10_000)  # spaCy's E088 above this
    with mock.patch.object(pipeline, "Extractor", lambda: real_extractor):
        assert main(["extract", str(path)]) == 0
    result = json.loads(capsys.readouterr().out)
    last = text.rindex(LAST_SENTENCE)
    assert [e["text"] for e in result["entities"] if e["start"] >= last] == ["Emmanuel Macron", "Nairobi"]
    assert all(text[e["start"] : e["end"]] == e["text"] for e in result["entities"])


# -- generated input --------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
dates = st.none() | st.dates().map(str) | st.text(max_size=12)


@st.composite
def good_lines(draw: st.DrawFn) -> tuple[str, bytes, dict]:
    row = {"id": draw(st.integers(0, 10**6) | st.text(max_size=6)), "text": draw(st.text(max_size=40))}
    if draw(st.booleans()):
        row["published"] = draw(dates)
    if has_surrogate(row["text"]):
        return "bad", json.dumps(row).encode(), row  # a lone surrogate: not text to extract
    # Escaped or not; an id with a lone surrogate only escaped (UTF-8 cannot carry it).
    ascii_only = draw(st.booleans()) or has_surrogate(json.dumps(row, ensure_ascii=False))
    return "good", json.dumps(row, ensure_ascii=ascii_only).encode(), row


def has_surrogate(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


bad_lines = st.one_of(
    st.sampled_from(HOSTILE_LINES),
    st.integers(1, 200_000).map(lambda depth: b"[" * depth + b"]" * depth),
    st.integers(4_301, 20_000).map(lambda digits: b'{"text": "a", "id": ' + b"1" * digits + b"}"),
    json_values.filter(lambda v: not isinstance(v, dict)).map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({"text": json_values.filter(lambda v: not isinstance(v, str))}).map(
        lambda row: json.dumps(row).encode()
    ),
).map(lambda line: ("bad", line, None))
any_lines = st.one_of(
    st.binary(max_size=40).map(lambda b: b.replace(b"\n", b" ")),
    st.dictionaries(st.sampled_from(["id", "text", "published", "x"]), json_values, max_size=4).map(
        lambda row: json.dumps(row).encode()
    ),
).map(lambda line: ("any", line, None))


def check_jsonl_run(capsys, lines: list[tuple[str, bytes, dict | None]], extractor) -> None:
    code, out, err = run_jsonl(capsys, b"".join(line + b"\n" for _, line, _ in lines), extractor)
    assert len(out) == len(lines)  # one output line per input line, in order
    failed = 0
    for (kind, _, row), result in zip(lines, out, strict=True):
        assert "error" in result or "entities" in result
        if "error" in result:
            failed += 1
            assert set(result) == {"id", "error"} and isinstance(result["error"], str)
        if kind == "good":
            assert row is not None
            expect_failure = isinstance(extractor, FakeExtractor) and BOOM in row["text"]
            assert ("error" in result) == expect_failure
            assert result["id"] == row["id"]
            if not expect_failure and isinstance(extractor, FakeExtractor):
                assert [e["text"] for e in result["entities"]] == ([row["text"][0]] if row["text"] else [])
        elif kind == "bad":
            assert "error" in result
    assert code == (1 if failed else 0)
    assert (err != "") == (failed > 0)


line_lists = st.lists(
    st.one_of(
        good_lines(),
        bad_lines,
        any_lines,
        st.just(("good", b'{"id": 0, "text": "x BOOM"}', {"id": 0, "text": "x BOOM"})),
    ),
    max_size=8,
)


@default_fuzz
@given(lines=line_lists)
def test_generated_lines_never_stop_the_run(capsys, lines):
    check_jsonl_run(capsys, lines, FakeExtractor())


@pytest.mark.slow
@slow_fuzz
@given(lines=line_lists)
def test_generated_lines_never_stop_the_run_with_the_real_model(capsys, real_extractor, lines):
    check_jsonl_run(capsys, lines, real_extractor)
