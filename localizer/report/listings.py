"""The text of the command line's other answers: a simulated examination, the examples list,
the vocabulary, an example's verdict and the knowledge base's summary.

Each function formats data it is given (labels included) and returns the text without a final
newline; none reads a table or runs the engine. The command line only prints what they return.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from neuroloc.report.wrapping import wrap_lines

if TYPE_CHECKING:  # pragma: no cover
    from neuroloc.anatomy import Atlas
    from neuroloc.forward import Simulation

NAME_COLUMN = 38  # where an example's title starts in ``examples list``


# ------------------------------------------------------------------ neuroloc simulate
def simulation_text(simulation: Simulation) -> str:
    """The predicted examination: abnormal findings, then the normal ones a lesion reaches
    below the threshold, then how many others are predicted normal."""
    lines = [f"predicted examination for {simulation.names}:"]
    exam = simulation.findings
    for title, wanted in (("abnormal", ("abnormal", "umn")), ("normal (spared)", ("normal",))):
        shown = [f for f in exam if f.status in wanted and (f.strength or f.status != "normal")]
        if not shown:
            continue
        lines.append(f"  {title}:")
        for f in shown:
            how = f"{f.strength.label}" if f.strength else "not reached"
            label = simulation.labels.get(f.target, f.target)
            lines.append(f"    {label} = {f.grade} ({f.side}; {how})")
    untouched = sum(1 for f in exam if not f.strength and f.status == "normal")
    lines.append(f"  and {untouched} other examinations predicted normal (not reached)")
    return "\n".join(lines)


def simulation_json(simulation: Simulation) -> dict[str, Any]:
    """The lesions and every predicted finding with the strength that reaches it."""
    return {
        "lesions": [{"id": x.site, "side": x.side} for x in simulation.lesions],
        "findings": [
            {
                "kind": f.kind,
                "target": f.target,
                "side": f.side,
                "strength": f.strength.label if f.strength else None,
                "status": f.status,
                "grade": f.grade,
            }
            for f in simulation.findings
        ],
    }


def simulation_case(simulation: Simulation) -> str:
    """The prediction as a case file (YAML) that ``neuroloc localize`` reads back."""
    import yaml

    from neuroloc.forward import as_case

    case = as_case(simulation.findings, title=f"simulated: {simulation.names}")
    return str(yaml.safe_dump(case, sort_keys=False, allow_unicode=True))


# ------------------------------------------------------------------ neuroloc examples
def examples_text(rows: Sequence[Any]) -> str:
    """``neuroloc examples list``: the examples by section and group, each with its title."""
    lines: list[str] = []
    section = group = None
    for e in rows:
        if e.section != section:
            lines.extend(wrap_lines([e.section] if section is None else ["", e.section]))
            section, group = e.section, e.section
        if e.group != group:
            lines.extend(wrap_lines([f"  {e.group}"]))
            group = e.group
        indent = "    " if e.group != e.section else "  "
        row = f"{indent}{e.name:<{NAME_COLUMN - len(indent)}} {e.title}"
        lines.extend(wrap_lines([row], hang=" " * (NAME_COLUMN + 1)))
    return "\n".join(lines)


def verdict_lines(head: str, passed: bool, problems: Sequence[str], whom: str) -> list[str]:
    """An example's verdict: ``head`` then whether the answer ``matches`` or ``DIFFERS from``
    ``whom``, then each problem."""
    status = "matches" if passed else "DIFFERS from"
    return [f"{head}{status} {whom}", *(f"  - {problem}" for problem in problems)]


# ------------------------------------------------------------------ neuroloc vocabulary
def vocabulary_text(data: Mapping[str, Sequence[Mapping[str, Any]]]) -> str:
    """Every group, then its names each with its synonyms."""
    lines: list[str] = []
    for group, rows in data.items():
        lines.append(f"{group}:")
        for row in rows:
            synonyms = f"  (also: {', '.join(row['synonyms'])})" if row["synonyms"] else ""
            lines.append(f"  {row['name']}{synonyms}")
    return "\n".join(lines)


# ------------------------------------------------------------------ neuroloc validate
def atlas_summary(atlas: Atlas) -> str:
    """The one line ``neuroloc validate`` prints for a sound knowledge base."""
    return (
        f"knowledge base OK: {len(atlas.sites)} sites, {len(atlas.targets)} targets, "
        f"{len(atlas.muscles)} muscles, {len(atlas.zones)} zones, {len(atlas.sources)} sources"
    )
