"""How hard the property-based (hypothesis) tests try.

The default run tries a few hundred examples per property; `pytest -m slow` runs the
`slow`-marked copies with a few thousand. Deadlines are off: the machine is shared and noisy,
and a slow example is a benchmark's business, not a test failure.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

DEFAULT_EXAMPLES = 200
SLOW_EXAMPLES = 3000

default_fuzz = settings(
    max_examples=DEFAULT_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
slow_fuzz = settings(
    max_examples=SLOW_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
