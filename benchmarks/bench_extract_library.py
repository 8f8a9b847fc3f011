"""Extraction of a library at scale: articles/s and peak memory, ours next to bare spaCy.

    PYTHONPATH=. python -m benchmarks.bench_extract_library [--articles 2000]

Both sides get the same realistic articles of benchmarks/libgen.py (400-2,000 words), each
in a process of its own so that its peak memory is its own:
  - ours: Library.import_items, then runner.extract_pending with its defaults (the cores,
    streamed, one transaction per article): what `briefing import --extract` does;
  - bare: the stock en_core_web_sm pipeline (every component) through one `nlp.pipe` in one
    process, its entities written with one executemany per article into a bare table.
Peak memory (of the import and extraction, or of the pipe) is the largest sum of the resident
sizes of the process and its children at one sample, every 0.1 s (spaCy's worker processes are
children), with each one's share at that moment; a page a forked child still shares with its
parent counts in both, so the sum is an upper bound, and the proportional size (PSS, shared
pages split between the processes sharing them) is printed beside it. Model loading is timed
apart. The load average before and after says how busy the machine was. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SAMPLE_SECONDS = 0.1
MB = 2**20


def _process_tree(pid: int) -> list[int]:
    """The process and its descendants, it first (Linux /proc)."""
    tree, todo = [], [pid]
    while todo:
        current = todo.pop(0)
        tree.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    todo += [int(child) for child in f.read().split()]
        except (OSError, ValueError):  # it ended meanwhile
            continue
    return tree


def _rss_and_pss(pid: int) -> tuple[int, int]:
    """Resident bytes of one process, and its proportional share of them (pages shared with
    another process, such as the model a forked spaCy process inherits, count half in each)."""
    sizes = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                name, _, rest = line.partition(":")
                if name in ("Rss", "Pss"):
                    sizes[name] = int(rest.split()[0]) * 1024
    except (OSError, ValueError):  # it ended meanwhile
        return 0, 0
    return sizes.get("Rss", 0), sizes.get("Pss", 0)


class PeakMemory:
    """Samples this process tree's memory in a thread while it is entered.

    peak is the largest sum of the resident sizes of the process and its descendants at one
    sample (shared pages count once in each process: an upper bound of what the tree holds),
    at_peak the size of each at that sample, this process first; peak_pss the largest sum of
    proportional sizes (shared pages counted once in all).
    """

    def __init__(self) -> None:
        self.peak = self.peak_pss = 0
        self.at_peak: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample_until_stopped, daemon=True)

    def _sample(self) -> None:
        sizes = [_rss_and_pss(pid) for pid in _process_tree(os.getpid())]
        rss = sum(r for r, _ in sizes)
        if rss > self.peak:
            self.peak, self.at_peak = rss, [r for r, _ in sizes]
        self.peak_pss = max(self.peak_pss, sum(p for _, p in sizes))

    def _sample_until_stopped(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            self._sample()

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def figures(self) -> dict[str, float | list[int]]:
        return {"peak": self.peak, "peak_pss": self.peak_pss, "at_peak": self.at_peak}


def _cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (spaCy joins its own): on a
    shared machine it varies less than the time on the clock."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def run_ours(n: int, folder: Path) -> dict[str, object]:
    from benchmarks.bench_import import generated_drafts
    from briefing_app.core.extract.pipeline import Extractor
    from briefing_app.core.extract.runner import default_processes, extract_pending
    from briefing_app.core.store import Library

    drafts = generated_drafts(n)
    started = time.perf_counter()
    extractor = Extractor()
    _ = extractor.rules  # the model loads here, not in the timed part
    loaded = time.perf_counter() - started
    with PeakMemory() as memory, Library(folder / "ours.db") as library:
        started = time.perf_counter()
        library.import_items(drafts)
        imported = time.perf_counter() - started
        del drafts
        started = time.perf_counter()
        cpu_started = _cpu_seconds()
        stored = extract_pending(library, extractor)
        extracted = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_started
        mentions = library.db.execute("SELECT count(*) FROM mentions").fetchone()[0]
    return {
        "load": loaded,
        "import": imported,
        "extract": extracted,
        "cpu": cpu,
        "stored": stored,
        "processes": default_processes(),
        "mentions": mentions,
        **memory.figures(),
    }


def run_bare(n: int, folder: Path) -> dict[str, object]:
    from benchmarks.bench_extract import bare_model
    from benchmarks.bench_import import generated_drafts

    texts = [d.text for d in generated_drafts(n)]
    started = time.perf_counter()
    nlp = bare_model()
    loaded = time.perf_counter() - started
    conn = sqlite3.connect(folder / "bare.db")
    conn.execute(
        'CREATE TABLE mentions (article INTEGER, start INTEGER, "end" INTEGER, text TEXT, label TEXT)'
    )
    mentions = 0
    with PeakMemory() as memory:
        started = time.perf_counter()
        cpu_started = _cpu_seconds()
        for number, doc in enumerate(nlp.pipe(texts)):
            rows = [(number, e.start_char, e.end_char, e.text, e.label_) for e in doc.ents]
            with conn:
                conn.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?)", rows)
            mentions += len(rows)
        extracted = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_started
    conn.close()
    return {
        "load": loaded,
        "extract": extracted,
        "cpu": cpu,
        "stored": n,
        "mentions": mentions,
        **memory.figures(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=2_000)
    parser.add_argument("--side", choices=("ours", "bare"), help=argparse.SUPPRESS)  # one side, in a child
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        run = run_ours if args.side == "ours" else run_bare
        print(json.dumps(run(args.articles, args.folder)))
        return
    load_before = os.getloadavg()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for side in ("ours", "bare"):
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.bench_extract_library", "--articles", str(args.articles),
                 "--side", side, "--folder", tmp],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            results[side] = json.loads(out.strip().splitlines()[-1])
    ours, bare = results["ours"], results["bare"]
    n = args.articles
    parent, *processes = (size / MB for size in ours["at_peak"])
    print(
        f"{n:,} generated articles (400-2,000 words); load average {_loads(load_before)} before, "
        f"{_loads(os.getloadavg())} after"
    )
    print(
        f"ours: extract_pending, {ours['processes']} processes: {n / ours['extract']:6.2f} articles/s "
        f"({ours['extract']:.0f} s, CPU {ours['cpu'] / n:.2f} s/article; import before it {ours['import']:.1f} s), peak RSS "
        f"{ours['peak'] / MB:,.0f} MB (this process {parent:,.0f} + its children "
        f"{' + '.join(f'{size:,.0f}' for size in processes) or 'none'}; PSS {ours['peak_pss'] / MB:,.0f} MB), "
        f"{ours['mentions'] / n:.0f} mentions/article  |  "
        f"bare nlp.pipe, stock pipeline, 1 process: {n / bare['extract']:6.2f} articles/s "
        f"({bare['extract']:.0f} s, CPU {bare['cpu'] / n:.2f} s/article), peak RSS {bare['peak'] / MB:,.0f} MB (PSS {bare['peak_pss'] / MB:,.0f} MB), "
        f"{bare['mentions'] / n:.0f} entities/article"
    )
    print(
        f"estimate for 100,000 articles: ours {100_000 / (n / ours['extract']) / 3600:.1f} h  |  "
        f"bare {100_000 / (n / bare['extract']) / 3600:.1f} h (model load apart: ours {ours['load']:.1f} s, "
        f"bare {bare['load']:.1f} s)"
    )


def _loads(averages: tuple[float, float, float]) -> str:
    return " ".join(f"{load:.2f}" for load in averages)


if __name__ == "__main__":
    main()
