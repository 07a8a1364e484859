"""The calibrated model (issue 22): priors as probabilities, posteriors, parsimony that costs
what a coincidence costs, and a conduction block that outranks the responses beyond it."""

from __future__ import annotations

import math

import pytest

from neuroloc import localize
from neuroloc.anatomy import load_atlas
from neuroloc.ranking import lesion_cost, load_weights
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
    l5 = Lesion("root:L5", "left")
    tibial = Lesion("nerve:tibial@popliteal-fossa", "left")
    p = ATLAS.sites["root:L5"].prior
    assert lesion_cost(ATLAS, weights, l5) == pytest.approx(math.log((1 - p) / p))
    # A rare site costs more than a common one, by the ratio of their priors.
    assert lesion_cost(ATLAS, weights, tibial) > lesion_cost(ATLAS, weights, l5) + 3


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
    assert all(x.level != "root" for c in result.candidates for x in c.lesions)


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
