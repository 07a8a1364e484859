"""Scoring candidates: a negative log-probability whose numbers live in ``data/ranking.yaml``.

``score = Σ_lesions −ln(p/(1−p)) + Σ_findings −ln P(observation | lesions)``, where ``p`` is the
site's prior (the probability of a lesion there, per referral and side, in the sites' tables):
the first sum is −ln of the prior of the lesion set (lesions independent, every other site
spared, the constant Π(1−p) over all sites left out), the second −ln of the likelihood under a
noisy-OR observation model: each lesion that reaches a finding's target makes it abnormal with
the sensitivity of its strength (certain / likely / possible) for that kind of evidence, and a
leak covers examination error. The score is additive over lesions for normal findings, which
gives the exact lower bound the enumerator uses to stop early (see :func:`lesion_weight`);
``exp(−score)`` normalised over the enumerated sets is each set's posterior probability (Peng
and Reggia's probabilistic causal model).
"""

from __future__ import annotations

import functools
import importlib.resources
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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
    "vibration",
    "wasting",
    "fasciculation",
    "sweating",
    "sphincter",
    "sign",
)


@dataclass(frozen=True)
class Weights:
    sensitivity: Mapping[str, Mapping[Strength, float]]
    leak: float
    electrodiagnostic_discount: float
    atypical: float
    fit: Mapping[str, Any]  # thresholds and what to consider (localizer/fit.py)

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
        sensitivity = {
            ev: {Strength.parse(k): float(v) for k, v in data["sensitivity"][ev].items()}
            for ev in EVIDENCE
        }
        weights = Weights(
            sensitivity=sensitivity,
            leak=float(data["leak"]),
            electrodiagnostic_discount=float(data["electrodiagnostic_discount"]),
            atypical=float(data["atypical"]),
            fit=_fit_table(data["fit"]),
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
    if not 0 < weights.leak < 0.5:
        raise NeurolocError("ranking.yaml: leak must be in (0, 0.5)")
    return weights


def _fit_table(raw: Any) -> dict[str, Any]:
    table: dict[str, Any] = {
        k: float(raw[k]) for k in ("finding_poor", "finding_fair", "z_poor", "z_fair")
    }
    if not 0 < table["finding_poor"] < table["finding_fair"] < 1:
        raise ValueError("fit: need 0 < finding_poor < finding_fair < 1")
    if not 0 < table["z_fair"] < table["z_poor"]:
        raise ValueError("fit: need 0 < z_fair < z_poor")
    consider = raw["consider"]
    keys = ("weak_but_neurogenic_normal", "umn_without_weakness", "default")
    table["consider"] = {k: tuple(str(x) for x in consider[k]) for k in keys}
    return table


def _safe_load(text: str) -> object:
    # PyYAML only when the JSON cache cannot serve the table; duplicate keys refused
    from neuroloc.anatomy.yamlsafe import load_yaml

    return load_yaml(text)


@functools.cache
def load_weights() -> Weights:
    from neuroloc.anatomy.loader import cached_data

    source = importlib.resources.files("neuroloc") / "data" / "ranking.yaml"
    return parse_weights(cached_data("ranking", source, _safe_load))


def _single_and_pair(atlas: Atlas, site_id: str) -> tuple[float, float | None]:
    """−ln prior odds of a lesion of ``site_id`` on one side only, and of one on each side.

    Lesions are independent except the same site on both sides: with a per-side prior ``p``
    and a bilateral rate ``b`` (P(the other side | one side), sites.yaml ``bilateral_rate``;
    ``b = p`` without one), one side alone has probability ``p(1 − b)``, both ``p·b``, neither
    ``1 − 2p + p·b``. A lesion that is itself of both sides (the cauda equina, a pattern) has
    the plain odds ``p / (1 − p)``.
    """
    site = atlas.sites[site_id]
    p = site.prior
    if "left" not in site.sides or "right" not in site.sides:
        return math.log((1.0 - p) / p), None
    b = site.bilateral_rate if site.bilateral_rate is not None else p
    neither = 1.0 - 2.0 * p + p * b
    return math.log(neither / (p * (1.0 - b))), math.log(neither / (p * b))


def prior_cost(atlas: Atlas, lesions: Sequence[Lesion]) -> float:
    """−ln of a lesion set's prior, relative to no lesion: the sum of each lesion's log-odds,
    with a site held on both sides priced by its bilateral rate (bilateral carpal tunnel
    syndrome is common; two unrelated lesions are a coincidence)."""
    held = {(x.site, x.side) for x in lesions}
    total = 0.0
    for x in lesions:
        single, pair = _single_and_pair(atlas, x.site)
        if pair is not None and (x.site, "right" if x.side == "left" else "left") in held:
            total += pair / 2.0  # each side carries half of the pair's cost
        else:
            total += single
    return total


def lesion_cost(atlas: Atlas, weights: Weights, lesion: Lesion) -> float:
    """The least a lesion adds to the prior cost of any set holding it (the enumerator's lower
    bound): its log-odds alone, or half the cost of the pair when its site on both sides is
    cheaper than two of them. For a site without a bilateral rate this is −ln(p/(1−p)): a
    common site (L5, p = 0.05) costs 2.9 nats, the rarest (the tibial nerve in the popliteal
    fossa, p = 0.002) 6.2, so a coincidence of two independent lesions is priced by both priors.
    """
    single, pair = _single_and_pair(atlas, lesion.site)
    return single if pair is None else min(single, pair / 2.0)


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


def one_sided_exam(findings: Iterable[Finding]) -> bool:
    """Every finding of the case lies on one side: nothing was recorded on the other side, and
    nothing of both sides (a midline target, ``side: both``)."""
    sides = {f.side for f in findings}
    return len(sides) == 1 and "both" not in sides


def presentation_cost(atlas: Atlas, lesion: Lesion, one_sided: bool) -> float:
    """−ln P(a one-sided presentation | the lesion) for a process of both sides: a symmetric
    disease (a polyneuropathy, a myopathy) rarely brings a patient whose examination found
    and recorded one side only (patterns.yaml ``one_sided``); a focal lesion always may."""
    rate = atlas.sites[lesion.site].one_sided
    if not one_sided or rate is None or lesion.side != "both":
        return 0.0
    return -math.log(rate)


def lesion_weight(
    atlas: Atlas,
    weights: Weights,
    lesion: Lesion,
    normal: Sequence[Finding],
    *,
    one_sided: bool = False,
) -> float:
    """The part of the score a lesion brings on its own: its cost and the normal findings it
    predicted affected. Abnormal-finding terms are never negative, so the sum of these weights
    over a set is a lower bound of the set's score."""
    total = lesion_cost(atlas, weights, lesion) + presentation_cost(atlas, lesion, one_sided)
    for f in normal:
        strength = reach(atlas, lesion, f)
        if strength:
            total += normal_penalty(weights, evidence_class(atlas, f), strength)
    return total


def score(
    atlas: Atlas, weights: Weights, lesions: Sequence[Lesion], findings: Sequence[Finding]
) -> float:
    """The full score of a lesion set against every peripheral finding of a case."""
    one_sided = one_sided_exam(findings)
    total = prior_cost(atlas, lesions)
    total += sum(presentation_cost(atlas, x, one_sided) for x in lesions)
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
