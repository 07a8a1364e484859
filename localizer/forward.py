"""The forward model: given lesions, the examination they predict.

:func:`simulate` walks every examinable target (bedside muscles, or needle EMG for the muscles
that cannot be graded at the bedside; reflexes, sensory zones, SNAPs and conduction studies
across a segment) on the sides the lesions touch, and predicts how strongly the lesions reach it
(the strongest :func:`~neuroloc.solve.problem.reach` over the lesions, the same pathway graph the
localizer inverts) and whether it should be abnormal (strength at least ``threshold``).
:func:`as_case` writes such a prediction as a case-file mapping that
:func:`neuroloc.localize` reads back.

>>> from neuroloc import Localizer
>>> from neuroloc.solve.problem import Lesion
>>> atlas = Localizer().atlas
>>> exam = simulate(atlas, [Lesion("nerve:common-fibular@fibular-head", "left")])
>>> [f.status for f in exam if f.target == "muscle:tibialis-anterior"]
['abnormal']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from neuroloc.anatomy import Atlas, Strength
from neuroloc.findings import Finding
from neuroloc.kinds import finding_kind
from neuroloc.solve.problem import Lesion, reach

# The grade written for a predicted abnormal / normal result where it is not the kind's own
# words (kinds.yaml `abnormal` / `normal`): an MRC grade, and a reflex absent rather than
# reduced (a lesion that cuts the arc).
GRADES: dict[str, tuple[str, str]] = {
    "muscle": ("3", "5"),
    "reflex": ("absent", "normal"),
}
# Second views of a target already in the exam, predicted only where they add to it: the
# sweating of a zone predicted numb (lost with a plexus or nerve lesion, kept with a root), and
# the wasting and fasciculations of a muscle where a lesion makes them more likely than its
# weakness (motor neuron disease). Elsewhere they would repeat the muscle's own prediction
# and fill every exam with hundreds of findings.
WHERE_REACHED: frozenset[str] = frozenset({"wasting", "fasciculations", "sweating"})


@dataclass(frozen=True, slots=True)
class SimulatedFinding:
    """One predicted examination result."""

    kind: str  # the case-file key: muscle, emg, reflex, sensory, snap or ncs
    target: str  # the atlas target id
    side: str  # left | right | both (midline targets)
    strength: Strength  # the strongest reach of any lesion (NONE when none reaches it)
    abnormal: bool  # strength >= the simulation's threshold
    sign: str = ""  # the grade of an upper-motor-neuron sign: brisk (a reflex), positive

    @property
    def status(self) -> str:
        return "umn" if self.sign else "abnormal" if self.abnormal else "normal"

    @property
    def grade(self) -> str:
        spec = finding_kind(self.kind)
        words = GRADES.get(self.kind, (spec.abnormal, spec.normal))
        return self.sign or words[0 if self.abnormal else 1]

    @property
    def row(self) -> str:
        """The coverage row the prediction reads (``denervation:muscle:...`` for needle EMG,
        ``vibration:sensory:ankle`` for vibration at a bony point)."""
        if self.kind == "emg":
            return f"denervation:{self.target}"
        channel = finding_kind(self.kind).row
        return f"{channel}:{self.target}" if channel else self.target


def lesion_sides(lesions: Iterable[Lesion]) -> list[str]:
    """The sides a set of lesions touches (a bilateral lesion touches both)."""
    sides: set[str] = set()
    for lesion in lesions:
        sides.update(("left", "right") if lesion.side == "both" else (lesion.side,))
    return sorted(sides)


def examinable(atlas: Atlas) -> list[tuple[str, str]]:
    """``(kind, target)`` for every target an examination can observe, sorted by target id:
    bedside muscles (needle EMG for those never graded at the bedside) and their wasting and
    fasciculations, reflexes and the signs of the upper motor neuron, sensory zones and their
    sweating, vibration at the bony points, SNAPs, conduction across a segment, the sphincters
    and Romberg's sign."""
    out: list[tuple[str, str]] = []
    for ident in sorted(atlas.targets):
        target = atlas.targets[ident]
        if target.kind == "muscle":
            bedside = not atlas.muscles[ident].emg_only
            out.append(("muscle" if bedside else "emg", ident))
            out.extend((kind, ident) for kind in ("wasting", "fasciculations") if bedside)
        elif target.kind == "sensory" and atlas.zones[ident].point:
            out.append(("vibration", ident))
        elif target.kind == "sensory":
            out.extend((kind, ident) for kind in ("sensory", "sweating"))
        elif target.kind in ("reflex", "snap", "ncs", "sphincter", "sign"):
            out.append((target.kind, ident))
    return out


def _probe(target: str, side: str) -> Finding:
    return Finding(target, "", target, side, "normal", "", "", -1)  # type: ignore[arg-type]


def _strength(atlas: Atlas, lesions: Sequence[Lesion], target: str, side: str) -> Strength:
    probe = _probe(target, side)
    return max((reach(atlas, x, probe) for x in lesions), default=Strength.NONE)


def simulate(
    atlas: Atlas, lesions: Sequence[Lesion], *, threshold: Strength = Strength.PARTIAL
) -> list[SimulatedFinding]:
    """The examination a set of lesions predicts, target by target, side by side.

    A reflex whose arc is cut is absent; one whose arc is intact but whose upper motor neuron
    is reached is brisk; a sign with no arc (plantar, Hoffmann) is positive when reached.
    """
    sides = lesion_sides(lesions) or ["left"]
    out: list[SimulatedFinding] = []
    for kind, target in examinable(atlas):
        for side in ["both"] if atlas.targets[target].midline else sides:
            umn_only = kind == "reflex" and atlas.reflexes[target].umn_only
            found = SimulatedFinding(kind, target, side, Strength.NONE, False)
            strength = Strength.NONE if umn_only else _strength(atlas, lesions, found.row, side)
            if kind in WHERE_REACHED:
                own = _strength(atlas, lesions, target, side)
                numb = kind == "sweating" and own >= threshold
                if not numb and (kind == "sweating" or strength < threshold or strength == own):
                    continue
            found = SimulatedFinding(kind, target, side, strength, strength >= threshold)
            if kind == "reflex" and not found.abnormal:
                sign = _strength(atlas, lesions, f"umn:{target}", side)
                if sign >= threshold:
                    word = "positive" if umn_only else "brisk"
                    found = SimulatedFinding(kind, target, side, sign, False, sign=word)
            out.append(found)
    return out


@dataclass(frozen=True, slots=True)
class Simulation:
    """What a lesion set predicts, with the words to print it (resolved from the atlas the
    simulation ran on, so a renderer reads no table): ``neuroloc.simulate``'s answer."""

    lesions: tuple[Lesion, ...]
    names: str  # the lesions in words: "L5 root (right) + S1 root (right)"
    findings: tuple[SimulatedFinding, ...]
    labels: Mapping[str, str]  # target id -> its readable name
    threshold: Strength = Strength.PARTIAL


def simulation(
    atlas: Atlas, lesions: Sequence[Lesion], *, threshold: Strength = Strength.PARTIAL
) -> Simulation:
    """:func:`simulate`, with the lesions and the targets named from ``atlas``."""
    from neuroloc.labels import finding_label

    exam = simulate(atlas, lesions, threshold=threshold)
    names = " + ".join(f"{atlas.label(x.site)} ({x.side})" for x in lesions)
    labels = {f.target: finding_label(atlas, f.target) for f in exam}
    return Simulation(tuple(lesions), names, tuple(exam), labels, threshold)


def finding_entry(finding: SimulatedFinding) -> dict[str, Any]:
    """One simulated finding as a case-file finding mapping."""
    return {finding.kind: finding.target, "grade": finding.grade, "side": finding.side}


def as_case(
    simulated: Iterable[SimulatedFinding],
    *,
    title: str = "simulated examination",
    skip_uncertain: bool = False,
) -> dict[str, Any]:
    """A case-file mapping (CONTRACT §2) of simulated findings, in the order given.

    ``skip_uncertain`` leaves out the findings predicted normal that a lesion still reaches
    below the threshold (e.g. a ``possible`` link): the model cannot say how they would turn out.
    """
    findings = [
        finding_entry(f)
        for f in simulated
        if not (skip_uncertain and f.status == "normal" and f.strength > Strength.NONE)
    ]
    lateral = sorted({f["side"] for f in findings if f["side"] != "both"})
    return {"title": title, "side": lateral[0] if lateral else "left", "findings": findings}


def parse_lesion(atlas: Atlas, spec: str, default_side: str | None = None) -> Lesion:
    """``SITE[@SIDE]`` -> a :class:`Lesion`: a site's id or name, with its side after the last
    ``@`` (``nerve:common-fibular@fibular-head@left``, ``root:L5@right``, ``cauda-equina``).

    A site that exists on one side only takes it from ``default_side`` (left when not given);
    one process of both sides (the cauda equina, the diffuse patterns) is ``both``.

    >>> from neuroloc import Localizer
    >>> atlas = Localizer().atlas
    >>> parse_lesion(atlas, "root:L5@right")
    Lesion(site='root:L5', side='right')
    >>> parse_lesion(atlas, "cauda equina")
    Lesion(site='cauda-equina', side='both')
    """
    from neuroloc.anatomy import NeurolocError
    from neuroloc.findings import parse_side

    name, side = spec.strip(), None
    head, at, tail = name.rpartition("@")
    if at and head:
        try:
            side = parse_side(tail, spec)
            name = head
        except NeurolocError:
            side = None  # the @ belongs to the site id (nerve:NERVE@SITE)
    site = atlas.resolve(name, ("site",), where=spec)
    sides = atlas.sites[site].sides
    chosen = side or (default_side if default_side in sides else None) or sides[0]
    if chosen not in sides:
        raise NeurolocError(f"{spec}: {site} is a lesion of side(s) {', '.join(sides)}")
    return Lesion(site, chosen)
