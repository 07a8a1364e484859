"""Compact case builders shared by the table-driven tests."""

from __future__ import annotations

from neuroloc.solve.problem import Pruning


def case(side: str, *findings: tuple, **extra) -> dict:
    """A case from rows like ("muscle", "TA", 2) or ("reflex", "ankle", "absent", "right")."""
    rows = []
    for kind, name, grade, *rest in findings:
        row = {kind: name, "grade": grade}
        if rest:
            row["side"] = rest[0]
        rows.append(row)
    return {"side": side, "findings": rows, **extra}


def first(result) -> set[tuple[str, str]]:
    """The (site, side) pairs of the leading candidate."""
    return {(lesion.id, lesion.side) for lesion in result.candidates[0].lesions}


# A tibial neuropathy in the popliteal fossa: calf, tibialis posterior and toe flexors weak, the
# hamstrings, gluteus maximus and the fibular muscles strong (used by several test files).
TIBIAL_POPLITEAL = case(
    "left",
    ("movement", "ankle plantarflexion", 3),
    ("muscle", "tibialis posterior", 3),
    ("movement", "toe flexion", 3),
    ("reflex", "ankle", "absent"),
    ("sensory", "sole", "reduced"),
    ("movement", "hip extension", 5),
    ("movement", "knee flexion", 5),
    ("muscle", "tibialis anterior", 5),
    ("movement", "foot eversion", 5),
)


class Recording(Pruning):
    """A pruning that remembers every set recorded in it (to check what a seed records)."""

    def __init__(self, bound: Pruning):
        super().__init__(bound.constant, bound.coefficients, bound.top, bound._partial)
        self.recorded: list[tuple[int, ...]] = []

    def add(self, chosen):
        self.recorded.append(chosen)
        return super().add(chosen)
