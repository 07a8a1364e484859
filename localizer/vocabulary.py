"""Every name a case may use (``neuroloc vocabulary``) and the checks of the localizer's data."""

from __future__ import annotations

from typing import Any

from neuroloc.anatomy import Atlas, NeurolocError, UnknownName
from neuroloc.anatomy.names import NameIndex
from neuroloc.findings import grade_table

GROUPS: dict[str, tuple[str, ...]] = {
    "muscles": ("muscle",),
    "movements": ("movement",),
    "reflexes": ("reflex",),
    "zones": ("sensory", "point"),
    "studies": ("snap", "cmap"),
    "signs": ("sphincter", "sign"),
}
CLINICAL_GROUPS = ("red-flags", "features", "causes")


def _kinds() -> list[dict[str, Any]]:
    """Every finding kind (kinds.yaml) with its other spellings, what it names and its grades,
    then the sensory-level shorthand."""
    from neuroloc.findings import LEVELS, SENSORY_LEVEL
    from neuroloc.kinds import finding_kinds

    rows = [
        {
            "id": kind.name,
            "name": f"{kind.name}: {kind.exam} (grades: {kind.examples})",
            "synonyms": list(kind.names),
        }
        for kind in finding_kinds().values()
    ]
    modalities = ", ".join(k.name for k in finding_kinds().values() if k.modality)
    rows.append(
        {
            "id": SENSORY_LEVEL,
            "name": (
                f"{SENSORY_LEVEL}: LEVEL ({LEVELS[0]} ... {LEVELS[-1]}), optionally with a "
                f"modality ({modalities}): that loss from the level down, the trunk above normal"
            ),
            "synonyms": ["sensory level=T10", "pinprick level=T10@left"],
        }
    )
    return rows


def _grades() -> list[dict[str, Any]]:
    """Every accepted grade spelling per family, then the side spellings."""
    numeric = {
        "motor": "MRC 0-5, 4-, 4+, 4/5, 4-/5 (5 is normal)",
        "reflex": "NINDS 0-4, 1+, 2+, 3+, 4+ (2 is normal; 3-4 are upper-motor-neuron signs)",
    }
    table = grade_table()
    rows = []
    for family, words in table.families.items():
        spellings = [f"{word} ({status})" for word, status in sorted(words.items())]
        aliases = table.aliases.get(family, {})
        spellings += [f"{word} (= {grade})" for word, grade in aliases.items()]
        rows.append(
            {
                "id": family,
                "name": family,
                "synonyms": spellings + ([numeric[family]] if family in numeric else []),
            }
        )
    for phrase, finding in table.phrases.items():
        kind = next(k for k in finding if k != "grade")
        meaning = f"{kind}:{finding[kind]}={finding['grade']}"
        rows.append({"id": f"phrase:{phrase}", "name": f"{phrase} = {meaning}", "synonyms": []})
    for side in ("left", "right", "both"):
        spellings = sorted(s for s, meaning in table.sides.items() if meaning == side)
        rows.append({"id": f"side:{side}", "name": f"side {side}", "synonyms": spellings})
    return rows


def vocabulary(atlas: Atlas, kind: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """``{group: [{id, name, synonyms}]}`` for one group or all of them, in ``atlas``'s names."""
    all_groups = [*GROUPS, *CLINICAL_GROUPS, "grades", "kinds"]
    if kind is not None and kind not in all_groups:
        index = NameIndex("vocabulary kind")
        for group in all_groups:
            index.add(group, [group, group.rstrip("s")])
        if index.lookup(kind):
            kind = index.lookup(kind)[0]
        else:
            raise UnknownName(kind, "vocabulary kind", index.suggest(kind) or tuple(all_groups))
    wanted = [kind] if kind else all_groups
    out: dict[str, list[dict[str, Any]]] = {}
    for group in wanted:
        if group in GROUPS:
            rows = []
            for resolver_kind in GROUPS[group]:
                names = atlas.index(resolver_kind).names()
                for ident, given in names.items():
                    label = atlas.label(ident)
                    rows.append(
                        {
                            "id": ident,
                            "name": label,
                            "synonyms": [n for n in given if n != label and n != ident],
                        }
                    )
            out[group] = rows
        elif group in CLINICAL_GROUPS:
            from neuroloc import clinical

            table = clinical.vocabulary()
            out[group] = [
                {"id": ident, "name": label, "synonyms": list(synonyms)}
                for ident, label, synonyms in table.get(group, [])
            ]
        elif group == "grades":
            out[group] = _grades()
        elif group == "kinds":
            out[group] = _kinds()
    return out


def validate_localizer_data(atlas: Atlas) -> list[str]:
    """Faults in the localizer's own tables (ranking weights, grade words, clinical context,
    ontology, whose records must name structures of ``atlas``), each read from its YAML, never
    from the cache."""
    import importlib.resources

    from neuroloc import clinical
    from neuroloc.anatomy.yamlsafe import read_table
    from neuroloc.ranking import parse_weights

    faults: list[str] = []
    data = importlib.resources.files("neuroloc") / "data"
    weights, fault = read_table(data / "ranking.yaml")
    if fault:
        faults.append(fault)
    else:
        try:
            parse_weights(weights)
        except NeurolocError as exc:
            faults.append(str(exc))
    grades_fault = read_table(data / "grades.yaml")[1]
    if grades_fault:
        faults.append(grades_fault)
    faults.extend(validate_kinds())
    faults.extend(clinical.validate_clinical_data())
    faults.extend(validate_ontology(atlas))
    return faults


def validate_kinds() -> list[str]:
    """kinds.yaml: each kind's grade family, evidence class and resolver kinds exist."""
    import importlib.resources

    from neuroloc.anatomy.atlas import KINDS
    from neuroloc.anatomy.yamlsafe import read_table
    from neuroloc.ranking import load_weights

    fault = read_table(importlib.resources.files("neuroloc") / "data" / "kinds.yaml")[1]
    if fault:
        return [fault]
    try:
        from neuroloc.kinds import finding_kinds

        kinds = finding_kinds()
        families = grade_table().families
        evidence = load_weights().sensitivity
    except (KeyError, TypeError, NeurolocError) as exc:
        return [f"kinds.yaml: malformed ({exc})"]
    faults: list[str] = []
    for kind in kinds.values():
        if kind.grades not in families:
            faults.append(f"kinds.yaml {kind.name}: unknown grade family {kind.grades!r}")
        if kind.evidence not in evidence:
            faults.append(f"kinds.yaml {kind.name}: no sensitivity row {kind.evidence!r}")
        for resolver in kind.resolve:
            if resolver not in KINDS:
                faults.append(f"kinds.yaml {kind.name}: unknown resolver kind {resolver!r}")
    return faults


def validate_ontology(atlas: Atlas) -> list[str]:
    """ontology.yaml: its shape, HPO id syntax, and that every record names a finding or a
    structure of the knowledge base. (That each HPO id exists in the stamped release, is not
    obsolete and carries its label is checked by the test suite against the HPO package.)"""
    import re

    from neuroloc.ontology import parse, raw_table

    try:
        onto = parse(raw_table())
    except (KeyError, TypeError, ValueError) as exc:
        return [f"ontology.yaml: {exc}"]
    faults: list[str] = []
    hpo_id = re.compile(r"^HP:\d{7}$")
    for fid, record in onto.records.items():
        from neuroloc.labels import finding_target

        target = finding_target(atlas, fid)
        try:
            atlas.structure(target)
        except KeyError:
            faults.append(f"ontology.yaml {fid}: no such finding in the knowledge base")
        terms = [record.abnormal, *record.grades.values(), *record.excluded]
        for term in (t for t in terms if t is not None):
            for ident in (term.hpo, term.nearest):
                if ident is not None and not hpo_id.match(ident):
                    faults.append(f"ontology.yaml {fid}: {ident!r} is not an HPO id")
    for ident in onto.structures:
        try:
            atlas.structure(ident)
        except KeyError:
            faults.append(f"ontology.yaml structures: {ident} is not in the knowledge base")
    return faults
