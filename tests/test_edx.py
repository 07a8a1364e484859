"""Electrodiagnosis reasoned from the pathway graph: SNAPs, CMAPs, needle EMG, paraspinals."""

from __future__ import annotations

from neuroloc import localize

L5_BEDSIDE = [
    {"muscle": "tibialis anterior", "grade": 3},
    {"muscle": "tibialis posterior", "grade": 4},
    {"movement": "hip abduction", "grade": 4},
    {"sensory": "dorsum of foot", "grade": "reduced"},
]
S1_BEDSIDE = [
    {"movement": "ankle plantarflexion", "grade": 4},
    {"movement": "hip extension", "grade": 4},
    {"reflex": "ankle", "grade": "absent"},
    {"sensory": "lateral foot", "grade": "reduced"},
]
L34_BEDSIDE = [
    {"movement": "knee extension", "grade": 3},
    {"movement": "hip flexion", "grade": 4},
    {"reflex": "knee", "grade": "absent"},
    {"sensory": "medial leg", "grade": "reduced"},
    {"movement": "hip adduction", "grade": 5},
]


def best(findings, **options):
    result = localize({"side": "left", "findings": findings}, **options)
    return result, [(x.id, x.side) for x in result.best.lesions]


def test_normal_snap_and_paraspinal_denervation_make_it_the_l5_root():
    _, top = best(
        [
            *L5_BEDSIDE,
            {"snap": "superficial fibular", "grade": "normal"},
            {"emg": "L5 paraspinals", "grade": "denervation"},
        ]
    )
    assert top == [("root:L5", "left")]


def test_lost_snap_and_normal_paraspinals_make_it_the_lumbosacral_trunk():
    result, top = best(
        [
            *L5_BEDSIDE,
            {"snap": "superficial fibular", "grade": "absent"},
            {"emg": "L5 paraspinals", "grade": "normal"},
        ]
    )
    assert top == [("plexus:lumbosacral-trunk", "left")]
    # the foraminal-ganglion exception keeps the root in the list, heavily penalised
    root = next(c for c in result.candidates if c.site_ids == ("root:L5",))
    assert root.score > result.best.score + 1.0


def test_sural_snap_separates_s1_root_from_sacral_plexus():
    _, top = best([*S1_BEDSIDE, {"snap": "sural", "grade": "normal"}])
    assert top == [("root:S1", "left")]
    _, top = best(
        [
            *S1_BEDSIDE,
            {"snap": "sural", "grade": "absent"},
            {"emg": "S1 paraspinals", "grade": "normal"},
            {"movement": "hip abduction", "grade": 4},
        ]
    )
    assert top == [("plexus:sacral", "left")]


def test_saphenous_snap_and_paraspinals_separate_femoral_from_the_roots():
    _, top = best(
        [
            *L34_BEDSIDE,
            {"snap": "saphenous", "grade": "absent"},
            {"emg": "L3 paraspinals", "grade": "normal"},
            {"emg": "L4 paraspinals", "grade": "normal"},
        ]
    )
    assert top == [("nerve:femoral@pelvis", "left")]
    _, top = best(
        [
            *L34_BEDSIDE,
            {"snap": "saphenous", "grade": "normal"},
            {"emg": "L3 paraspinals", "grade": "denervation"},
            {"emg": "L4 paraspinals", "grade": "denervation"},
        ]
    )
    assert top[0][0] in {"root:L3", "root:L4"}


def test_emg_only_case_is_localized():
    _, top = best(
        [
            {"emg": "medial gastrocnemius", "grade": "denervation"},
            {"emg": "gluteus maximus", "grade": "denervation"},
            {"emg": "S1 paraspinals", "grade": "denervation"},
            {"emg": "tibialis anterior", "grade": "normal"},
        ]
    )
    assert top == [("root:S1", "left")]


def test_cmap_follows_the_recording_muscle():
    _, top = best(
        [
            {"cmap": "fibular motor", "grade": "reduced"},
            {"muscle": "tibialis posterior", "grade": 5},
            {"snap": "superficial fibular", "grade": "reduced"},
            {"movement": "hip abduction", "grade": 5},
        ]
    )
    assert top == [("nerve:common-fibular@fibular-head", "left")]


def test_edx_contradicting_the_bedside_is_relaxed_with_the_conflict_named():
    # An S1 picture with denervated S1 paraspinals (root) but a lost sural SNAP (beyond the
    # ganglion): no single focal site explains both. With one lesion allowed, only a process
    # of roots and nerves together (a polyradiculoneuropathy) covers them, priced as a rare,
    # symmetric disease seen on one side only, and the result says the fit is not good.
    findings = [
        *S1_BEDSIDE,
        {"snap": "sural", "grade": "absent"},
        {"emg": "S1 paraspinals", "grade": "denervation"},
    ]
    result, _ = best(findings, max_lesions=1)
    assert all(x.level == "diffuse" for c in result.candidates for x in c.lesions)
    assert result.fit is not None and result.fit.quality != "good"
    # With two lesions allowed, the root and a lesion beyond the ganglion lead instead.
    two, _ = best(findings, max_lesions=2)
    assert "root:S1" in two.best.site_ids and len(two.best.lesions) == 2


def test_normal_emg_weighs_more_than_a_normal_mrc_grade():
    base = [{"muscle": "tibialis anterior", "grade": 3}]  # not a dense (MRC 0-2) deficit
    mrc, _ = best([*base, {"muscle": "tibialis posterior", "grade": 5}], top=20)
    emg, _ = best([*base, {"emg": "tibialis posterior", "grade": "normal"}], top=20)
    score = lambda r: next(c.score for c in r.candidates if c.site_ids == ("root:L5",))  # noqa: E731
    assert score(emg) > score(mrc)


def test_paraspinal_level_key_and_text_output_explain_the_edx():
    from click.testing import CliRunner

    from neuroloc.cli.main import main

    result, top = best(
        [
            *L5_BEDSIDE,
            {"snap": "superficial fibular", "grade": "normal"},
            {"emg": "paraspinals", "level": "L5", "grade": "denervation"},
        ]
    )
    assert top == [("root:L5", "left")]
    assert any(f.id == "emg:l5-paraspinals" for f in result.findings)
    args = ["localize", "--side", "left", "-f", "TA=3", "-f", "sensory:dorsum of foot=reduced"]
    out = CliRunner().invoke(main, [*args, "-f", "snap:superficial fibular=normal"])
    assert "electrodiagnosis:" in out.output
    assert "proximal to it - at the root" in " ".join(out.output.split())  # wrapped text
