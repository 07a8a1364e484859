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
    "sphincter:bladder": "urinary",
    "sphincter:bowel": "bowel",
    "sign:romberg": "romberg",
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
    known |= set(atlas.studies) | set(atlas.signs)
    missing = [rid for rid in onto.records if rid not in known]
    assert not missing, missing
    structures = set(atlas.nerves) | set(atlas.plexus) | set(atlas.muscles) | set(atlas.sites)
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

    assert validate_ontology(load_atlas()) == []
    data = ontology.raw_table()
    data["findings"].append(
        {"id": "muscle:no-such-muscle", "abnormal": {"hpo": "HP:0003690", "label": "x"}}
    )
    data["findings"].append({"id": "sensory:heel", "abnormal": {"hpo": "HP:123", "label": "x"}})
    monkeypatch.setattr(ontology, "raw_table", lambda: data)
    faults = validate_ontology(load_atlas())
    assert any("muscle:no-such-muscle" in f for f in faults)
    assert any("'HP:123' is not an HPO id" in f for f in faults)


# ------------------------------------------------------------------ issue 26: ids everywhere
def test_uberon_ids_are_well_formed_unique_and_name_their_structure() -> None:
    """Each UBERON id (checked by hand against the UBERON repository, anatomy/data/README.md)
    is used once, and its label shares a word with the structure's own label."""
    atlas = load_atlas()
    onto = load_ontology()
    pairs = [(i, u) for i, u in onto.structures.items()]
    pairs += [(r.id, r.uberon) for r in onto.records.values() if r.uberon]
    assert len(pairs) >= 80
    ids = [u["id"] for _, u in pairs]
    assert len(ids) == len(set(ids)), "one UBERON id for two structures"
    stop = {"of", "the", "muscle", "nerve", "hand", "brachii", "femoris", "head", "plexus"}
    for ident, uberon in pairs:
        assert re.fullmatch(r"UBERON:\d{7}", uberon["id"]), ident
        ours = set(_norm(atlas.label(ident)).split()) - stop
        theirs = set(_norm(uberon["label"]).split()) - stop
        assert ours & theirs or {"quadriceps"} & theirs, (ident, uberon)


def test_json_result_carries_versions_hpo_and_uberon() -> None:
    import neuroloc
    from neuroloc.versions import knowledge_base_version

    result = neuroloc.to_json(
        neuroloc.localize(
            {
                "side": "left",
                "findings": [
                    {"muscle": "TA", "grade": 2},
                    {"muscle": "EHL", "grade": 2},
                    {"muscle": "tibialis posterior", "grade": 5},
                    {"reflex": "ankle", "grade": "normal"},
                    {"snap": "sural", "grade": "normal"},
                ],
            }
        )
    )
    assert result["versions"] == {
        "neuroloc": neuroloc.__version__,
        "knowledge_base": knowledge_base_version(),
        "hpo": hpo_release(),
    }
    by_id = {f["id"]: f for f in result["findings"]}
    assert by_id["muscle:tibialis-anterior"]["hpo"] == {
        "id": "HP:0009027",
        "label": "Foot dorsiflexor weakness",
        "specific": True,
    }
    assert by_id["reflex:ankle"]["hpo"]["excluded"] is True  # normal: the term it denies
    assert "hpo" not in by_id["muscle:tibialis-posterior"]  # normal, no term of its own
    assert "hpo" not in by_id["snap:sural"]
    lesions = {lesion["id"]: lesion for c in result["candidates"] for lesion in c["lesions"]}
    assert lesions["nerve:common-fibular@fibular-head"]["uberon"] == {
        "id": "UBERON:0001324",
        "label": "common fibular nerve",
    }
    assert "uberon" not in lesions.get("root:L5", {})


def test_knowledge_base_version_follows_the_tables(tmp_path, monkeypatch) -> None:
    import importlib.resources

    from neuroloc import versions

    first = versions.knowledge_base_version()
    assert re.fullmatch(r"kb-[0-9a-f]{12}", first)
    copy = tmp_path / "data"
    import shutil

    shutil.copytree(importlib.resources.files("neuroloc.anatomy").joinpath("data"), copy)
    (copy / "ontology.yaml").write_text((copy / "ontology.yaml").read_text() + "\n# edit\n")
    real = importlib.resources.files

    def files(package: str):
        return tmp_path if package == "neuroloc.anatomy" else real(package)

    versions.knowledge_base_version.cache_clear()
    monkeypatch.setattr(importlib.resources, "files", files)
    try:
        assert versions.knowledge_base_version() != first
    finally:
        monkeypatch.undo()
        versions.knowledge_base_version.cache_clear()
    assert versions.knowledge_base_version() == first


def test_anatomy_show_gives_both_ids() -> None:
    from neuroloc.anatomy.describe import describe

    atlas = load_atlas()
    ta = describe(atlas, "muscle:tibialis-anterior")
    assert ta["hpo"]["id"] == "HP:0009027" and ta["uberon"]["id"] == "UBERON:0001385"
    site = describe(atlas, "nerve:ulnar@elbow")
    assert site["uberon"] == {"id": "UBERON:0001494", "label": "ulnar nerve"}
    assert "uberon" not in describe(atlas, "root:L5")


def test_version_option_prints_both_versions() -> None:
    import subprocess
    import sys

    import neuroloc
    from neuroloc.versions import knowledge_base_version

    run = subprocess.run(
        [sys.executable, "-m", "neuroloc", "--version"], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert neuroloc.__version__ in run.stdout
    assert knowledge_base_version() in run.stdout
    assert hpo_release() in run.stdout


def test_schema_documents_every_definition_and_batch_errors() -> None:
    import jsonschema

    from neuroloc.ontology import result_schema

    schema = result_schema()
    assert schema["$id"].startswith("urn:neuroloc:schema:")
    for name, definition in schema["$defs"].items():
        assert definition.get("title") and definition.get("description"), name
    from referencing import Registry, Resource

    registry = Registry().with_resource(schema["$id"], Resource.from_contents(schema))

    def validator(definition: str) -> jsonschema.Draft202012Validator:
        ref = {"$ref": f"{schema['$id']}#/$defs/{definition}"}
        return jsonschema.Draft202012Validator(ref, registry=registry)

    line = validator("batchLine")
    assert line.is_valid({"case": "x.yaml", "error": "unknown muscle 'TAA'"})
    assert not line.is_valid({"case": "x.yaml", "error": ""})
    assert not line.is_valid({"case": "x.yaml", "error": "x", "stray": 1})
    assert not validator("batchError").is_valid({"error": "no case"})
    import neuroloc
    from neuroloc.batch import run_batch

    results: list[dict] = []
    run_batch(
        [("good.yaml", {"side": "left", "findings": [{"muscle": "TA", "grade": 2}]}),
         ("bad.yaml", {"findings": [{"muscle": "TAA", "grade": 2}]})],
        jobs=1, options={}, on_result=results.append,
    )  # fmt: skip
    assert [line.is_valid(r) for r in results] == [True, True]
    assert "error" in results[1] and results[0]["schema"] == neuroloc.SCHEMA


# ------------------------------------------------------------------ a citable release
def test_license_citation_and_urls_agree_with_pyproject() -> None:
    import tomllib
    from pathlib import Path

    import yaml

    import neuroloc

    root = Path(__file__).resolve().parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    assert project["license"] == {"text": "MIT"}
    assert (root / "LICENSE").read_text().startswith("MIT License")
    citation = yaml.safe_load((root / "CITATION.cff").read_text())
    assert citation["cff-version"] == "1.2.0"
    assert citation["version"] == project["version"] == neuroloc.__version__
    assert citation["license"] == "MIT" and citation["title"] and citation["authors"]
    assert project["urls"] and all(u.startswith("https://") for u in project["urls"].values())


def test_version_falls_back_outside_an_install(monkeypatch) -> None:
    import importlib.metadata

    from neuroloc import versions

    def missing(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    versions.neuroloc_version.cache_clear()
    monkeypatch.setattr(importlib.metadata, "version", missing)
    try:
        assert versions.neuroloc_version() == versions.FALLBACK_VERSION
    finally:
        monkeypatch.undo()
        versions.neuroloc_version.cache_clear()
    assert versions.neuroloc_version() != versions.FALLBACK_VERSION


def test_html_report_shows_hpo_and_uberon_terms() -> None:
    import neuroloc
    from neuroloc.report import render

    findings = [{"muscle": "TA", "grade": 2}, {"muscle": "EHL", "grade": 2},
                {"muscle": "tibialis posterior", "grade": 5}]  # fmt: skip
    case = {"side": "left", "findings": findings}
    page = render(neuroloc.localize(case), "html")
    assert "Foot dorsiflexor weakness (HP:0009027)" in page
    assert "UBERON:0001324" in page  # the common fibular nerve of the leading candidate
    assert f"HPO {hpo_release()}" in page


def test_general_readings_name_real_findings_grades_and_red_flags() -> None:
    """Each broader term's reading is a case a user could write, and its history phrases raise
    the red flag they stand for."""
    import neuroloc
    from neuroloc.findings import parse_case

    onto = load_ontology()
    assert {"HP:0200101", "HP:0003376", "HP:0034982"} <= set(onto.general)
    # Urinary retention and bowel incontinence are findings of their own since CONTRACT §5c.
    assert onto.reading("HP:0000016").finding == "sphincter:bladder"
    assert onto.reading("HP:0002607").finding == "sphincter:bowel"
    atlas = load_atlas()
    for hpo, general in onto.general.items():
        assert general.term.hpo == hpo and general.note
        if general.findings:
            entries = [
                {fid.split(":", 1)[0]: fid, "grade": grade, "side": "both"}
                for fid, grade in general.findings
            ]
            parsed = parse_case(atlas, {"findings": entries})
            assert all(f.status == "abnormal" for f in parsed.findings), hpo
        for phrase in general.history:
            result = neuroloc.localize(
                {"side": "left", "findings": [{"muscle": "TA", "grade": 2}],
                 "clinical": {"history": [phrase]}}
            )  # fmt: skip
            assert "cauda-equina-syndrome" in {flag.id for flag in result.red_flags}, phrase
