"""The calibrated model (issue 22): priors as probabilities, posteriors, parsimony that costs
what a coincidence costs, and a conduction block that outranks the responses beyond it."""

from __future__ import annotations

import math

import pytest

from neuroloc import localize
from neuroloc.anatomy import load_atlas
from neuroloc.ranking import lesion_cost, load_weights, prior_cost
from neuroloc.solve.problem import Lesion

ATLAS = load_atlas()


def sites(candidate):
    return {(x.id, x.side) for x in candidate.lesions}


POLYNEUROPATHY_ONE_GRADE_ASYMMETRY = [
    "sensory:toes=reduced@both",
    "sensory:sole=reduced@both",
    "reflex:ankle=absent@both",
    "snap:sural=absent@both",
    "EHL=4@left",
    "EHL=5@right",
    "TA=5@both",
    "reflex:knee=normal@both",
]


def test_a_polyneuropathy_with_a_one_grade_asymmetry_stays_one_process():
    result = localize(None, expressions=POLYNEUROPATHY_ONE_GRADE_ASYMMETRY)
    best = result.best
    assert best is not None and len(best.lesions) == 1
    assert best.lesions[0].public_id == "pattern:length-dependent-polyneuropathy"
    assert best.probability >= 0.7
    # Any set that adds a focal lesion to soak up the asymmetry is far less probable.
    for other in result.candidates[1:]:
        if len(other.lesions) > 1:
            assert other.probability < best.probability / 5


def test_a_second_lesion_costs_the_log_odds_of_its_prior():
    weights = load_weights()
    l3 = Lesion("root:L3", "left")
    tibial = Lesion("nerve:tibial@popliteal-fossa", "left")
    p = ATLAS.sites["root:L3"].prior
    assert ATLAS.sites["root:L3"].bilateral_rate is None
    assert lesion_cost(ATLAS, weights, l3) == pytest.approx(math.log((1 - p) / p))
    assert prior_cost(ATLAS, [l3, tibial]) == pytest.approx(
        lesion_cost(ATLAS, weights, l3) + lesion_cost(ATLAS, weights, tibial)
    )
    # A rare site costs more than an uncommon one, by the ratio of their priors.
    assert lesion_cost(ATLAS, weights, tibial) > lesion_cost(ATLAS, weights, l3) + 1


def test_the_same_site_on_both_sides_is_priced_by_its_bilateral_rate():
    site = ATLAS.sites["nerve:median@carpal-tunnel"]
    p, b = site.prior, site.bilateral_rate
    left, right = Lesion(site.id, "left"), Lesion(site.id, "right")
    neither = 1 - 2 * p + p * b
    assert prior_cost(ATLAS, [left]) == pytest.approx(math.log(neither / (p * (1 - b))))
    assert prior_cost(ATLAS, [left, right]) == pytest.approx(math.log(neither / (p * b)))
    # bilateral carpal tunnel syndrome is far cheaper than two unrelated lesions ...
    assert prior_cost(ATLAS, [left, right]) < 2 * prior_cost(ATLAS, [left]) - 2
    # ... and the enumerator's per-lesion share never exceeds what any set pays
    share = lesion_cost(ATLAS, load_weights(), left)
    assert 2 * share <= prior_cost(ATLAS, [left, right]) + 1e-12
    assert share <= prior_cost(ATLAS, [left]) + 1e-12


def test_priors_follow_epidemiology():
    s1 = ATLAS.sites["root:S1"].prior
    assert s1 >= 10 * ATLAS.sites["nerve:tibial@popliteal-fossa"].prior
    assert ATLAS.sites["nerve:median@carpal-tunnel"].prior > ATLAS.sites["root:C8"].prior
    for site in ATLAS.sites.values():
        assert 0 < site.prior < 0.5, site.id


ULNAR_BLOCK = [
    "ncs:ulnar motor across elbow=block@left",
    "snap:ulnar=normal@left",
    "FDI=3@left",
    "ADM=3@left",
    "sensory:little finger=reduced@left",
]


def test_a_conduction_block_outranks_a_normal_distal_snap_in_the_arm():
    result = localize(None, expressions=ULNAR_BLOCK)
    assert result.mode == "strict"  # the block needs no relaxed mode
    assert sites(result.best) == {("nerve:ulnar@elbow", "left")}
    # a root cannot produce a block in a nerve segment: no root alone is a candidate
    assert not any(all(x.level == "root" for x in c.lesions) for c in result.candidates)


def test_a_conduction_block_outranks_a_normal_distal_snap_in_the_leg():
    result = localize(
        None,
        expressions=[
            "ncs:fibular motor across fibular head=block@left",
            "snap:superficial fibular=normal@left",
            "TA=2@left",
            "EHL=2@left",
            "sensory:dorsum of foot=reduced@left",
            "tibialis posterior=5@left",
        ],
    )
    assert result.mode == "strict"
    assert sites(result.best) == {("nerve:common-fibular@fibular-head", "left")}


def test_without_a_block_a_normal_snap_in_numb_skin_still_points_to_the_root():
    result = localize(
        None,
        expressions=["sensory:little finger=reduced@left", "snap:ulnar=normal@left", "FDI=4@left"],
    )
    assert sites(result.best) == {("root:C8", "left")}
    # ... but the nerve is argued against, not ruled out: a demyelinating lesion spares the SNAP.
    assert any(sites(c) == {("nerve:ulnar@elbow", "left")} for c in result.candidates)


def test_probabilities_are_a_ranked_distribution():
    result = localize(
        None, expressions=["TA=2@left", "EHL=2@left", "sensory:dorsum of foot=reduced@left"]
    )
    probabilities = [c.probability for c in result.candidates]
    assert probabilities == sorted(probabilities, reverse=True)
    assert 0 < sum(probabilities) <= 1.0001
    assert all(0 <= p <= 1 for p in probabilities)


def test_a_paralysed_muscle_with_normal_emg_and_cmap_fits_poorly_and_names_what_is_missing():
    result = localize(
        None, expressions=["TA=0@left", "emg:TA=normal@left", "cmap:fibular motor TA=normal@left"]
    )
    assert result.fit is not None and result.fit.quality == "poor"
    assert any("neuromuscular junction" in x for x in result.fit.consider)
    assert "Tibialis anterior" in result.fit.why


def test_a_classic_picture_fits_well():
    result = localize(
        None, expressions=["TA=2@left", "EHL=2@left", "sensory:dorsum of foot=reduced@left"]
    )
    assert result.fit is not None and result.fit.quality == "good" and not result.fit.consider


def test_a_symmetric_process_seen_on_one_side_only_pays_for_it():
    # An isolated one-sided weak hip flexor is not a myopathy (issue 22, sparse exams).
    result = localize(None, expressions=["hip flexion=4@left"])
    assert "pattern:myopathy" not in result.best.site_ids


def test_no_fit_without_abnormal_findings():
    assert localize(None, expressions=["TA=5@left"]).fit is None


@pytest.mark.parametrize(
    ("expressions", "leader"),
    [
        (
            [
                "serratus anterior=3@right",
                "supraspinatus=3@right",
                "infraspinatus=3@right",
                "FPL=4@right",
                "deltoid=5@right",
                "sensory:lateral shoulder=normal@right",
            ],
            "pattern:neuralgic-amyotrophy",
        ),
        (
            [
                "hip flexion=3@both",
                "TA=3@both",
                "deltoid=4@both",
                "FDI=4@both",
                "reflex:knee=absent@both",
                "reflex:ankle=absent@both",
                "reflex:biceps=absent@both",
                "snap:median=reduced@both",
                "snap:sural=normal@both",
            ],
            "pattern:demyelinating-polyradiculoneuropathy",
        ),
        (
            [
                "FDI=3@right",
                "TA=4@left",
                "emg:FDI=denervation@right",
                "emg:TA=denervation@left",
                "emg:lumbar paraspinals=denervation@left",
                "reflex:knee=brisk@both",
                "reflex:plantar=extensor@both",
                "sensory:toes=normal@both",
                "snap:sural=normal@both",
            ],
            "pattern:motor-neuron-disease",
        ),
        (
            [
                "hip flexion=3@both",
                "deltoid=3@both",
                "emg:deltoid=myopathic@left",
                "emg:lumbar paraspinals=denervation@left",
                "sensory:toes=normal@both",
                "snap:sural=normal@both",
            ],
            "pattern:myopathy",
        ),
    ],
    ids=["neuralgic-amyotrophy", "polyradiculoneuropathy", "motor-neuron-disease", "myopathy"],
)
def test_the_diffuse_and_patchy_hypotheses_lead_their_own_pictures(expressions, leader):
    result = localize(None, expressions=expressions)
    assert result.best.site_ids == (leader,)


def test_symmetric_distal_weakness_in_one_myotome_stays_two_roots_not_a_diffuse_disease():
    from neuroloc.examples import find_example

    result = localize(find_example("bilateral-l5-not-cauda-equina").path)
    assert sites(result.best) == {("root:L5", "left"), ("root:L5", "right")}


def test_probability_and_fit_in_every_format():
    from neuroloc.report import render
    from neuroloc.result import to_json

    result = localize(
        None, expressions=["TA=0@left", "emg:TA=normal@left", "cmap:fibular motor TA=normal@left"]
    )
    first = f"{result.best.probability:.0%}"
    assert to_json(result)["fit"]["quality"] == "poor"
    assert "probability" in to_json(result)["candidates"][0]
    for fmt in ("text", "markdown", "html"):
        page = render(result, fmt)
        assert first in page, fmt
        assert "poor" in page and "neuromuscular junction" in page, fmt
