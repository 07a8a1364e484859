"""The clinic's words (issue 23): every bedside spelling means the same finding, and localizes to
the same answer, as its canonical name; every refusal quotes the finding as typed."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from neuroloc import localize
from neuroloc.anatomy import NeurolocError, load_atlas
from neuroloc.cli.main import main
from neuroloc.vocabulary import vocabulary

# A background that leaves the answer open between a root and a nerve, so a finding that
# meant something else would move the answer.
BACKGROUND = ("TA=3", "EHL=3", "hip abduction=5")
ARM = ("FDI=3", "sensory:little finger=reduced")

# (as typed, canonical, background)
SPELLINGS = [
    ("ankle reflex=absent", "reflex:ankle=absent", BACKGROUND),
    ("knee reflex=absent", "reflex:knee=absent", BACKGROUND),
    ("AJ=0", "reflex:ankle=absent", BACKGROUND),
    ("KJ=+", "reflex:knee=reduced", BACKGROUND),
    ("ankle jerk=++", "reflex:ankle=normal", BACKGROUND),
    ("knee jerk=+++", "reflex:knee=brisk", BACKGROUND),
    ("ankle jerk=trace", "reflex:ankle=reduced", BACKGROUND),
    ("biceps jerk=0", "reflex:biceps=absent", ARM),
    ("supinator jerk=+", "reflex:brachioradialis=reduced", ARM),
    ("Babinski +", "reflex:plantar=extensor", BACKGROUND),
    ("Babinski=+", "reflex:plantar=extensor", BACKGROUND),
    ("upgoing toe", "reflex:plantar=extensor", BACKGROUND),
    ("downgoing", "reflex:plantar=flexor", BACKGROUND),
    ("Babinski=negative", "reflex:plantar=flexor", BACKGROUND),
    ("ankle clonus", "reflex:ankle=clonus", BACKGROUND),
    ("ankle clonus=present", "reflex:ankle=clonus", BACKGROUND),
    ("tib ant=2", "muscle:tibialis anterior=2", ("EHL=3", "hip abduction=5")),
    ("gastroc=4", "muscle:gastrocnemius=4", BACKGROUND),
    ("DF=2", "movement:ankle dorsiflexion=2", ("EHL=3", "hip abduction=5")),
    ("PF=4", "movement:ankle plantarflexion=4", BACKGROUND),
    ("EHL 4-/5", "muscle:extensor hallucis longus=4-", ("TA=3", "hip abduction=5")),
    ("tibialis posterior 4", "muscle:tibialis posterior=4", BACKGROUND),
    ("FHL=flicker", "muscle:flexor hallucis longus=1", BACKGROUND),
    ("FHL=trace", "muscle:flexor hallucis longus=1", BACKGROUND),
    ("FHL=full", "muscle:flexor hallucis longus=5", BACKGROUND),
    ("emg:gluteus medius=fibs", "emg:gluteus medius=denervation", BACKGROUND),
    ("emg:gluteus medius=PSW", "emg:gluteus medius=denervation", BACKGROUND),
    ("emg:gluteus medius=fibs/PSW", "emg:gluteus medius=denervation", BACKGROUND),
    ("emg:gluteus medius=CRDs", "emg:gluteus medius=denervation", BACKGROUND),
    ("gluteus medius=fibs", "emg:gluteus medius=denervation", BACKGROUND),
    ("gluteus medius fibs/PSW", "emg:gluteus medius=denervation", BACKGROUND),
    ("vastus lateralis=myopathic units", "emg:vastus lateralis=myopathic", BACKGROUND),
    ("fibular motor=absent", "cmap:fibular motor=absent", BACKGROUND),
    ("fibular motor across fibular head=block", "ncs:fibular motor across fibular head=block",
     BACKGROUND),
    ("ADM=3", "muscle:abductor digiti minimi=3", ARM),
    ("abductor digiti minimi=3", "muscle:abductor digiti minimi=3", ARM),
    ("ADM=3", "muscle:abductor digiti minimi=3", BACKGROUND),
    ("sural=absent", "snap:sural=absent", BACKGROUND),
    ("TA=2@L", "TA=2@left", ()),
    ("TA=2@B/L", "TA=2@both", ()),
]  # fmt: skip


def _answer(expressions, side="left"):
    result = localize(None, side=side, expressions=list(expressions))
    findings = {(f.id, f.side, f.status) for f in result.findings}
    best = [(lesion.id, lesion.side) for lesion in result.best.lesions] if result.best else None
    return findings, best, [c.probability for c in result.candidates]


@pytest.mark.parametrize(("typed", "canonical", "background"), SPELLINGS)
def test_each_spelling_localizes_as_its_canonical_name(typed, canonical, background):
    assert _answer((typed, *background)) == _answer((canonical, *background))


def test_the_spellings_are_not_all_the_same_finding():
    """The table is not trivially true: a different grade or name gives a different answer."""
    assert _answer(("AJ=0", *BACKGROUND)) != _answer(("reflex:ankle=normal", *BACKGROUND))
    assert _answer(("KJ=+", *BACKGROUND)) != _answer(("reflex:ankle=reduced", *BACKGROUND))
    assert _answer(("EHL=flicker",))[0] == {("muscle:extensor-hallucis-longus", "left", "abnormal")}
    assert _answer(("EHL=full",))[0] == {("muscle:extensor-hallucis-longus", "left", "normal")}


def test_bedside_grades_are_recorded_in_their_canonical_form():
    result = localize(None, side="left", expressions=["EHL=flicker", "AJ=++", "TA=full"])
    grades = {f.id: f.grade for f in result.findings}
    assert grades == {
        "muscle:extensor-hallucis-longus": "1",
        "reflex:ankle": "2",
        "muscle:tibialis-anterior": "5",
    }


@pytest.mark.parametrize(
    ("expression", "needles"),
    [
        ("deltoid=7", ["-f 'deltoid=7'", "grade 7 out of range for 'deltoid'"]),
        ("TA=sideways", ["-f 'TA=sideways'", "'TA'"]),
        ("EHL 9", ["-f 'EHL 9'", "for 'EHL'"]),
        ("EHX 4", ["-f 'EHX 4'", "'EHX' is not a known name (closest: EHL"]),
        ("ankle clonus=absent", ["'ankle clonus'", "reflex:ankle=normal"]),
        ("ankle reflx=absent", ["closest: ankle reflex"]),
    ],
)
def test_every_refusal_names_the_finding_as_typed(expression, needles):
    with pytest.raises(NeurolocError) as caught:
        localize(None, side="left", expressions=[expression])
    message = str(caught.value)
    assert "#1" not in message
    for needle in needles:
        assert needle.lower() in message.lower(), message


def test_ankle_reflex_typo_never_suggests_the_anal_reflex_first():
    with pytest.raises(NeurolocError) as caught:
        localize(None, side="left", expressions=["ankle reflx=absent"])
    closest = str(caught.value).split("closest: ", 1)[1]
    assert not closest.lower().startswith("anal")


def test_an_ambiguity_error_never_suggests_the_name_it_refused():
    with pytest.raises(NeurolocError) as caught:
        localize(None, side="left", expressions=["biceps=4"])
    advice = str(caught.value).split(";", 1)[1]
    assert "'biceps'" not in advice and "muscle:" in str(caught.value)


def test_a_space_for_equals_that_fits_nothing_shows_the_form():
    with pytest.raises(NeurolocError, match=r"expected \[KIND:\]NAME=GRADE"):
        localize(None, side="left", expressions=["nothing known here"])


def test_a_space_for_equals_with_two_readings_is_refused(monkeypatch):
    """``ankle DF 4`` splits as ankle dorsiflexion = 4, or as the ankle reflex graded
    ``DF 4``; were both grades valid, neuroloc would ask rather than pick one."""
    from neuroloc import findings

    assert _answer(("ankle DF 4",))[0] == {("movement:ankle-dorsiflexion", "left", "abnormal")}
    monkeypatch.setattr(findings, "parse_grade", lambda *args, **kw: ("abnormal", "x"))
    with pytest.raises(NeurolocError, match=r"more than one reading .*write NAME=GRADE"):
        findings.parse_expression(load_atlas(), "ankle DF 4", 0)


def test_every_spelling_is_listed_by_vocabulary():
    listed = json.dumps(vocabulary(load_atlas())).lower()
    for word in ("ankle reflex", '"aj"', '"kj"', "ankle jerk", "knee jerk", "biceps jerk",
                 "supinator jerk", "tib ant", "gastroc", '"df"', '"pf"', "flicker", "trace",
                 "full (= 5)", "+++ (= 3)", "fibs", '"psw', "fibs psw", "crds",
                 "myopathic units", "upgoing toe", "downgoing", "ankle clonus",
                 "fibular motor"):  # fmt: skip
        assert word.lower() in listed, word


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.mark.parametrize(("given", "side"), [("L", "left"), ("R", "right"), ("B/L", "both")])
def test_side_option_takes_the_clinic_spellings(given, side):
    out = run("localize", "-f", "TA=2", "--side", given, "--format", "json")
    assert out.exit_code == 0, out.output
    sides = {f["side"] for f in json.loads(out.output)["findings"]}
    assert sides == ({"left", "right"} if side == "both" else {side})


def test_side_option_refuses_nonsense_in_one_line():
    out = run("localize", "-f", "TA=2", "--side", "up")
    assert out.exit_code == 2 and "side must be left, right or both" in out.output


@pytest.mark.parametrize("command", ["localize", "explain"])
def test_history_from_the_command_line_raises_a_red_flag(command):
    base = [command, "-f", "TA=2", "--side", "left", "--format", "json"]
    plain = json.loads(run(*base).output)
    flagged = run(*base, "--history", "urinary retention", "--history", "night pain")
    assert flagged.exit_code == 0, flagged.output
    data = json.loads(flagged.output)
    ids = {flag["id"] for flag in data["red_flags"]}
    assert "cauda-equina-syndrome" in ids
    assert "cauda-equina-syndrome" not in {flag["id"] for flag in plain["red_flags"]}


def test_history_adds_to_the_history_of_a_case_file(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text(
        "side: left\nfindings:\n  - {muscle: TA, grade: 2}\nclinical:\n  history: [night pain]\n"
    )
    result = localize(str(case), history=["urinary retention"])
    assert result.case.clinical["history"] == ["night pain", "urinary retention"]


def test_help_documents_the_kind_prefixes():
    out = run("localize", "--help")
    for prefix in ("muscle", "movement", "reflex", "sensory", "snap", "cmap", "ncs", "emg"):
        assert prefix in out.output


# ----------------------------------------------------------------------------- next tests
def _example(name, **options):
    from neuroloc.examples import find_example

    return localize(find_example(name).path, **options)


def test_next_tests_do_not_depend_on_top():
    """--top 1 still gets advice: the next tests weigh the candidates that carry the
    probability, not only those shown."""
    one = _example("fibular-head-foot-drop", top=1)
    five = _example("fibular-head-foot-drop", top=5)
    assert len(one.candidates) == 1 and one.next_tests
    assert one.next_tests == five.next_tests


def test_candidates_that_matter_follow_the_probability():
    from neuroloc.nexttests import that_matter

    result = _example("foot-drop-ambiguous", top=8)
    kept = that_matter(result.candidates)
    assert 2 <= len(kept) <= len(result.candidates)
    assert all(c.probability >= 0.01 for c in kept[2:])
    dropped = result.candidates[len(kept) :]
    assert all(c.probability <= kept[-1].probability for c in dropped)


@pytest.mark.parametrize(
    ("example", "parts", "offered"),
    [
        ("foot-drop-ambiguous", {"semitendinosus", "semimembranosus"}, "muscle:medial-hamstrings"),
        ("l5-radiculopathy", {"medial-gastrocnemius", "lateral-gastrocnemius"},
         "movement:ankle-plantarflexion"),
    ],
)  # fmt: skip
def test_muscles_not_separable_at_the_bedside_are_offered_once(example, parts, offered):
    result = _example(example)
    bedside = [(t.test, t.side) for t in result.next_tests if t.kind == "bedside"]
    assert not any(test.removeprefix("muscle:") in parts for test, _ in bedside), bedside
    assert [test for test, _ in bedside].count(offered) == 1, bedside


# ----------------------------------------------------------------------------- answer first
def _text(result, **options):
    from neuroloc.report.text import render_text

    return render_text(result, width=100, **options)


def test_the_text_output_opens_with_the_answer():
    result = _example("bilateral-l5-not-cauda-equina")
    lines = _text(result).splitlines()
    end = lines.index("")  # the answer block ends at the first blank line
    block = "\n".join(lines[:end])
    assert end <= 12
    assert lines.index(next(x for x in lines if x.startswith("findings:"))) > end
    best = result.candidates[0]
    assert f"{best.probability:.0%}" in lines[2] and "L5 root (both sides)" in lines[2]
    assert "best next test: " + result.next_tests[0].label in block


def test_a_poor_fit_is_named_in_the_answer_and_a_good_one_is_not():
    from dataclasses import replace

    from neuroloc.result import Fit

    result = _example("l5-radiculopathy")
    poor = replace(result, fit=Fit("poor", "two findings unexplained", ("myopathy",)))
    good = replace(result, fit=Fit("good", "all explained"))
    head = _text(poor).split("\n\n")[0]
    assert "fit: poor - two findings unexplained (consider: myopathy)" in head
    assert "fit:" not in _text(good).split("\n\n")[0]


def test_bilateral_findings_are_shown_once_and_verbose_restores_them():
    result = _example("bilateral-l5-not-cauda-equina")
    brief, full = _text(result), _text(result, verbose=True)
    assert brief.count("Tibialis anterior = 3") == 1
    assert "Tibialis anterior = 3 (both sides)" in brief
    assert "Tibialis anterior = 3 (left)" in full and "Tibialis anterior = 3 (right)" in full
    assert len(brief.splitlines()) < len(full.splitlines())


def test_explains_names_each_lesion_once_per_candidate():
    result = _example("bilateral-l5-not-cauda-equina")
    brief, full = _text(result), _text(result, verbose=True)
    assert brief.count("by root:L5") == 0 < full.count("by root:L5")
    blocks = re.split(r"\n (?=\d+[.=] \[)", brief)
    pair = next(b for b in blocks if "+ L5 root (right)" in b.splitlines()[0])
    assert pair.count("by L5 root (right):") == 1


def test_colour_marks_the_urgent_banner_and_weak_findings_only_when_asked():
    result = localize(
        None, side="left", expressions=["TA=2", "EHL=5"], history=["urinary retention"]
    )
    plain, coloured = _text(result), _text(result, color=True)
    assert "\x1b[" not in plain
    assert "\x1b[31m\x1b[1m!! URGENT" in coloured
    assert "\x1b[33m  abnormal" in coloured and "\x1b[32m  normal" in coloured


def test_the_cli_colours_only_a_terminal_without_no_color(monkeypatch):
    import io

    from neuroloc.cli.main import use_color

    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(Tty()) and not use_color(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color(Tty())
    out = run("localize", "-f", "TA=2", "--side", "left")
    assert "\x1b[" not in out.output  # CliRunner's output is not a terminal


def test_markdown_shows_the_probability_next_to_the_rank():
    from neuroloc.report import render

    result = _example("l5-radiculopathy")
    best = result.candidates[0]
    assert f"| 1 | {best.probability:.0%} | L5 root (left) |" in render(result, "markdown")


# ----------------------------------------------------------------------------- completion
def _completions(args, incomplete):
    from click.shell_completion import ShellComplete

    complete = ShellComplete(main, {}, "neuroloc", "_NEUROLOC_COMPLETE")
    return [(c.value, c.type) for c in complete.get_completions(args, incomplete)]


@pytest.mark.parametrize("command", ["localize", "explain", "exam"])
def test_the_shell_completes_example_names_and_files(command):
    got = _completions([command], "fibular-he")
    assert ("fibular-head-foot-drop", "plain") in got
    assert ("fibular-he", "file") in got  # and a case file of that name


def test_the_shell_completes_finding_names():
    got = [value for value, _ in _completions(["localize", "-f"], "tib")]
    assert "tib ant" in got and "Tibialis anterior" in got
    assert _completions(["localize", "-f"], "TA=") == []
