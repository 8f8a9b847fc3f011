"""A generated text longer than spaCy takes in one piece (nlp.max_length is 1,000,000).

Made of the sample articles' paragraphs (data/, see data/SOURCES.md), repeated; one middle
paragraph runs far longer than a chunk without a line break, so chunks must also be cut at
sentence ends. Known sentences open and close it, so tests can look for what is found there.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIRST_SENTENCE = "Foreign Minister Sergey Lavrov met Abdoulaye Diop in Moscow on September 6, 2023."
LAST_SENTENCE = "On March 3, 2031, President Emmanuel Macron visited Nairobi."
# Longer than a chunk (pipeline.MAX_CHUNK_CHARS), with no line break inside.
LONG_PARAGRAPH_CHARS = 150_000


def sample_paragraphs() -> list[str]:
    paragraphs = []
    for path in sorted((REPO / "data").glob("*/*.txt")):
        paragraphs += [line for line in path.read_text(encoding="utf-8").split("\n") if len(line) > 200]
    return paragraphs


def long_text(chars: int = 1_200_000) -> str:
    """About `chars` characters: FIRST_SENTENCE, paragraphs, LAST_SENTENCE."""
    paragraphs = sample_paragraphs()
    body: list[str] = []
    length = len(FIRST_SENTENCE) + len(LAST_SENTENCE)
    index = 0
    while length < chars:
        if len(body) == 20 and chars > 2 * LONG_PARAGRAPH_CHARS:
            run = []
            while sum(len(p) + 1 for p in run) < LONG_PARAGRAPH_CHARS:
                run.append(paragraphs[len(run) % len(paragraphs)])
            body.append(" ".join(run))
        else:
            body.append(paragraphs[index % len(paragraphs)])
            index += 1
        length += len(body[-1]) + 2
    return "\n\n".join([FIRST_SENTENCE, *body, LAST_SENTENCE])
