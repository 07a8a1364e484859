"""How well the leading candidate explains the findings: a posterior-predictive check.

Under a candidate, each examined finding is abnormal with probability ``p`` (the noisy-OR of
:mod:`neuroloc.ranking`). The surprise of what was found, ``S = Σ −ln P(observation)``, is set
against the surprise the candidate's own predictions would give on the same examination:
expectation ``E = Σ H(p)`` (the binary entropy, in nats) and variance
``V = Σ p(1−p)·ln²(p/(1−p))``. A candidate that is merely the best of bad options shows as
``S`` far above ``E`` or as one finding it makes very improbable; the thresholds live in
``data/ranking.yaml`` (``fit``) with their reasons.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from neuroloc.anatomy import Atlas
from neuroloc.findings import Finding
from neuroloc.labels import finding_label
from neuroloc.ranking import (
    Weights,
    one_sided_exam,
    predicted_abnormal,
    presentation_cost,
)
from neuroloc.result import Fit
from neuroloc.solve.problem import Lesion, evidence_class, reach


@dataclass(frozen=True, slots=True)
class Observed:
    """One observation and the probability the candidate gave its abnormal state."""

    words: str  # what was observed, for the reason given
    p_abnormal: float  # under the candidate
    abnormal: bool

    @property
    def probability(self) -> float:
        """P(what was observed) under the candidate."""
        return self.p_abnormal if self.abnormal else 1.0 - self.p_abnormal


def observed(
    atlas: Atlas, weights: Weights, lesions: Sequence[Lesion], findings: Sequence[Finding]
) -> list[Observed]:
    """Each peripheral finding with the probability the candidate gives it, and the one-sided
    presentation of the examination where the candidate is a symmetric process."""
    out = []
    for f in findings:
        if f.status == "umn":
            continue
        strengths = [s for x in lesions if (s := reach(atlas, x, f))]
        p = predicted_abnormal(weights, evidence_class(atlas, f), strengths)
        p = min(max(p, 1e-9), 1.0 - 1e-9)
        out.append(Observed(_finding_words(atlas, f), p, f.status == "abnormal"))
    one_sided = one_sided_exam(findings)
    for x in lesions:
        cost = presentation_cost(atlas, x, one_sided)
        if cost:
            label = atlas.sites[x.site].label
            out.append(
                Observed(f"only one side was affected, under {label}", math.exp(-cost), True)
            )
    return out


def surprise_z(items: Sequence[Observed]) -> float:
    """(S − E) / √V over the examined findings; 0 when the candidate predicts nothing uncertain."""
    s = e = v = 0.0
    for item in items:
        p = item.p_abnormal
        s += -math.log(item.probability)
        e += -(p * math.log(p) + (1 - p) * math.log(1 - p))
        v += p * (1 - p) * math.log(p / (1 - p)) ** 2
    return (s - e) / math.sqrt(v) if v > 1e-12 else 0.0


def assess_fit(
    atlas: Atlas,
    weights: Weights,
    lesions: Sequence[Lesion],
    findings: Sequence[Finding],
    table: dict,
) -> Fit:
    """The fit of the leading candidate (``findings``: the solver's observations)."""
    items = observed(atlas, weights, lesions, findings)
    if not items:
        return Fit("good", "nothing examined beyond what the candidate explains", ())
    z = surprise_z(items)
    worst = min(items, key=lambda item: item.probability)
    worst_words = worst.words
    if worst.probability < table["finding_poor"] or z > table["z_poor"]:
        why = (
            f"even the best candidate explains the findings poorly: {worst_words} "
            f"(probability {worst.probability:.0%} under it); the findings as a whole are "
            f"{z:.1f} standard deviations more surprising than it predicts"
        )
        return Fit("poor", why, tuple(_consider(atlas, findings, table)))
    if worst.probability < table["finding_fair"] or z > table["z_fair"]:
        why = (
            f"the best candidate fits with reservations: {worst_words} "
            f"(probability {worst.probability:.0%} under it)"
        )
        return Fit("fair", why, ())
    return Fit("good", "the best candidate explains the findings as well as it predicts them", ())


def _finding_words(atlas: Atlas, f: Finding) -> str:
    label = finding_label(atlas, f.id)
    state = "abnormal" if f.status == "abnormal" else "normal"
    side = "" if f.side == "both" else f" ({f.side})"
    return f"{label}{side} is {state}"


def _consider(atlas: Atlas, findings: Sequence[Finding], table: dict) -> list[str]:
    """What the model lacks, chosen by what the findings show (ranking.yaml ``fit.consider``)."""
    consider = table["consider"]
    weak = {
        f.target for f in findings if f.kind in ("muscle", "movement") and f.status == "abnormal"
    }
    weak_muscles = {m for t in weak for m in atlas.members(t)}
    neurogenic_normal = {
        m
        for f in findings
        if f.status == "normal" and f.kind in ("emg", "cmap")
        for m in atlas.members(f.target)
    }
    if weak_muscles & neurogenic_normal:
        return list(consider["weak_but_neurogenic_normal"])
    peripheral_abnormal = [f for f in findings if f.status == "abnormal" and f.kind != "umn"]
    if not peripheral_abnormal and any(f.kind == "umn" for f in findings):
        return list(consider["umn_without_weakness"])
    return list(consider["default"])
