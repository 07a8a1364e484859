"""neuroloc's reasoning: findings -> constraint problem -> minimal lesion sets -> ranked answer.

>>> from localizer import localize
>>> result = localize({"side": "left", "findings": [{"muscle": "TA", "grade": 2}]})
>>> result.best.lesions[0].level in {"root", "plexus", "nerve", "cauda-equina"}
True
"""

from localizer.engine import localize
from localizer.findings import Case, Finding, parse_case
from localizer.result import DISCLAIMER, SCHEMA, Candidate, Localization, to_json

__all__ = [
    "DISCLAIMER",
    "SCHEMA",
    "Candidate",
    "Case",
    "Finding",
    "Localization",
    "localize",
    "parse_case",
    "to_json",
]
