"""Every HPO id of ontology.yaml is real, current and means the finding it is attached to."""

from __future__ import annotations

import re

import pytest

from neuroloc.anatomy import load_atlas
from neuroloc.ontology import grade_class_of, hpo_release, load_ontology, parse, raw_table


@pytest.fixture(scope="module")
def hpo():
    from pyhpo import Ontology  # the hpo3 package: ships the HPO release offline

    Ontology()
    return Ontology


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _get(hpo, ident: str):
    assert re.fullmatch(r"HP:\d{7}", ident), ident
    try:
        return hpo.hpo(int(ident.split(":")[1]))
    except (KeyError, RuntimeError, ValueError, NameError):
        return None


def test_release_stamped_is_the_installed_one(hpo) -> None:
    assert hpo_release() == hpo.version()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", hpo_release())


def test_every_hpo_id_exists_is_current_and_labelled_as_written(hpo) -> None:
    onto = load_ontology()
    problems: list[str] = []
    terms = onto.all_terms()
    assert len(terms) > 60
    for where, term in terms:
        found = _get(hpo, term.id)
        if found is None:
            problems.append(f"{where}: {term.id} not in HPO {hpo.version()}")
        elif found.is_obsolete:
            problems.append(f"{where}: {term.id} is obsolete")
        elif _norm(found.name) != _norm(term.label):
            problems.append(f"{where}: {term.id} is {found.name!r}, not {term.label!r}")
    assert not problems, problems


def test_every_hpo_id_in_the_file_is_checked(hpo) -> None:
    """No HPO id hides in a place the checker above does not visit."""
    import json

    text = json.dumps(raw_table())
    in_file = set(re.findall(r"HP:\d{7}", text))
    checked = {term.id for _, term in load_ontology().all_terms()}
    assert in_file == checked


# What each specific term must be about: words its HPO label must contain.
SUBJECT = {
    "muscle:tibialis-anterior": "dorsiflexor",
    "movement:ankle-dorsiflexion": "dorsiflexor",
    "muscle:extensor-hallucis-longus": "hallux dorsiflexion",
    "movement:great-toe-extension": "hallux dorsiflexion",
    "muscle:flexor-hallucis-longus": "hallux plantarflexion",
    "movement:foot-eversion": "peroneal",
    "movement:hip-flexion": "hip flexor",
    "muscle:iliopsoas": "hip flexor",
    "movement:hip-adduction": "hip adductor",
    "movement:knee-extension": "quadriceps",
    "muscle:quadriceps": "quadriceps",
    "muscle:external-anal-sphincter": "anal sphincter",
    "reflex:ankle": "achilles|ankle",
    "reflex:knee": "patellar|knee",
    "movement:elbow-extension": "triceps",
    "muscle:triceps": "triceps",
    "movement:wrist-extension": "wrist drop",
    "movement:finger-extension": "finger extensor",
    "muscle:extensor-digitorum-communis": "finger extensor",
    "movement:finger-flexion": "finger flexor",
    "muscle:first-dorsal-interosseous": "first dorsal interossei",
    "reflex:biceps": "biceps",
    "reflex:triceps": "triceps",
    "reflex:brachioradialis": "brachioradialis",
    "reflex:cremasteric": "cremaster",
    "reflex:plantar": "babinski",
    "reflex:hoffmann": "hoffmann",
}


def test_specific_terms_name_their_finding(hpo) -> None:
    onto = load_ontology()
    specific = {
        rid
        for rid, r in onto.records.items()
        if (r.abnormal and r.abnormal.specific) or any(t.specific for t in r.grades.values())
    }
    assert specific == set(SUBJECT), "add the new specific record to SUBJECT"
    for rid, words in SUBJECT.items():
        record = onto.records[rid]
        terms = [t for t in (record.abnormal, *record.grades.values()) if t and t.specific]
        for term in terms:
            assert re.search(words, term.label.lower()), (rid, term.label)


def test_issue_examples() -> None:
    onto = load_ontology()
    assert onto.records["muscle:tibialis-anterior"].abnormal.hpo == "HP:0009027"
    assert onto.term_for("reflex:ankle", "reflex", "abnormal", "reduced").hpo == "HP:0009072"
    assert onto.term_for("reflex:ankle", "reflex", "abnormal", "absent").hpo == "HP:0003438"
    assert onto.term_for("reflex:knee", "reflex", "abnormal", "reduced").hpo == "HP:0011808"
    snap = onto.term_for("snap:sural", "snap", "abnormal", "absent")
    assert snap.hpo is None and snap.nearest == "HP:0007078"
    assert {s: t.hpo for s, t in onto.laterality.items()} == {
        "left": "HP:0012835",
        "right": "HP:0012834",
        "both": "HP:0012832",
    }


def test_general_terms_are_never_read_back_or_excluded() -> None:
    onto = load_ontology()
    for record in onto.records.values():
        assert all(t.specific for t in record.excluded)
    specific = {t.hpo for _, t in onto.all_terms() if t.specific}
    general_only = {t.nearest for _, t in onto.all_terms() if not t.specific} - specific
    assert general_only
    assert not general_only & set(onto.readings)


def test_shared_specific_terms_have_one_primary_reader() -> None:
    onto = load_ontology()
    users: dict[str, list[str]] = {}
    for record in onto.records.values():
        if record.abnormal is not None and record.abnormal.specific:
            users.setdefault(record.abnormal.hpo, []).append(record.id)
    for hpo, ids in users.items():
        if len(ids) > 1:
            primaries = [i for i in ids if onto.records[i].primary]
            assert len(primaries) == 1, (hpo, ids)
            assert onto.reading(hpo).finding == primaries[0]


def test_records_name_real_findings_and_structures() -> None:
    atlas = load_atlas()
    onto = load_ontology()
    known = set(atlas.muscles) | set(atlas.movements) | set(atlas.reflexes) | set(atlas.zones)
    known |= set(atlas.studies)
    missing = [rid for rid in onto.records if rid not in known]
    assert not missing, missing
    structures = set(atlas.nerves) | set(atlas.plexus) | set(atlas.muscles)
    assert set(onto.structures) <= structures
    for ident in list(onto.structures) + [r.id for r in onto.records.values() if r.uberon]:
        uberon = onto.structures.get(ident) or onto.records[ident].uberon
        assert re.fullmatch(r"UBERON:\d{7}", uberon["id"]) and uberon["label"]


def test_every_finding_of_the_atlas_has_a_term() -> None:
    """Specific or general: an abnormal finding of any kind can always be written."""
    atlas = load_atlas()
    onto = load_ontology()
    ids = [*atlas.muscles, *atlas.movements, *atlas.reflexes, *atlas.zones, *atlas.studies]
    ids += [f"emg:{m.split(':', 1)[1]}" for m in atlas.muscles]
    split = onto.coverage(ids)
    assert not split["unmapped"], split["unmapped"]
    assert len(split["specific"]) >= 15


def test_grade_classes() -> None:
    assert grade_class_of("reflex", "0") == "absent"
    assert grade_class_of("reflex", "trace") == "reduced"
    assert grade_class_of("emg", "reinnervation") == "chronic"
    assert grade_class_of("muscle", "4-") == "abnormal"


def test_table_shape_is_checked() -> None:
    data = raw_table()
    data["findings"] = [{"id": "muscle:x", "abnormal": {"hpo": None, "label": "y"}}]
    with pytest.raises(ValueError, match="needs 'nearest'"):
        parse(data)


def test_validate_reports_an_ontology_record_that_names_no_finding(monkeypatch) -> None:
    import neuroloc.ontology as ontology
    from neuroloc.vocabulary import validate_ontology

    assert validate_ontology() == []
    data = ontology.raw_table()
    data["findings"].append(
        {"id": "muscle:no-such-muscle", "abnormal": {"hpo": "HP:0003690", "label": "x"}}
    )
    data["findings"].append({"id": "sensory:heel", "abnormal": {"hpo": "HP:123", "label": "x"}})
    monkeypatch.setattr(ontology, "raw_table", lambda: data)
    faults = validate_ontology()
    assert any("muscle:no-such-muscle" in f for f in faults)
    assert any("'HP:123' is not an HPO id" in f for f in faults)
