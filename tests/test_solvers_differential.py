"""Differential tests: generated lesions -> forward-model findings -> both backends agree.

For lesion sets drawn on the real knowledge base, the findings are what the pathway graph
predicts: abnormal where a lesion reaches the target `likely` or `certain`, normal for a sample
of targets no lesion reaches. Then:

(a) the Z3 and python-constraint backends return identical ranked candidates;
(b) the generating set is found or legitimately outranked: reduce it to a minimal subset M
    (a generated set may be redundant, e.g. a root plus a nerve lesion below it); then M is
    among the candidates, or the candidate list is full and M scores no better than the last
    candidate shown (more plausible sets filled the top K);
(c) every candidate is minimal: dropping any lesion leaves an abnormal finding unexplained.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from neuroloc import localize
from neuroloc.anatomy import Strength, load_atlas
from neuroloc.ranking import load_weights, score
from neuroloc.solve.problem import Lesion, reach

ATLAS = load_atlas()
SITES = sorted(ATLAS.sites)
TARGETS = sorted(t for t in ATLAS.targets if not t.startswith("sensory:saddle"))


def finding_for(target: str, abnormal: bool, side: str) -> dict:
    kind = ATLAS.targets[target].kind
    record = ATLAS.structure(target)
    if kind == "muscle" and record.emg_only:
        return {"emg": target, "grade": "denervation" if abnormal else "normal", "side": side}
    grade = {
        "muscle": ("3", "5"),
        "reflex": ("absent", "normal"),
        "sensory": ("reduced", "normal"),
        "snap": ("reduced", "normal"),
        "ncs": ("block", "normal"),
    }[kind][0 if abnormal else 1]
    return {kind: target, "grade": grade, "side": side}


@st.composite
def generated_cases(draw):
    count = draw(st.integers(1, 3))
    lesions = []
    for _ in range(count):
        site = draw(st.sampled_from(SITES))
        side = "both" if ATLAS.sites[site].bilateral else draw(st.sampled_from(["left", "right"]))
        lesions.append(Lesion(site, side))
    findings = []
    sides = sorted({x.side for x in lesions if x.side != "both"}) or ["left"]
    for target in TARGETS:
        for side in ["both"] if ATLAS.targets[target].midline else sides:
            probe = type("Probe", (), {"target": target, "side": side})()
            best = max((reach(ATLAS, x, probe) for x in lesions), default=Strength.NONE)
            if best >= Strength.LIKELY:
                findings.append(finding_for(target, True, side))
            elif best == Strength.NONE and draw(st.integers(0, 9)) == 0:
                findings.append(finding_for(target, False, side))
    return lesions, {"title": "generated", "side": sides[0], "findings": findings}


def key(result):
    return [(c.score, [(x.id, x.side) for x in c.lesions]) for c in result.candidates]


@given(generated_cases())
def test_backends_agree_and_candidates_are_minimal(generated):
    lesions, case = generated
    abnormal = [f for f in case["findings"] if f["grade"] not in ("5", "normal")]
    if not abnormal:
        return
    z3 = localize(case, solver="z3", top=10, max_lesions=3, timeout=30)
    csp = localize(case, solver="csp", top=10, max_lesions=3, timeout=30)
    assert key(z3) == key(csp)  # (a)
    assert z3.candidates
    parsed = [f for f in z3.case.findings if f.status == "abnormal"]
    for candidate in z3.candidates:  # (c)
        chosen = [Lesion(x.id, x.side) for x in candidate.lesions]
        for dropped in chosen:
            rest = [x for x in chosen if x != dropped]
            assert any(not any(reach(ATLAS, x, f) for x in rest) for f in parsed)
    if z3.mode == "strict":  # (b)
        minimal = sorted(set(lesions))
        for lesion in list(minimal):
            rest = [x for x in minimal if x != lesion]
            if all(any(reach(ATLAS, x, f) for x in rest) for f in parsed):
                minimal = rest
        shown = [sorted(Lesion(x.id, x.side) for x in c.lesions) for c in z3.candidates]
        if minimal not in shown:
            findings = [f for f in z3.case.findings if f.status != "umn"]
            assert len(z3.candidates) == 10
            assert score(ATLAS, load_weights(), minimal, findings) >= z3.candidates[-1].score
