"""The JSON result of every example validates against the shipped JSON Schema (issue 17)."""

from __future__ import annotations

import copy
import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

import neuroloc
from neuroloc.ontology import result_schema

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = result_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_is_shipped_in_the_package() -> None:
    text = resources.files("neuroloc").joinpath("data/result.schema.json").read_text("utf-8")
    schema = json.loads(text)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema"] == {"const": neuroloc.SCHEMA}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_validates(validator: jsonschema.Draft202012Validator, path: Path) -> None:
    result = neuroloc.to_json(neuroloc.localize(path))
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(result)]
    assert not errors, errors


@pytest.fixture(scope="module")
def good() -> dict:
    return neuroloc.to_json(neuroloc.localize(EXAMPLES[0]))


def test_additive_keys_stay_valid(validator: jsonschema.Draft202012Validator, good: dict) -> None:
    result = copy.deepcopy(good)
    result["hpo_release"] = "2025-11-24"
    result["something_new"] = {"any": ["thing"]}
    result["findings"][0]["label"] = "Tibialis anterior"
    for candidate in result["candidates"]:
        candidate["pattern"] = None
        candidate["tied"] = False
    assert validator.is_valid(result)


def test_broken_results_fail(validator: jsonschema.Draft202012Validator, good: dict) -> None:
    assert good["candidates"], "the first example should have candidates"
    missing = copy.deepcopy(good)
    del missing["candidates"]
    assert not validator.is_valid(missing)

    sure = copy.deepcopy(good)
    sure["candidates"][0]["explains"][0]["strength"] = "sure"
    assert not validator.is_valid(sure)

    for key, value in (("schema", "neuroloc.localization/2"), ("findings", {})):
        broken = copy.deepcopy(good)
        broken[key] = value
        assert not validator.is_valid(broken)

    bad_level = copy.deepcopy(good)
    bad_level["candidates"][0]["lesions"][0]["level"] = "brain"
    assert not validator.is_valid(bad_level)
