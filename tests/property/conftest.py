"""Hypothesis profiles for the property tests.

``ci`` (the default, used by the README's test command): bounded and
deterministic, so a run takes minutes and fails the same way twice.
``thorough``: 10,000 examples per property, for benchmark and fuzz runs:
``AUGNETCF_HYPOTHESIS_PROFILE=thorough pytest tests/property``.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=25, derandomize=True, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.register_profile(
    "thorough", max_examples=10_000, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.load_profile(os.environ.get("AUGNETCF_HYPOTHESIS_PROFILE", "ci"))
