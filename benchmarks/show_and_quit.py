"""The window opened as `briefing` opens it, closed as soon as it is shown: the process that
bench_ui.py times from its start to the window on screen.

    python benchmarks/show_and_quit.py LIBRARY

Prints "shown_at=<time.time()> spacy_loaded=<True|False>". Nothing runs in the background.
The hook lives here, beside the benchmark, so the package carries none.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any


def report_shown_and_quit(window: Any) -> None:
    print(f"shown_at={time.time():.6f} spacy_loaded={'spacy' in sys.modules}", flush=True)
    window.close()


def main(argv: list[str]) -> int:
    # Imported here, after the process started: their cost is part of the start-up.
    from briefing_app.logs import setup_logging
    from briefing_app.ui.app import run

    setup_logging()
    return run(Path(argv[0]), after_show=report_shown_and_quit)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
