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
    "zones": ("sensory",),
    "studies": ("snap", "cmap"),
}
CLINICAL_GROUPS = ("red-flags", "features", "causes")


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
    all_groups = [*GROUPS, *CLINICAL_GROUPS, "grades"]
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
    faults.extend(clinical.validate_clinical_data())
    faults.extend(validate_ontology(atlas))
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
        kind, _, slug = fid.partition(":")
        target = f"muscle:{slug}" if kind == "emg" else fid
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
