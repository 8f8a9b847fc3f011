"""Where the tests' data lives: the sample articles in data/, test data in tests/data/."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TEST_DATA = REPO / "tests" / "data"
SEED_ARTICLE = REPO / "data" / "seed" / "russia-sahel-talks.txt"
WIKINEWS_DIR = REPO / "data" / "wikinews"
