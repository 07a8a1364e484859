"""Differential tests: generated lesions -> forward-model findings -> both backends agree.

For lesion sets drawn on the real knowledge base, the findings are what the forward model
(:mod:`neuroloc.forward`) predicts: abnormal where a lesion reaches the target `likely` or
`certain`, normal for a sample of targets no lesion reaches. Then:

(a) the Z3 and python-constraint backends return identical ranked candidates;
(b) the generating set is found or legitimately outranked: reduce it to an irredundant subset M
    (a generated set may be redundant, e.g. a root plus a nerve lesion below it); then M is
    among the candidates, or the candidate list is full and M scores no better than the last
    candidate shown (more plausible sets filled the top K);
(c) every candidate is irredundant: dropping any lesion leaves an abnormal finding unexplained,
    or explained only weakly (possible, atypical) where that lesion explained it strongly.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuroloc import localize
from neuroloc.anatomy import Strength, load_atlas
from neuroloc.findings import observations, parse_case
from neuroloc.forward import finding_entry, lesion_sides, simulate
from neuroloc.ranking import load_weights, score
from neuroloc.solve.problem import Lesion, cover_class, reach

ATLAS = load_atlas()
SITES = sorted(ATLAS.sites)


@st.composite
def generated_cases(draw):
    count = draw(st.integers(1, 3))
    lesions = []
    for _ in range(count):
        site = draw(st.sampled_from(SITES))
        side = "both" if ATLAS.sites[site].bilateral else draw(st.sampled_from(["left", "right"]))
        lesions.append(Lesion(site, side))
    findings = []
    for f in simulate(ATLAS, lesions):
        if f.target.startswith("sensory:saddle"):
            continue
        if f.abnormal or (f.strength == Strength.NONE and draw(st.integers(0, 9)) == 0):
            findings.append(finding_entry(f))
    return lesions, {"title": "generated", "side": lesion_sides(lesions)[0], "findings": findings}


def as_both(lesions):
    out = list(lesions)
    for site in {x.site for x in lesions}:
        pair = {Lesion(site, "left"), Lesion(site, "right")}
        if "both" in ATLAS.sites[site].sides and pair <= set(out):
            out = [x for x in out if x not in pair] + [Lesion(site, "both")]
    return out


def key(result):
    return [(c.score, [(x.id, x.side) for x in c.lesions]) for c in result.candidates]


def needed(lesion, rest, findings):
    """``lesion`` explains some finding that ``rest`` leaves unexplained or only weakly so."""
    for f in findings:
        own = cover_class(reach(ATLAS, lesion, f))
        if own and all(cover_class(reach(ATLAS, x, f)) < own for x in rest):
            return True
    return False


QUICK_EXAMPLES = 20  # the default run's share; ``-m slow`` draws the profile's full count


@settings(max_examples=QUICK_EXAMPLES)
@given(generated_cases())
def test_backends_agree_and_candidates_are_irredundant(generated):
    check_backends_agree(generated)


@pytest.mark.slow
@given(generated_cases())
def test_backends_agree_and_candidates_are_irredundant_full(generated):
    check_backends_agree(generated)


def check_backends_agree(generated):
    lesions, case = generated
    # the grades' own words say what is normal (fasciculations "absent", sweating "present")
    if all(f.status == "normal" for f in parse_case(ATLAS, case).findings):
        return
    z3 = localize(case, solver="z3", top=10, max_lesions=3, timeout=30)
    csp = localize(case, solver="csp", top=10, max_lesions=3, timeout=30)
    assert key(z3) == key(csp)  # (a)
    assert z3.candidates
    observed = observations(ATLAS, z3.case.findings)
    parsed = [f for f in observed if f.status == "abnormal"]
    if z3.mode == "strict":
        for candidate in z3.candidates:  # (c)
            chosen = [Lesion(x.id, x.side) for x in candidate.lesions]
            assert all(any(reach(ATLAS, x, f) for x in chosen) for f in parsed)
            for dropped in chosen:
                assert needed(dropped, [x for x in chosen if x != dropped], parsed)
        # (b) - a site held left and right that also exists as one lesion of both sides is
        # that one lesion (the engine lists the cheaper single lesion, never the pair)
        minimal = sorted(set(as_both(lesions)))
        for lesion in list(minimal):
            rest = [x for x in minimal if x != lesion]
            if not needed(lesion, rest, parsed):
                minimal = rest
        shown = [sorted(Lesion(x.id, x.side) for x in c.lesions) for c in z3.candidates]
        if minimal not in shown:
            findings = observed
            assert len(z3.candidates) == 10
            assert score(ATLAS, load_weights(), minimal, findings) >= z3.candidates[-1].score


def test_double_crush_is_listed():
    """L5-like weakness, an absent superficial fibular SNAP (reached by the L5 root only through
    its atypical foraminal-ganglion link) and denervated L5 paraspinals: the L5 root with a
    fibular neuropathy at the fibular head (a double crush) must be among the candidates."""
    case = {
        "title": "double crush",
        "side": "left",
        "findings": [
            {"muscle": "tibialis anterior", "grade": 3},
            {"muscle": "extensor hallucis longus", "grade": 3},
            {"movement": "hip abduction", "grade": 4},
            {"snap": "superficial fibular", "grade": "absent"},
            {"emg": "L5 paraspinals", "grade": "denervation"},
        ],
    }
    for solver in ("z3", "csp"):
        result = localize(case, solver=solver, top=10)
        sets = [sorted(x.id for x in c.lesions) for c in result.candidates]
        assert ["nerve:common-fibular@fibular-head", "root:L5"] in sets, sets
        assert ["root:L5"] in sets
