"""The localization result as typed objects, and its JSON form (CONTRACT.md §3).

A :class:`Localization` is self-contained: it holds the parsed case, the options it was run
with, and everything the engine computed (candidates, next tests, the electrodiagnostic
reasoning, the clinical context, what would change the answer), so renderers only format.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from neuroloc.clinical import CauseRanking, PainTiming, RedFlag, clinical_json
from neuroloc.findings import Case

if TYPE_CHECKING:  # pragma: no cover
    from neuroloc.anatomy import Atlas
    from neuroloc.teaching import Page, Teaching

SCHEMA = "neuroloc.localization/1"
DISCLAIMER = (
    "neuroloc is a teaching and decision-support aid, not a diagnosis: it reasons only from the "
    "findings given and a simplified anatomical model; every result needs a clinician's judgement."
)


@dataclass(frozen=True, slots=True)
class FindingResult:
    id: str
    side: str
    status: str  # abnormal | normal | umn
    grade: str
    input: str
    target: str  # the atlas structure observed
    label: str = ""  # the finding in words, resolved by the engine from its atlas


@dataclass(frozen=True, slots=True)
class LesionResult:
    id: str  # the site id (a staged pattern's stage included: pattern:...@feet)
    side: str
    level: str
    label: str
    syndrome: str
    eponyms: tuple[str, ...] = ()
    category: str = ""
    causes: tuple[str, ...] = ()
    public_id: str = ""  # the contract's id (a staged pattern without its stage)
    stage: str = ""


@dataclass(frozen=True, slots=True)
class Link:
    """A finding tied to the lesion that explains it (or that predicted it abnormal)."""

    finding: str
    side: str
    by: str
    strength: str
    by_side: str = ""
    label: str = ""  # the finding in words


@dataclass(frozen=True, slots=True)
class Unexplained:
    finding: str
    side: str
    label: str = ""  # the finding in words


@dataclass(frozen=True, slots=True)
class Candidate:
    rank: int
    lesions: tuple[LesionResult, ...]
    score: float
    explains: tuple[Link, ...]
    unexplained: tuple[Unexplained, ...]
    conflicts: tuple[Link, ...]
    pattern: str | None = None  # CONTRACT §4c: bilateral, multilevel radiculopathy, ...
    mirror_image: bool = False  # its mirror image (sides swapped) fits exactly as well
    pattern_note: str = ""  # e.g. "mononeuritis multiplex pattern"
    # Posterior probability under the README's model, normalised over every set enumerated.
    probability: float = 0.0

    @property
    def site_ids(self) -> tuple[str, ...]:
        return tuple(lesion.id for lesion in self.lesions)


@dataclass(frozen=True, slots=True)
class NextTest:
    test: str
    side: str
    label: str
    kind: str  # bedside | electrodiagnostic
    predictions: dict[str, str]
    probabilities: dict[str, float]
    gain: float
    why: str


@dataclass(frozen=True, slots=True)
class Fit:
    """How well the best candidate explains the findings (CONTRACT §3 ``fit``)."""

    quality: str  # good | fair | poor
    why: str
    consider: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Options:
    """The options a localization ran with, as given (so a re-run can repeat them)."""

    top: int
    max_lesions: int
    side: str | None
    solver: str
    timeout: float


@dataclass(frozen=True, slots=True)
class WhatIf:
    """One possible result of a suggested test and the answer it would lead to."""

    test: str
    side: str
    label: str
    grade: str
    leader: str  # the new leading candidate, in words
    confirms: bool  # the current leader stays first


@dataclass(frozen=True)
class Localization:
    title: str
    findings: tuple[FindingResult, ...]
    candidates: tuple[Candidate, ...]
    case: Case
    options: Options
    next_tests: tuple[NextTest, ...] = ()
    edx: tuple[str, ...] = ()  # electrodiagnostic findings in words
    red_flags: tuple[RedFlag, ...] = ()
    pain_timing: PainTiming | None = None
    causes: tuple[CauseRanking, ...] = ()
    warnings: tuple[str, ...] = ()
    mode: str = "strict"  # strict | relaxed
    timed_out: bool = False
    solver: str = "z3"
    disclaimer: str = DISCLAIMER
    what_if: tuple[WhatIf, ...] = ()  # filled by explain (neuroloc.Localizer.explain)
    teaching: Teaching | None = None  # the reasoning a teaching page shows (explain only)
    fit: Fit | None = None  # None when nothing is abnormal (no candidates to judge)
    page: Page | None = None  # the teaching page every format lays out (explain only)
    # The knowledge base the result was computed with: the pathway diagram and the Phenopacket
    # export draw from it (a result knows where it came from; never compared or printed).
    atlas: Atlas | None = field(default=None, compare=False, repr=False)

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def _link(link: Link) -> dict[str, Any]:
    out = {"finding": link.finding, "side": link.side, "by": link.by, "strength": link.strength}
    if link.by_side:
        out["by_side"] = link.by_side
    return out


@functools.cache
def _hpo_release() -> str:
    """``neuroloc.ontology.hpo_release()`` without compiling the whole ontology table: the
    release field of ``ontology.yaml``, read through the content-keyed JSON cache (the JSON of
    every result carries it; the full table is parsed only by the commands that map terms)."""
    import importlib.resources

    from neuroloc.anatomy.loader import cached_data

    def parse(text: str) -> Any:
        from neuroloc.anatomy.yamlsafe import load_yaml  # duplicate keys refused

        return load_yaml(text)

    source = importlib.resources.files("neuroloc.anatomy").joinpath("data/ontology.yaml")
    return str(cached_data("ontology", source, parse)["hpo_release"])


def to_json(result: Localization) -> dict[str, Any]:
    """The contract's JSON structure; extra keys are additive and documented in the README."""
    from neuroloc.ontology import finding_hpo, lesion_uberon
    from neuroloc.versions import versions

    clinical_part = clinical_json(result.red_flags, result.pain_timing, result.causes)
    return {
        "schema": SCHEMA,
        "hpo_release": _hpo_release(),
        "versions": versions(),
        "title": result.title,
        "findings": [
            {
                "id": f.id,
                "label": f.label,
                "side": f.side,
                "status": "abnormal" if f.status == "myopathic" else f.status,
                "grade": f.grade,
                "input": f.input,
                **({"hpo": hpo} if (hpo := finding_hpo(f.id, f.status, f.grade)) else {}),
            }
            for f in result.findings
        ],
        "candidates": [
            {
                "rank": c.rank,
                "lesions": [
                    {
                        "id": lesion.public_id or lesion.id,
                        **({"stage": lesion.stage} if lesion.stage else {}),
                        "side": lesion.side,
                        "level": lesion.level,
                        "label": lesion.label,
                        "syndrome": lesion.syndrome,
                        "eponyms": list(lesion.eponyms),
                        "category": lesion.category,
                        "causes": list(lesion.causes),
                        **(
                            {"uberon": uberon}
                            if (uberon := lesion_uberon(lesion.public_id or lesion.id))
                            else {}
                        ),
                    }
                    for lesion in c.lesions
                ],
                "score": c.score,
                "probability": c.probability,
                "pattern": c.pattern,
                **({"mirror_image": True} if c.mirror_image else {}),
                **({"pattern_note": c.pattern_note} if c.pattern_note else {}),
                "explains": [_link(x) for x in c.explains],
                "unexplained": [{"finding": u.finding, "side": u.side} for u in c.unexplained],
                "conflicts": [_link(x) for x in c.conflicts],
            }
            for c in result.candidates
        ],
        "next_tests": [
            {
                "test": t.test,
                "side": t.side,
                "label": t.label,
                "kind": t.kind,
                "predictions": t.predictions,
                "why": t.why,
            }
            for t in result.next_tests
        ],
        "red_flags": clinical_part["red_flags"],
        "pain_timing": clinical_part["pain_timing"],
        "causes": clinical_part["causes"],
        "fit": (
            None
            if result.fit is None
            else {
                "quality": result.fit.quality,
                "why": result.fit.why,
                "consider": list(result.fit.consider),
            }
        ),
        "warnings": list(result.warnings),
        "mode": result.mode,
        "timed_out": result.timed_out,
        "solver": result.solver,
        "disclaimer": result.disclaimer,
    }
