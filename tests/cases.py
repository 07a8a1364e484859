"""Compact case builders shared by the table-driven tests."""

from __future__ import annotations


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
