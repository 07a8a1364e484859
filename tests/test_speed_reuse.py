"""A wider search that starts from a narrower one (issue 25).

When dropping mirror images leaves fewer than ``top`` candidates, the engine searches again for
twice as many sets. ``solve(query, after=first)`` reuses the first search's problem and the sets
it found: they seed the threshold and the Z3 backend blocks them instead of finding them again.
The answer must be exactly the one a fresh search gives, for either backend.
"""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from neuroloc.anatomy import Strength, load_atlas
from neuroloc.engine import as_case
from neuroloc.examples import list_examples
from neuroloc.findings import observations
from neuroloc.forward import finding_entry, lesion_sides, simulate
from neuroloc.ranking import load_weights
from neuroloc.solve import z3_backend
from neuroloc.solve.problem import Lesion
from neuroloc.solve.search import Query, solve

ATLAS = load_atlas()
WEIGHTS = load_weights()
SITES = sorted(ATLAS.sites)
EXAMPLES = {e.path.stem: e.path for e in list_examples()}


@st.composite
def findings_of_lesions(draw):
    """The observations of 1-3 random lesions (every abnormal finding, a few normal ones)."""
    lesions = []
    for _ in range(draw(st.integers(1, 3))):
        site = draw(st.sampled_from(SITES))
        side = "both" if ATLAS.sites[site].bilateral else draw(st.sampled_from(["left", "right"]))
        lesions.append(Lesion(site, side))
    entries = [
        finding_entry(f)
        for f in simulate(ATLAS, lesions)
        if not f.target.startswith("sensory:saddle")
        and (f.abnormal or (f.strength == Strength.NONE and draw(st.integers(0, 9)) == 0))
    ]
    case = {"title": "generated", "side": lesion_sides(lesions)[0], "findings": entries}
    return tuple(observations(ATLAS, as_case(ATLAS, case).findings))


def _query(findings, top, backend="z3", max_lesions=3):
    return Query.of(
        ATLAS,
        findings,
        backend=backend,
        top=top,
        max_lesions=max_lesions,
        deadline=time.monotonic() + 120,
        weights=WEIGHTS,
    )


@settings(max_examples=25, deadline=None)
@given(findings_of_lesions(), st.integers(1, 6), st.integers(2, 3))
def test_a_search_after_a_narrower_one_gives_the_fresh_answer(findings, top, factor):
    first = solve(_query(findings, top))
    fresh = solve(_query(findings, top * factor))
    wider = solve(_query(findings, top * factor), after=first)
    assert (wider.sets, wider.scores, wider.complete) == (fresh.sets, fresh.scores, fresh.complete)
    # and again from the wider one, as a third pass of the engine's loop would
    widest = solve(_query(findings, top * factor * 2), after=wider)
    again = solve(_query(findings, top * factor * 2))
    assert (widest.sets, widest.scores) == (again.sets, again.scores)


@settings(max_examples=10, deadline=None)
@given(findings_of_lesions(), st.integers(1, 4))
def test_the_csp_backend_returns_known_sets_again_and_they_count_once(findings, top):
    first = solve(_query(findings, top, backend="csp"))
    fresh = solve(_query(findings, 2 * top, backend="csp"))
    wider = solve(_query(findings, 2 * top, backend="csp"), after=first)
    assert (wider.sets, wider.scores) == (fresh.sets, fresh.scores)


def test_the_z3_backend_does_not_find_a_known_set_again(monkeypatch):
    findings = tuple(
        observations(ATLAS, as_case(ATLAS, EXAMPLES["bilateral-l5-not-cauda-equina"]).findings)
    )
    first = solve(_query(findings, 13))
    assert first.carry is not None
    known = {s for component in first.carry.found for _, s in component}
    returned: list[tuple[int, ...]] = []
    original = z3_backend.Z3Backend.minimal_sets

    def recording(self, *args, **kwargs):
        for size, sets in original(self, *args, **kwargs):
            if size >= 2:
                returned.extend(sets)
            yield size, sets

    monkeypatch.setattr(z3_backend.Z3Backend, "minimal_sets", recording)
    wider = solve(_query(findings, 26), after=first)
    assert returned and not known & set(returned)
    assert wider.sets == solve(_query(findings, 26)).sets


def test_a_carry_is_used_only_for_the_same_findings_and_lesion_limit():
    one = tuple(observations(ATLAS, as_case(ATLAS, EXAMPLES["l5-radiculopathy"]).findings))
    other = tuple(
        observations(ATLAS, as_case(ATLAS, EXAMPLES["beyond-polyneuropathy-feet"]).findings)
    )
    first = solve(_query(one, 5))
    assert solve(_query(other, 10), after=first).sets == solve(_query(other, 10)).sets
    assert (
        solve(_query(one, 10, max_lesions=2), after=first).sets
        == solve(_query(one, 10, max_lesions=2)).sets
    )


def test_a_search_cut_short_carries_nothing():
    findings = tuple(observations(ATLAS, as_case(ATLAS, EXAMPLES["l5-radiculopathy"]).findings))
    cut = solve(Query.of(ATLAS, findings, top=13, deadline=0.0, weights=WEIGHTS))
    assert not cut.complete and cut.carry is None
