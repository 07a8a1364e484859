"""HPO and UBERON ids for neuroloc's findings (``neuroloc/anatomy/data/ontology.yaml``).

A finding maps to an HPO term in one of two ways: a *specific* term means exactly that finding
(``Foot dorsiflexor weakness`` for ankle dorsiflexion) and is read back as it; a *general* term
(``hpo: null`` with ``nearest``) is only the nearest broader term HPO has (``Pelvic girdle muscle
weakness`` for gluteus medius), written for an abnormal finding, never excluded, and never read
back as one finding. Laterality is the HPO modifier Left / Right / Bilateral, motor severity the
HPO severity modifier of the MRC grade.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.resources
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

LEFT, RIGHT, BILATERAL = "HP:0012835", "HP:0012834", "HP:0012832"
UNILATERAL = "HP:0012833"

# Grade words (as neuroloc.findings canonicalises them) -> grade class used by the table.
_GRADE_CLASS: dict[str, dict[str, str]] = {
    "reflex": {
        "0": "absent",
        "absent": "absent",
        "mute": "absent",
        "1": "reduced",
        "reduced": "reduced",
        "diminished": "reduced",
        "depressed": "reduced",
        "trace": "reduced",
        "hypoactive": "reduced",
        "3": "brisk",
        "brisk": "brisk",
        "increased": "brisk",
        "hyperactive": "brisk",
        "4": "clonus",
        "clonus": "clonus",
        "extensor": "extensor",
        "upgoing": "extensor",
        "babinski": "extensor",
        "positive": "extensor",
        "present": "extensor",
    },
    "sensory": {
        "absent": "absent",
        "anaesthesia": "absent",
        "anesthesia": "absent",
        "reduced": "reduced",
        "numb": "reduced",
        "hypoaesthesia": "reduced",
        "hypoesthesia": "reduced",
        "pain": "pain",
        "paresthesia": "paresthesia",
        "paraesthesia": "paresthesia",
        "tingling": "paresthesia",
        "dysaesthesia": "dysesthesia",
        "dysesthesia": "dysesthesia",
        "abnormal": "abnormal",
    },
    "study": {"absent": "absent", "reduced": "reduced", "low": "reduced", "abnormal": "abnormal"},
    "ncs": {
        "block": "block",
        "conduction block": "block",
        "slowing": "slowing",
        "focal slowing": "slowing",
        "abnormal": "abnormal",
    },
    "sudomotor": {"absent": "absent", "anhidrosis": "absent", "reduced": "reduced"},
    "sphincter": {
        "retention": "retention",
        "incontinence": "incontinence",
        "incontinent": "incontinence",
    },
    "emg": {
        "denervation": "abnormal",
        "fibrillations": "abnormal",
        "neurogenic": "abnormal",
        "abnormal": "abnormal",
        "chronic neurogenic": "chronic",
        "reinnervation": "chronic",
        "myopathic": "myopathic",
    },
}
_MOTOR_SEVERE = frozenset({"0", "1", "2", "paralysed", "paralyzed", "plegic"})
# The grade a finding read from a term gets when the term names no grade of its own.
DEFAULT_ABNORMAL_GRADE = {
    "motor": "weak",
    "reflex": "reduced",
    "sensory": "reduced",
    "study": "reduced",
    "ncs": "abnormal",
    "emg": "denervation",
    "lmn-sign": "present",
    "sudomotor": "reduced",
    "sphincter": "retention",
    "sign": "positive",
}
NORMAL_GRADE = {
    "motor": "5",
    "reflex": "normal",
    "sensory": "normal",
    "study": "normal",
    "ncs": "normal",
    "emg": "normal",
    "lmn-sign": "absent",
    "sudomotor": "normal",
    "sphincter": "normal",
    "sign": "negative",
}


@dataclass(frozen=True, slots=True)
class Term:
    """One HPO term of a finding: ``hpo`` when specific, else ``nearest`` (general only)."""

    hpo: str | None
    label: str
    nearest: str | None = None

    @property
    def id(self) -> str:
        """The id written to a Phenopacket: the specific term, else the nearest general one."""
        return self.hpo or self.nearest or ""

    @property
    def specific(self) -> bool:
        return self.hpo is not None


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    abnormal: Term | None
    grades: Mapping[str, Term]
    excluded: tuple[Term, ...]
    primary: bool
    uberon: Mapping[str, str] | None


@dataclass(frozen=True, slots=True)
class Reading:
    """What a specific HPO term means as a neuroloc finding."""

    finding: str  # finding id
    grade: str | None  # the grade it names (None: the kind's default abnormal grade)
    normal_when_excluded: bool


@dataclass(frozen=True, slots=True)
class GeneralReading:
    """How a broader HPO term curators use is read: several findings, a red flag, or nothing
    until the packet names a region. Every such reading loses detail and says so (``note``)."""

    term: Term
    findings: tuple[tuple[str, str], ...]  # (finding id, grade)
    history: tuple[str, ...]  # phrases for clinical.history (red flags, CONTRACT §6)
    region: bool  # a sensory term: the zone comes from the packet's words (modifier/description)
    note: str


@dataclass(frozen=True)
class Ontology:
    hpo_release: str
    checked_with: str
    laterality: Mapping[str, Term]
    severity: Mapping[str, tuple[Term, tuple[str, ...]]]
    kinds: Mapping[str, Mapping[str, Term]]
    records: Mapping[str, Record]
    structures: Mapping[str, Mapping[str, str]]
    general: Mapping[str, GeneralReading] = dataclasses.field(default_factory=dict)

    # ----------------------------------------------------------------- writing
    def term_for(self, finding_id: str, kind: str, status: str, grade: str) -> Term | None:
        """The HPO term a finding is written as (abnormal / UMN), or None when HPO has none."""
        if status == "normal":
            return None
        grade_class = grade_class_of(kind, grade)
        record = self.records.get(finding_id)
        if record is not None:
            if grade_class in record.grades:
                return record.grades[grade_class]
            if status == "abnormal" and record.abnormal is not None:
                return record.abnormal
        defaults = self.kinds.get(kind, {})
        return defaults.get(grade_class) or (
            defaults.get("abnormal") if status == "abnormal" else None
        )

    def excluded_for(self, finding_id: str) -> tuple[Term, ...]:
        """The specific terms whose exclusion states this finding normal (empty: none)."""
        record = self.records.get(finding_id)
        if record is None:
            return ()
        return record.excluded

    def severity_for(self, kind: str, grade: str) -> Term | None:
        if _family_of(kind) != "motor":
            return None
        for term, grades in self.severity.values():
            if grade in grades:
                return term
        if grade in ("paralysed", "paralyzed", "plegic"):
            return self.severity["profound"][0]
        return None

    def laterality_for(self, side: str) -> Term | None:
        return self.laterality.get(side)

    # ----------------------------------------------------------------- reading
    @functools.cached_property
    def readings(self) -> Mapping[str, Reading]:
        """Specific HPO id -> the finding it reads back as (the primary record when shared)."""
        table: dict[str, tuple[bool, Reading]] = {}

        def put(hpo: str, reading: Reading, primary: bool) -> None:
            prior = table.get(hpo)
            if prior is None or (primary and not prior[0]):
                table[hpo] = (primary, reading)

        for record in self.records.values():
            excluded_ids = {t.hpo for t in record.excluded}
            if record.abnormal is not None and record.abnormal.hpo:
                hpo = record.abnormal.hpo
                put(hpo, Reading(record.id, None, hpo in excluded_ids), record.primary)
            for grade, term in record.grades.items():
                if term.hpo:
                    put(term.hpo, Reading(record.id, grade, term.hpo in excluded_ids), True)
        return {hpo: reading for hpo, (_, reading) in table.items()}

    def reading(self, hpo: str) -> Reading | None:
        return self.readings.get(hpo)

    def mrc_for_severity(self, hpo: str) -> str | None:
        for term, grades in self.severity.values():
            if term.hpo == hpo:
                return grades[0]
        return None

    def side_for_laterality(self, hpo: str) -> str | None:
        for side, term in self.laterality.items():
            if term.hpo == hpo:
                return side
        return None

    def terms_of(self, finding_id: str) -> set[str]:
        """Every HPO id a finding may be written as (specific or general)."""
        kind = finding_id.split(":", 1)[0]
        ids = {t.id for t in self.kinds.get(kind, {}).values()}
        record = self.records.get(finding_id)
        if record is not None:
            if record.abnormal is not None:
                ids.add(record.abnormal.id)
            ids.update(t.id for t in record.grades.values())
            ids.update(t.id for t in record.excluded)
        return ids

    def all_terms(self) -> list[tuple[str, Term]]:
        """(where, term) for every HPO term of the table, for checking."""
        out: list[tuple[str, Term]] = []
        for side, term in self.laterality.items():
            out.append((f"laterality {side}", term))
        for name, (term, _) in self.severity.items():
            out.append((f"severity {name}", term))
        for kind, terms in self.kinds.items():
            out.extend((f"kind {kind} {g}", t) for g, t in terms.items())
        for record in self.records.values():
            if record.abnormal is not None:
                out.append((f"{record.id} abnormal", record.abnormal))
            out.extend((f"{record.id} {g}", t) for g, t in record.grades.items())
            out.extend((f"{record.id} excluded", t) for t in record.excluded)
        out.extend((f"general reading {hpo}", g.term) for hpo, g in self.general.items())
        return out

    def coverage(self, finding_ids: list[str]) -> dict[str, list[str]]:
        """Finding ids split into ``specific`` / ``general`` / ``unmapped`` (abnormal grade)."""
        out: dict[str, list[str]] = {"specific": [], "general": [], "unmapped": []}
        for fid in finding_ids:
            record = self.records.get(fid)
            kind = fid.split(":", 1)[0]
            if record is not None and (
                (record.abnormal is not None and record.abnormal.specific)
                or any(t.specific for t in record.grades.values())
            ):
                out["specific"].append(fid)
            elif (record is not None and record.abnormal is not None) or self.kinds.get(kind):
                out["general"].append(fid)
            else:
                out["unmapped"].append(fid)
        return out


def family(kind: str) -> str:
    """The grade family of a finding kind (kinds.yaml ``grades``)."""
    from neuroloc.kinds import finding_kind

    return finding_kind(kind).grades


def _family_of(kind: str) -> str:
    from neuroloc.kinds import finding_kinds

    spec = finding_kinds().get(kind)
    return spec.grades if spec else ""


def grade_class_of(kind: str, grade: str) -> str:
    """A canonical grade -> its class in the table (``absent``, ``brisk``, ``chronic`` ...)."""
    fam = _family_of(kind)
    if fam == "motor":
        # A muscle that cannot move against gravity (MRC 2 or less) has its own class: some HPO
        # terms (Wrist drop) name only that degree of weakness.
        return "severe" if grade in _MOTOR_SEVERE else "abnormal"
    return _GRADE_CLASS.get(fam, {}).get(grade, "abnormal")


def _term(raw: Mapping[str, Any], where: str) -> Term:
    if not isinstance(raw, Mapping) or "label" not in raw or "hpo" not in raw:
        raise ValueError(f"ontology.yaml {where}: a term needs 'hpo' and 'label'")
    hpo, nearest = raw.get("hpo"), raw.get("nearest")
    if hpo is None and not nearest:
        raise ValueError(f"ontology.yaml {where}: 'hpo: null' needs 'nearest'")
    if hpo is not None and nearest:
        raise ValueError(f"ontology.yaml {where}: give 'hpo' or 'nearest', not both")
    return Term(hpo=hpo, label=str(raw["label"]), nearest=nearest)


def parse(data: Mapping[str, Any]) -> Ontology:
    """The table's raw structure -> an :class:`Ontology` (shape-checked)."""
    mods = data["modifiers"]
    laterality = {side: _term(t, f"laterality {side}") for side, t in mods["laterality"].items()}
    severity = {
        name: (_term(t, f"severity {name}"), tuple(str(g) for g in t.get("mrc", ())))
        for name, t in mods["severity"].items()
    }
    kinds = {
        kind: {g: _term(t, f"kind {kind} {g}") for g, t in terms.items()}
        for kind, terms in data["kinds"].items()
    }
    records: dict[str, Record] = {}
    for raw in data["findings"]:
        fid = raw["id"]
        if fid in records:
            raise ValueError(f"ontology.yaml: {fid} given twice")
        abnormal = _term(raw["abnormal"], f"{fid} abnormal") if raw.get("abnormal") else None
        grades = {g: _term(t, f"{fid} {g}") for g, t in (raw.get("grades") or {}).items()}
        if "excluded" in raw:
            excluded = tuple(_term(t, f"{fid} excluded") for t in raw["excluded"])
        else:
            excluded = (abnormal,) if abnormal is not None and abnormal.specific else ()
        if any(not t.specific for t in excluded):
            raise ValueError(f"ontology.yaml {fid}: only a specific term may be excluded")
        records[fid] = Record(
            fid, abnormal, grades, excluded, bool(raw.get("primary")), raw.get("uberon")
        )
    structures = {s["id"]: s["uberon"] for s in data.get("structures") or ()}
    general: dict[str, GeneralReading] = {}
    for raw in data.get("general_readings") or ():
        term = Term(hpo=raw["hpo"], label=str(raw["label"]))
        if term.hpo in general:
            raise ValueError(f"ontology.yaml general_readings: {term.hpo} given twice")
        pairs = tuple((str(f["id"]), str(f["grade"])) for f in raw.get("findings") or ())
        history = tuple(str(h) for h in raw.get("history") or ())
        region = bool(raw.get("region"))
        if not (pairs or history or region) or not raw.get("note"):
            raise ValueError(
                f"ontology.yaml general_readings {term.hpo}: needs findings, history or "
                "region, and a note"
            )
        general[str(term.hpo)] = GeneralReading(term, pairs, history, region, str(raw["note"]))
    return Ontology(
        hpo_release=str(data["hpo_release"]),
        checked_with=str(data.get("hpo_checked_with", "")),
        laterality=laterality,
        severity=severity,
        kinds=kinds,
        records=records,
        structures=structures,
        general=general,
    )


def raw_table() -> dict[str, Any]:
    """The shipped ``ontology.yaml`` as read (for checks and tools), through the loader's
    content-keyed JSON cache: every JSON result maps its findings, so no YAML is parsed on a
    warm cache (a fresh structure on every call: callers may change it)."""
    from neuroloc.anatomy.loader import cached_data

    def parse_yaml(text: str) -> Any:
        from neuroloc.anatomy.yamlsafe import load_yaml  # refuses duplicate keys

        return load_yaml(text)

    resource = importlib.resources.files("neuroloc.anatomy").joinpath("data/ontology.yaml")
    return cached_data("ontology", resource, parse_yaml)


@functools.cache
def load_ontology() -> Ontology:
    """The shipped table, parsed once per process."""
    return parse(raw_table())


def hpo_release() -> str:
    """The HPO release the ids were checked against (to stamp into every JSON result)."""
    return load_ontology().hpo_release


def finding_hpo(finding_id: str, status: str, grade: str) -> dict[str, Any] | None:
    """The ``hpo`` of a finding in the JSON result (CONTRACT §3): the term its abnormal grade is
    written as (``specific`` false when HPO has only a broader term), or for a normal finding the
    term its exclusion denies (``excluded`` true); None when HPO has no term for it."""
    onto = load_ontology()
    kind = finding_id.split(":", 1)[0]
    if status == "normal":
        excluded = onto.excluded_for(finding_id)
        if not excluded:
            return None
        return {"id": excluded[0].id, "label": excluded[0].label, "specific": True,
                "excluded": True}  # fmt: skip
    term = onto.term_for(finding_id, kind, "abnormal" if status == "myopathic" else status, grade)
    if term is None or not term.id:
        return None
    return {"id": term.id, "label": term.label, "specific": term.specific}


def lesion_uberon(lesion_id: str) -> Mapping[str, str] | None:
    """The UBERON term of a lesion's structure (``nerve:ulnar@elbow`` -> the ulnar nerve), where
    one was checked; None for roots, patterns and structures without one."""
    structure = lesion_id.split("@", 1)[0]
    found = uberon_of(structure)
    return dict(found) if found else None


def uberon_of(ident: str) -> Mapping[str, str] | None:
    """``{"id": "UBERON:...", "label": ...}`` of a finding or structure id, where checked."""
    onto = load_ontology()
    record = onto.records.get(ident)
    if record is not None and record.uberon:
        return record.uberon
    return onto.structures.get(ident)


# ------------------------------------------------------------------ the HPO hierarchy (hpo3)
# Only the Phenopacket path needs the hierarchy (dropping a general term beside its descendant,
# reading the broader terms curators use); it loads hpo3's offline release on first use, so
# ``localize`` on a case file never imports it.


@functools.cache
def _hpo() -> Any:
    try:
        from pyhpo import Ontology as HpoOntology  # type: ignore[import-untyped]  # no stubs
    except ImportError:  # pragma: no cover - hpo3 is a dependency; a broken install
        from neuroloc.anatomy.errors import NeurolocError

        raise NeurolocError(
            "Phenopackets need the HPO hierarchy of the hpo3 package: pip install hpo3"
        ) from None
    HpoOntology()
    return HpoOntology


def hpo_term(ident: str) -> Any | None:
    """The hpo3 term of an ``HP:`` id, or None when the release has no such id."""
    if not isinstance(ident, str) or not ident.startswith("HP:"):
        return None
    try:
        return _hpo().get_hpo_object(ident)
    except (KeyError, RuntimeError, ValueError, NameError):
        return None


@functools.cache
def hpo_ancestors(ident: str) -> frozenset[str]:
    """Every ancestor of an HPO term (the term itself excluded); empty for an unknown id."""
    term = hpo_term(ident)
    if term is None:
        return frozenset()
    return frozenset(a.id for a in term.all_parents)


def hpo_lineage(ident: str) -> list[str]:
    """The term and its ancestors, nearest first (breadth first up the is-a graph)."""
    term = hpo_term(ident)
    if term is None:
        return []
    seen, order, frontier = {term.id}, [term.id], [term]
    while frontier:
        step = []
        for t in frontier:
            for parent in sorted(t.parents, key=lambda p: p.id):
                if parent.id not in seen:
                    seen.add(parent.id)
                    order.append(parent.id)
                    step.append(parent)
        frontier = step
    return order


def hpo_replacement(ident: str) -> tuple[str, str] | None:
    """(replacement id, its label) of an obsolete term that names one; None otherwise."""
    term = hpo_term(ident)
    if term is None or not term.is_obsolete or not term.replaced_by:
        return None
    new = hpo_term(term.replaced_by)
    return (new.id, new.name) if new is not None else None


def hpo_version() -> str:
    """The HPO release the hierarchy was read from (hpo3's)."""
    return str(_hpo().version())


def result_schema() -> dict[str, Any]:
    """The JSON Schema of ``neuroloc.localization/1`` (``neuroloc schema`` prints it)."""
    import json

    resource = importlib.resources.files("neuroloc").joinpath("data/result.schema.json")
    return json.loads(resource.read_text(encoding="utf-8"))


__all__ = [
    "BILATERAL",
    "LEFT",
    "RIGHT",
    "UNILATERAL",
    "GeneralReading",
    "Ontology",
    "Reading",
    "Record",
    "Term",
    "family",
    "finding_hpo",
    "grade_class_of",
    "hpo_ancestors",
    "hpo_lineage",
    "hpo_release",
    "hpo_replacement",
    "hpo_term",
    "hpo_version",
    "lesion_uberon",
    "load_ontology",
    "parse",
    "raw_table",
    "result_schema",
    "uberon_of",
]
