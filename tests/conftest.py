"""Hypothesis profiles: ``ci`` (default, deterministic, a few hundred examples in all) and
``long`` (NEUROLOC_HYPOTHESIS_PROFILE=long, at least 10,000 examples per property)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long",
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("NEUROLOC_HYPOTHESIS_PROFILE", "ci"))
