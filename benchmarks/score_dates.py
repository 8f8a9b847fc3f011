"""Score the time-expression tagger alone on a gold JSON-lines file, and time it.

    python benchmarks/score_dates.py [--gold benchmarks/data/meantime-dev.jsonl]
                                     [--pred /tmp/pred.jsonl] [--errors]
                                     [--topic corpus_airbus] [--model]

--topic keeps the documents of one topic (tune on one topic, check on the other: issue #11);
--model reads tense with the model's tagger, as the app does (slower; loads spaCy), instead of
the tagger's word lists.

Writes predictions in the format of /work/shared/eval/score.py (then run that on them), prints
the tagger's words per second and, with --errors, the gold dates it missed or got wrong.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from briefing_app.core.extract.pipeline import Extractor
from briefing_app.core.extract.timex import extract_timexes

HERE = Path(__file__).resolve().parent
YMD = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=HERE / "data" / "meantime-dev.jsonl", type=Path)
    parser.add_argument("--pred", default=Path("/tmp/pred.jsonl"), type=Path)
    parser.add_argument("--errors", action="store_true", help="list misses and false positives")
    parser.add_argument("--repeat", type=int, default=20, help="timing runs over the corpus")
    parser.add_argument("--topic", help="only the documents of this topic (their 'topic' field)")
    parser.add_argument("--model", action="store_true", help="tense from the model's tagger")
    args = parser.parse_args()

    docs = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line]
    if args.topic:
        docs = [d for d in docs if d.get("topic") == args.topic]
    if args.model:
        extractor = Extractor()
        predictions = {d["id"]: list(extractor.extract(d["text"], d.get("published")).timexes) for d in docs}
    else:
        predictions = {d["id"]: extract_timexes(d["text"], d.get("published")) for d in docs}
    with args.pred.open("w", encoding="utf-8") as out:
        for d in docs:
            dates = [{"start": t.start, "end": t.end, "text": t.text, "value": t.value}
                     for t in predictions[d["id"]]]  # fmt: skip
            out.write(json.dumps({"id": d["id"], "entities": [], "dates": dates}) + "\n")

    words = sum(len(d["text"].split()) for d in docs) * args.repeat
    began = time.perf_counter()
    for _ in range(args.repeat):
        for d in docs:
            extract_timexes(d["text"], d.get("published"))
    print(f"tagger: {words / (time.perf_counter() - began):,.0f} words/s")

    if args.errors:
        for d in docs:
            print_errors(d, predictions[d["id"]])


def print_errors(doc: dict, predicted) -> None:
    def overlaps(a, b) -> bool:
        return a["start"] < b.end and b.start < a["end"]

    text = doc["text"]
    for g in doc["dates"]:
        if g["type"] != "DATE" or not YMD.match(g["value"] or ""):
            continue
        if not any(overlaps(g, p) and p.value == g["value"] for p in predicted):
            got = [(p.text, p.value) for p in predicted if overlaps(g, p)]
            context = text[max(0, g["start"] - 60) : g["end"] + 40].replace("\n", " | ")
            print(f"MISS {doc['published']} {text[g['start']:g['end']]!r} gold={g['value']} "
                  f"got={got}\n     ...{context}...")  # fmt: skip
    for p in predicted:
        if not YMD.match(p.value or ""):
            continue
        if not any(overlaps(g, p) and p.value == g["value"] for g in doc["dates"]):
            gold = [(text[g["start"] : g["end"]], g["value"]) for g in doc["dates"] if overlaps(g, p)]
            context = text[max(0, p.start - 60) : p.end + 40].replace("\n", " | ")
            print(f"FP   {doc['published']} {p.text!r} value={p.value} gold={gold}\n     ...{context}...")


if __name__ == "__main__":
    main()
