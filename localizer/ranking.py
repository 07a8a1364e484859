"""Scoring candidates: a negative log-probability whose weights live in ``data/ranking.yaml``.

``score = Σ_lesions (parsimony + prior) + Σ_findings −ln P(observation | lesions)``, with a
noisy-OR observation model: each lesion that reaches a finding's target makes it abnormal with
the sensitivity of its strength (certain / likely / possible) for that kind of evidence. The
score is additive over lesions for normal findings, which gives the exact lower bound the
enumerator uses to stop early (see :func:`lesion_weight`).
"""

from __future__ import annotations

import functools
import importlib.resources
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from neuroloc.anatomy import Atlas, NeurolocError, Strength
from neuroloc.findings import Finding
from neuroloc.solve.problem import Lesion, evidence_class, reach

EVIDENCE = (
    "mrc",
    "mrc-severe",
    "reflex",
    "umn",
    "sensory",
    "snap",
    "cmap",
    "ncs",
    "emg",
    "emg-paraspinal",
)


@dataclass(frozen=True)
class Weights:
    parsimony: float
    prior: Mapping[str, float]
    sensitivity: Mapping[str, Mapping[Strength, float]]
    leak: float
    electrodiagnostic_discount: float
    atypical: float

    def p(self, evidence: str, strength: Strength) -> float:
        if strength == Strength.NONE:
            return 0.0
        if strength == Strength.ATYPICAL:
            return self.atypical
        return self.sensitivity[evidence][strength]


def parse_weights(data: object) -> Weights:
    """Check and convert the ranking table; any fault is a :class:`NeurolocError`."""
    try:
        assert isinstance(data, dict)
        lesion = data["lesion"]
        prior = {k: float(lesion["prior"][k]) for k in ("common", "uncommon", "rare")}
        sensitivity = {
            ev: {Strength.parse(k): float(v) for k, v in data["sensitivity"][ev].items()}
            for ev in EVIDENCE
        }
        weights = Weights(
            parsimony=float(lesion["parsimony"]),
            prior=prior,
            sensitivity=sensitivity,
            leak=float(data["leak"]),
            electrodiagnostic_discount=float(data["electrodiagnostic_discount"]),
            atypical=float(data["atypical"]),
        )
    except (AssertionError, KeyError, TypeError, ValueError) as exc:
        raise NeurolocError(f"ranking.yaml: malformed ({exc!r})") from None
    levels = (Strength.POSSIBLE, Strength.PARTIAL, Strength.LIKELY, Strength.CERTAIN)
    for ev, row in weights.sensitivity.items():
        if set(row) != set(levels):
            raise NeurolocError(
                f"ranking.yaml: sensitivity.{ev} needs certain, likely, partial, possible"
            )
        if not all(0 < p < 1 for p in row.values()):
            raise NeurolocError(f"ranking.yaml: sensitivity.{ev} must lie strictly in (0, 1)")
        if not all(row[a] <= row[b] for a, b in itertools.pairwise(levels)):
            raise NeurolocError(f"ranking.yaml: sensitivity.{ev} must grow with strength")
    if not 0 < weights.atypical < min(r[Strength.POSSIBLE] for r in weights.sensitivity.values()):
        raise NeurolocError("ranking.yaml: atypical must be below every possible sensitivity")
    if not 0 < weights.leak < 0.5 or weights.parsimony <= 0:
        raise NeurolocError("ranking.yaml: leak must be in (0, 0.5) and parsimony positive")
    return weights


def _safe_load(text: str) -> object:
    # PyYAML only when the JSON cache cannot serve the table; duplicate keys refused
    from neuroloc.anatomy.yamlsafe import load_yaml

    return load_yaml(text)


@functools.cache
def load_weights() -> Weights:
    from neuroloc.anatomy.loader import cached_data

    source = importlib.resources.files("neuroloc") / "data" / "ranking.yaml"
    return parse_weights(cached_data("ranking", source, _safe_load))


def lesion_cost(atlas: Atlas, weights: Weights, lesion: Lesion) -> float:
    return weights.parsimony + weights.prior[atlas.sites[lesion.site].prior]


def normal_penalty(weights: Weights, evidence: str, strength: Strength) -> float:
    """−ln P(normal) contributed by one lesion reaching a normal finding."""
    return -math.log1p(-weights.p(evidence, strength))


def abnormal_term(weights: Weights, evidence: str, strengths: Iterable[Strength]) -> float:
    """−ln P(abnormal) under the noisy-OR of every lesion reaching the finding."""
    spared = 1.0 - weights.leak
    for strength in strengths:
        spared *= 1.0 - weights.p(evidence, strength)
    return -math.log1p(-spared)


def predicted_abnormal(weights: Weights, evidence: str, strengths: Iterable[Strength]) -> float:
    """P(abnormal) for a test not yet done, given the strengths of a candidate's lesions."""
    return math.exp(-abnormal_term(weights, evidence, strengths))


def lesion_weight(
    atlas: Atlas, weights: Weights, lesion: Lesion, normal: Sequence[Finding]
) -> float:
    """The part of the score a lesion brings on its own: its cost and the normal findings it
    predicted affected. Abnormal-finding terms are never negative, so the sum of these weights
    over a set is a lower bound of the set's score."""
    total = lesion_cost(atlas, weights, lesion)
    for f in normal:
        strength = reach(atlas, lesion, f)
        if strength:
            total += normal_penalty(weights, evidence_class(atlas, f), strength)
    return total


def score(
    atlas: Atlas, weights: Weights, lesions: Sequence[Lesion], findings: Sequence[Finding]
) -> float:
    """The full score of a lesion set against every peripheral finding of a case."""
    total = sum(lesion_cost(atlas, weights, lesion) for lesion in lesions)
    for f in findings:
        if f.status == "umn":
            continue
        evidence = evidence_class(atlas, f)
        strengths = [s for lesion in lesions if (s := reach(atlas, lesion, f))]
        if f.status == "abnormal":
            total += abnormal_term(weights, evidence, strengths)
        else:
            total += sum(normal_penalty(weights, evidence, s) for s in strengths)
    return round(total, 4)
