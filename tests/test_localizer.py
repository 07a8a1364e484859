"""The Localizer: a knowledge base handed in, not a process global (issue 21).

Two localizers on different atlases answer side by side in one process, each with its own
names; ``explain`` keeps to the query's one deadline; the option limits are one table, said
the same way by the library and the command line."""

from __future__ import annotations

import copy
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import neuroloc
from neuroloc import Localizer
from neuroloc.anatomy import NeurolocError, build_atlas
from neuroloc.anatomy.loader import read_tables
from neuroloc.cli.main import main
from neuroloc.report import render

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FOOT_DROP = EXAMPLES / "fibular-head-foot-drop.yaml"
FIBULAR_HEAD = "nerve:common-fibular@fibular-head"


@pytest.fixture(scope="module")
def edited() -> Localizer:
    """A localizer on a copy of the tables where a fibular-head lesion is vanishingly rare
    and tibialis anterior goes by another label."""
    tables = copy.deepcopy(read_tables())
    site = next(s for s in tables.tables["sites"] if s["site"] == FIBULAR_HEAD)
    site["prior"] = 1e-7
    muscle = next(m for m in tables.tables["muscles"] if m["id"] == "tibialis-anterior")
    muscle["label"] = "Tibialis anterior (edited copy)"
    atlas, faults = build_atlas(tables)
    assert atlas is not None, faults
    return Localizer(atlas=atlas)


def test_two_localizers_on_different_atlases_answer_side_by_side(edited):
    shipped = Localizer()
    before = shipped.localize(FOOT_DROP)
    other = edited.localize(FOOT_DROP)
    again = shipped.localize(FOOT_DROP)
    assert before.best.site_ids == again.best.site_ids == (FIBULAR_HEAD,)
    assert FIBULAR_HEAD not in other.best.site_ids
    assert before.atlas is shipped.atlas and other.atlas is edited.atlas
    # the default instance is the shipped one, untouched by the other
    assert neuroloc.localize(FOOT_DROP).best.site_ids == (FIBULAR_HEAD,)


def test_labels_come_from_the_results_own_atlas(edited):
    case = {"side": "left", "findings": [{"muscle": "TA", "grade": 2}]}
    mine = edited.localize(case)
    shipped = Localizer().localize(case)
    assert mine.findings[0].label == "Tibialis anterior (edited copy)"
    assert shipped.findings[0].label == "Tibialis anterior"
    assert "Tibialis anterior (edited copy)" in render(mine, "text")
    assert "edited copy" not in render(shipped, "text")
    assert neuroloc.to_json(mine)["findings"][0]["label"] == "Tibialis anterior (edited copy)"
    assert edited.label("emg:tibialis-anterior") == "EMG Tibialis anterior (edited copy)"


def test_the_explanation_and_the_simulation_use_the_localizers_atlas(edited):
    explained = edited.explain(FOOT_DROP, tests=1)
    assert explained.page is not None
    assert any("edited copy" in text for text in explained.page.texts())
    assert edited.simulate("root:L5@right").labels["muscle:tibialis-anterior"] == (
        "Tibialis anterior (edited copy)"
    )


def test_every_rerun_of_explain_shares_the_querys_one_deadline(monkeypatch):
    from neuroloc import engine

    deadlines: list[float | None] = []
    real = engine.localize_case

    def spy(*args, **kwargs):
        deadlines.append(args[5] if len(args) > 5 else kwargs.get("deadline"))
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "localize_case", spy)
    result = Localizer().explain(EXAMPLES / "beyond-polyneuropathy-feet.yaml", timeout=30)
    assert len(deadlines) == 1 + 6 + 1  # the query, six what-if re-runs, the focal search
    assert None not in deadlines and len(set(deadlines)) == 1
    assert result.what_if and result.teaching.focal_alternative is not None


def test_explain_stops_at_the_time_limit_and_says_so():
    start = time.monotonic()
    result = neuroloc.explain(EXAMPLES / "beyond-polyneuropathy-knees.yaml", timeout=0.05)
    elapsed = time.monotonic() - start
    assert elapsed < 2.0  # the whole explanation, not each of its seven searches
    assert any(w.startswith("explain: the 0.05 s time limit ended") for w in result.warnings)
    assert result.page is not None  # the page is still written, from what was found


def test_the_cli_explain_keeps_to_its_timeout():
    start = time.monotonic()
    said = CliRunner().invoke(main, ["explain", "beyond-polyneuropathy-knees", "--timeout", "1"])
    assert said.exit_code == 0, said.output
    assert time.monotonic() - start < 2.5  # about a second, and the page after it


def test_a_localize_result_has_no_teaching_page_and_says_where_it_is():
    result = neuroloc.localize(FOOT_DROP)
    assert result.teaching is None and result.page is None
    with pytest.raises(NeurolocError, match=r"explain\(\)"):
        render(result, "teaching")


@pytest.mark.parametrize(
    ("option", "value", "keyword"),
    [
        ("--top", "0", {"top": 0}),
        ("--top", "51", {"top": 51}),
        ("--max-lesions", "6", {"max_lesions": 6}),
        ("--timeout", "0", {"timeout": 0}),
        ("--timeout", "3601", {"timeout": 3601}),
    ],
)
def test_a_bad_option_is_the_same_one_line_from_the_library_and_the_cli(option, value, keyword):
    with pytest.raises(NeurolocError) as raised:
        neuroloc.localize(None, expressions=["TA=2"], side="left", **keyword)
    said = CliRunner().invoke(main, ["localize", "-f", "TA=2", "--side", "left", option, value])
    assert said.exit_code == 2
    assert said.output.strip() == f"error: {raised.value}"
    assert option in str(raised.value)


def test_the_cli_options_are_bounded_by_the_one_table():
    from neuroloc.cli.main import localize as command
    from neuroloc.options import LIMITS

    params = {p.name: p for p in command.params}
    for name in ("top", "max_lesions", "timeout"):
        assert params[name].type.limit is LIMITS[name]
        assert params[name].default == LIMITS[name].default


def test_an_inline_finding_keeps_the_name_as_typed():
    result = neuroloc.localize(None, expressions=["TA=3", "s:sole=absent"], side="left")
    assert [(f.id, f.input) for f in result.findings] == [
        ("muscle:tibialis-anterior", "TA"),
        ("sensory:sole", "sole"),
    ]


def test_a_localizer_refuses_what_is_not_an_atlas_or_a_solver():
    with pytest.raises(NeurolocError, match="atlas must be"):
        Localizer(atlas={"sites": {}})  # type: ignore[arg-type]
    with pytest.raises(NeurolocError, match="unknown solver"):
        Localizer(solver="sat")


def test_the_public_surface_is_declared():
    for name in ("Localizer", "localize", "explain", "simulate", "render", "run_batch",
                 "NeurolocError", "Localization", "Candidate", "to_json"):  # fmt: skip
        assert name in neuroloc.__all__
    assert callable(neuroloc.simulate)  # a function, not the forward model's module
    assert neuroloc.simulate("root:L5@left").names
