"""The next examination: which test not yet done best separates the remaining candidates.

Each candidate's plausibility is its posterior under the score (``exp(-score)``, normalised).
For every examination not yet in the case, each candidate predicts the probability of an
abnormal result from the pathway graph (the same noisy-OR as the score). A test is worth its
expected information gain about which candidate is right; electrodiagnostic tests are
discounted (``ranking.yaml``) so that a bedside test that separates as well comes first.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from neuroloc.anatomy import Atlas, Strength
from neuroloc.findings import Finding
from neuroloc.kinds import finding_kind
from neuroloc.ranking import Weights, predicted_abnormal
from neuroloc.result import Candidate, NextTest
from neuroloc.solve.problem import Lesion

MAX_TESTS = 8
MIN_GAIN_BITS = 0.02


@dataclass(frozen=True, slots=True)
class Exam:
    id: str  # the finding id it would produce
    target: str
    side: str
    evidence: str
    bedside: bool
    label: str


def _entropy(ps: Sequence[float]) -> float:
    return -sum(p * math.log2(p) for p in ps if p > 0)


def _posterior(candidates: Sequence[Candidate]) -> list[float]:
    best = min(c.score for c in candidates)
    raw = [math.exp(-(c.score - best)) for c in candidates]
    total = sum(raw)
    return [r / total for r in raw]


def _movement_of(atlas: Atlas, muscle: str) -> str | None:
    movement = _movement_id(atlas, muscle)
    return atlas.label(movement).lower() if movement else None


@functools.lru_cache(maxsize=512)
def _movement_id(atlas: Atlas, muscle: str) -> str | None:
    """The movement a muscle is a prime mover of, itself or as part of a group (the heads of
    gastrocnemius move the ankle as gastrocnemius does)."""
    for movement in atlas.movements.values():
        if any(muscle in atlas.members(mover) for mover in movement.prime_movers):
            return movement.id
    return None


POOL = 5  # the engine ranks at least this many candidates (and three more) for the next tests
# The candidates worth separating: those with at least this posterior, until this much of it
# is covered (the engine passes more candidates than it shows, so --top 1 still gets advice).
MATTER_FLOOR = 0.01
MATTER_MASS = 0.99


def that_matter(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates, best first, that carry the posterior: each at least
    :data:`MATTER_FLOOR`, stopping once :data:`MATTER_MASS` is covered (never fewer than two
    when there are two)."""
    kept: list[Candidate] = []
    mass = 0.0
    for c in sorted(candidates, key=lambda c: c.rank):
        if len(kept) >= 2 and (c.probability < MATTER_FLOOR or mass >= MATTER_MASS):
            break
        kept.append(c)
        mass += c.probability
    return kept


def candidate_exams(atlas: Atlas, sides: Sequence[str]) -> list[Exam]:
    """Every examination the model can predict, on the given sides."""
    return list(_exams(atlas, tuple(sides)))


@functools.lru_cache(maxsize=16)
def _exams(atlas: Atlas, sides: tuple[str, ...]) -> tuple[Exam, ...]:
    """:func:`candidate_exams`, built once per atlas and set of sides (the atlas is immutable
    and hashed by identity)."""
    exams: list[Exam] = []

    def sided(target: str) -> list[str]:
        midline = atlas.targets[target].midline
        return ["both"] if midline else list(sides)

    for m in atlas.muscles.values():
        if m.is_group:
            continue
        for side in sided(m.id):
            slug = m.id.split(":", 1)[1]
            if m.bedside:  # graded on its own at the bedside; the others by needle only
                movement = _movement_of(atlas, m.id)
                label = f"{m.label} ({movement})" if movement else m.label
                exams.append(Exam(m.id, m.id, side, "mrc", True, label))
            evidence = "emg-paraspinal" if m.emg_only else "emg"
            channel = f"denervation:{m.id}"  # what a needle sees of a lesion's reach
            exams.append(
                Exam(f"emg:{slug}", channel, side, evidence, False, f"needle EMG: {m.label}")
            )
    for r in atlas.reflexes.values():
        if r.umn_only:
            continue
        for side in sided(r.id):
            exams.append(Exam(r.id, r.id, side, "reflex", True, r.label))
    for z in atlas.zones.values():
        for side in sided(z.id):
            exams.append(Exam(z.id, z.id, side, "sensory", True, f"sensation: {z.label}"))
    for s in atlas.studies.values():
        if s.type in ("snap", "ncs"):
            for side in sided(s.id):
                exams.append(Exam(s.id, s.id, side, s.type, False, s.label))
    for z in atlas.zones.values():  # vibration at the bony points
        if z.point:
            slug = z.id.split(":", 1)[1]
            for side in sided(z.id):
                label = f"vibration: {z.label}"
                exams.append(
                    Exam(f"vibration:{slug}", f"vibration:{z.id}", side, "vibration", True, label)
                )
    for g in atlas.signs.values():  # sphincters, Romberg's sign
        for side in sided(g.id):
            exams.append(Exam(g.id, g.id, side, g.type, True, g.label))
    return tuple(exams)


class _Done:
    """Which exams a case has already done, indexed by side (same rule as a scan over every
    finding: same side or either side ``both``; the same id, or a bedside muscle that a muscle
    or movement finding already graded)."""

    def __init__(self, atlas: Atlas, findings: Sequence[Finding]):
        self.ids: dict[str, set[str]] = {"left": set(), "right": set(), "both": set()}
        self.graded: dict[str, set[str]] = {"left": set(), "right": set(), "both": set()}
        for f in findings:
            self.ids.setdefault(f.side, set()).add(f.id)
            if f.kind in ("muscle", "movement"):
                self.graded.setdefault(f.side, set()).update(atlas.members(f.target))

    def __call__(self, exam: Exam) -> bool:
        sides = self.ids.keys() if exam.side == "both" else (exam.side, "both")
        if any(exam.id in self.ids[s] for s in sides):
            return True
        return exam.evidence == "mrc" and any(exam.target in self.graded[s] for s in sides)


def _describe(candidate: Candidate) -> str:
    return " + ".join(f"{lesion.syndrome} ({lesion.side})" for lesion in candidate.lesions)


def next_tests(
    atlas: Atlas,
    weights: Weights,
    candidates: Sequence[Candidate],
    findings: Sequence[Finding],
    limit: int = MAX_TESTS,
) -> list[NextTest]:
    """Tests not yet done whose predicted result differs between candidates, best first."""
    if len(candidates) < 2:
        return []
    prior = _posterior(candidates)
    h0 = _entropy(prior)
    lesion_sets = [[Lesion(x.id, x.side) for x in c.lesions] for c in candidates]
    sides = sorted(
        {x.side for c in candidates for x in c.lesions if x.side != "both"}
        | {f.side for f in findings if f.side != "both"}
    ) or ["left"]
    scored: list[tuple[float, int, str, str, tuple[Exam, list[float], float]]] = []
    done = _Done(atlas, findings)
    exams = [e for e in _exams(atlas, tuple(sides)) if not done(e)]
    bedside_open = {(e.target, e.side) for e in exams if e.evidence == "mrc"}
    unique = sorted({lesion for lesions in lesion_sets for lesion in lesions})
    # A lesion reaches exams on its own side and those of the midline; one of both sides
    # reaches every side.
    sides_of = {"both": (*sides, "both"), "left": ("left", "both"), "right": ("right", "both")}
    # The strength of each candidate lesion for each exam, read off the lesions' own rows (the
    # same as ``reach``): an exam no candidate lesion reaches predicts the same for every
    # candidate and is never visited, so the cost follows the candidates, not the atlas.
    slot = {lesion: k for k, lesion in enumerate(unique)}
    members = [[slot[x] for x in lesions] for lesions in lesion_sets]
    reaching: dict[tuple[str, str], list[Strength]] = {}
    for k, lesion in enumerate(unique):
        for target, strength in atlas.reached(lesion.site).items():
            for side in sides_of.get(lesion.side, (lesion.side,)):
                row = reaching.get((target, side))
                if row is None:
                    row = reaching[target, side] = [Strength.NONE] * len(unique)
                row[k] = strength
    # Exams with the same evidence and the same strengths for every candidate lesion predict
    # the same for every candidate: their probabilities and gain are worked out once.
    outcome: dict[tuple[str, tuple[Strength, ...]], tuple[list[float], float] | None] = {}
    for exam in exams:
        row = reaching.get((exam.target, exam.side))
        if row is None:
            continue
        muscle = exam.target.removeprefix("denervation:")
        if exam.evidence == "emg" and (muscle, exam.side) in bedside_open:
            continue  # the bedside test of the same muscle is suggested first
        signature = (exam.evidence, tuple(row))
        if signature not in outcome:
            outcome[signature] = _separation(weights, exam.evidence, row, members, prior, h0)
        found = outcome[signature]
        if found is None:
            continue
        ps, gain = found
        if not exam.bedside:
            gain *= weights.electrodiagnostic_discount
        if gain < MIN_GAIN_BITS:
            continue
        scored.append(
            (-round(gain, 3), 0 if exam.bedside else 1, exam.id, exam.side, (exam, ps, gain))
        )
    scored.sort(key=lambda row: row[:4])
    merged = _as_movements(atlas, [row[4] for row in scored])
    return [_next_test(candidates, *row) for row in merged[:limit]]


def _as_movements(
    atlas: Atlas, ranked: Sequence[tuple[Exam, list[float], float]]
) -> list[tuple[Exam, list[float], float]]:
    """Muscles the examiner cannot test apart (the two heads of gastrocnemius, semitendinosus
    and semimembranosus) offered once, as their movement: bedside muscles of one movement, on
    one side, whose predictions agree for every candidate become one test of that movement,
    at the place of the best of them."""
    groups: dict[tuple[str, str, tuple[float, ...]], list[Exam]] = {}
    for exam, ps, _ in ranked:
        movement = _movement_id(atlas, exam.target) if exam.evidence == "mrc" else None
        if movement:
            key = (movement, exam.side, tuple(round(p, 6) for p in ps))
            groups.setdefault(key, []).append(exam)
    out: list[tuple[Exam, list[float], float]] = []
    placed: set[tuple[str, str, tuple[float, ...]]] = set()
    for exam, ps, gain in ranked:
        movement = _movement_id(atlas, exam.target) if exam.evidence == "mrc" else None
        key = (movement or "", exam.side, tuple(round(p, 6) for p in ps))
        together = groups.get(key, []) if movement else []
        if len(together) < 2:
            out.append((exam, ps, gain))
            continue
        if key in placed:
            continue
        placed.add(key)
        out.append((_tested_together(atlas, movement, together), ps, gain))  # type: ignore[arg-type]
    return out


def _tested_together(atlas: Atlas, movement: str, exams: Sequence[Exam]) -> Exam:
    """One test for muscles of a movement that agree: the muscle group they make up exactly
    (medial hamstrings) when the knowledge base has one, otherwise the movement itself."""
    muscles = {e.target for e in exams}
    names = ", ".join(sorted(atlas.label(m).lower() for m in muscles))
    verb = atlas.label(movement).lower()
    groups = [
        m.id
        for m in atlas.muscles.values()
        if m.is_group and m.bedside and set(atlas.members(m.id)) == muscles
    ]
    if groups:
        label = f"{atlas.label(groups[0])} ({verb}: {names} together)"
        return Exam(groups[0], groups[0], exams[0].side, "mrc", True, label)
    label = f"{atlas.label(movement)} ({names})"
    return Exam(movement, movement, exams[0].side, "mrc", True, label)


def _separation(
    weights: Weights,
    evidence: str,
    row: Sequence[Strength],
    members: Sequence[Sequence[int]],
    prior: Sequence[float],
    h0: float,
) -> tuple[list[float], float] | None:
    """Each candidate's probability of an abnormal result and the expected information gain
    (before any discount), or None when every candidate predicts the same label."""
    ps = [predicted_abnormal(weights, evidence, [row[k] for k in ks if row[k]]) for ks in members]
    if len({p >= 0.5 for p in ps}) < 2:
        return None
    p_abn = sum(w * p for w, p in zip(prior, ps, strict=True))
    gain = h0
    for outcome_p, likelihood in ((p_abn, ps), (1 - p_abn, [1 - p for p in ps])):
        if outcome_p <= 0:
            continue
        post = [w * lk / outcome_p for w, lk in zip(prior, likelihood, strict=True)]
        gain -= outcome_p * _entropy(post)
    return ps, gain


def _next_test(
    candidates: Sequence[Candidate], exam: Exam, ps: list[float], gain: float
) -> NextTest:
    spec = finding_kind(exam.id.partition(":")[0])
    labels = [spec.abnormal if p >= 0.5 else spec.normal for p in ps]
    groups = {
        word: [
            f"{_describe(c)} [#{c.rank}]"
            for c, lab in zip(candidates, labels, strict=True)
            if lab == word
        ]
        for word in (spec.abnormal, spec.normal)
    }
    why = "; ".join(f"{word} if {', '.join(names)}" for word, names in groups.items() if names)
    return NextTest(
        test=exam.id,
        side=exam.side,
        label=exam.label,
        kind="bedside" if exam.bedside else "electrodiagnostic",
        predictions={str(c.rank): lab for c, lab in zip(candidates, labels, strict=True)},
        probabilities={str(c.rank): round(p, 3) for c, p in zip(candidates, ps, strict=True)},
        gain=round(gain, 4),
        why=why,
    )
