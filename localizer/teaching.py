"""The reasoning a teaching page shows, computed by the engine (renderers only format it).

* :func:`implicated` — for each abnormal finding, the places whose lesion could produce it;
* :func:`narrowing` — single-lesion reasoning replayed finding by finding;
* :func:`comparisons` — the findings on which the leading candidate and a runner-up differ;
* the engine's :func:`neuroloc.engine.explain_result` computes these on request (explain,
  never on every localize), adds what each next test would change and, when a pattern beyond
  one focal lesion leads, the best answer by focal lesions alone, then builds the :func:`page`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from neuroloc.anatomy import Atlas, Strength
from neuroloc.findings import Finding
from neuroloc.labels import finding_label
from neuroloc.result import Candidate
from neuroloc.solve.problem import Lesion, candidate_lesions, reach

if TYPE_CHECKING:
    from neuroloc.result import Localization

FOCAL_LEVELS = ("root", "plexus", "nerve", "cauda-equina")


@dataclass(frozen=True, slots=True)
class Implicated:
    finding: str
    side: str
    grade: str
    places: tuple[tuple[str, tuple[str, ...]], ...]  # (level group, names; "?" = possible only)


@dataclass(frozen=True, slots=True)
class NarrowingStep:
    finding: str  # the finding in words
    effect: str
    alive: int


@dataclass(frozen=True, slots=True)
class Narrowing:
    steps: tuple[NarrowingStep, ...]
    survivors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    """Why the leading candidate beat another one, finding by finding."""

    rank: int  # the other candidate's rank (0: not in the list, e.g. the focal alternative)
    words: str
    score: float
    reasons: tuple[str, ...]  # one sentence per kind of difference
    probability: float = 0.0  # the other candidate's posterior
    margin: str = ""  # "#1 62% against #2 21%", or "a near tie (...)"
    near_tie: bool = False


@dataclass(frozen=True, slots=True)
class Teaching:
    implicated: tuple[Implicated, ...]
    narrowing: Narrowing
    comparisons: tuple[Comparison, ...]
    focal_alternative: Comparison | None = None


def _peripheral(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.status != "umn"]


def _site_words(atlas: Atlas, site: str) -> str:
    return atlas.sites[site].label if site in atlas.sites else site


def implicated(atlas: Atlas, findings: Sequence[Finding]) -> tuple[Implicated, ...]:
    """For each abnormal finding, the places (by label) whose lesion could produce it, read
    as the solver reads it (needle EMG as denervation, a brisk reflex as a central sign)."""
    from neuroloc.findings import observations

    out = []
    for f in observations(atlas, findings):
        if f.status != "abnormal":
            continue
        groups: dict[str, list[str]] = {level: [] for level in (*FOCAL_LEVELS, "other")}
        for site, strength in sorted(atlas.coverage(f.target).items()):
            if site in atlas.sites and strength >= Strength.POSSIBLE:
                level = atlas.sites[site].level
                mark = "?" if strength == Strength.POSSIBLE else ""
                group = level if level in FOCAL_LEVELS else "other"
                groups[group].append(_site_words(atlas, site) + mark)
        places = tuple((level, tuple(names)) for level, names in groups.items())
        out.append(Implicated(f.id, f.side, f.grade, places))
    return tuple(out)


def _short(atlas: Atlas, lesion: Lesion) -> str:
    """``L5 root (left)``; a site that is one process on both sides carries no side."""
    site = _site_words(atlas, lesion.site)
    return site if lesion.side == "both" else f"{site} ({lesion.side})"


def _described(atlas: Atlas, f: Finding) -> str:
    """A finding as the examiner gave it: ``EMG Tibialis anterior denervation (left)``."""
    return f"{finding_label(atlas, f.id)} {f.grade} ({f.side})"


def narrowing(atlas: Atlas, findings: Sequence[Finding]) -> Narrowing:
    """Which single lesions survive each abnormal finding in turn, then each normal one.

    The replay reasons about the same observations as the solver
    (:func:`neuroloc.findings.observations`: needle EMG as denervation, a brisk reflex as an
    upper-motor-neuron sign), so a site listed as still possible is one the ranking can hold.
    Findings that differ only by side and have the same effect are one step.
    """
    from neuroloc.findings import observations

    seen = observations(atlas, findings)
    abnormal = [f for f in seen if f.status == "abnormal"]
    if not abnormal:
        return Narrowing((), ())
    steps: list[NarrowingStep] = []
    alive: set[Lesion] = set()
    for step, f in enumerate(abnormal, start=1):
        mine = set(candidate_lesions(atlas, f))
        alive = mine if step == 1 else alive & mine
        effect = (
            "start: the sites that reach it" if step == 1 else "keep the sites that also reach it"
        )
        steps.append(NarrowingStep(_described(atlas, f), effect, len(alive)))
    for f in (f for f in seen if f.status == "normal"):
        dropped = {x for x in alive if atlas.caps.excludes(f.kind, reach(atlas, x, f))}
        penalised = {x for x in alive if Strength.NONE < reach(atlas, x, f) < Strength.CERTAIN}
        if not dropped and not penalised:
            continue
        alive -= dropped
        parts = []
        if dropped:
            parts.append(f"rules out {', '.join(sorted(_short(atlas, x) for x in dropped))}")
        if penalised:
            parts.append(f"counts against {', '.join(sorted(_short(atlas, x) for x in penalised))}")
        steps.append(NarrowingStep(_described(atlas, f), "; ".join(parts), len(alive)))
    merged: list[NarrowingStep] = []
    for one in steps:  # the same finding on the other side with the same effect: one step
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.effect == one.effect
            and last.alive == one.alive
            and _SIDE.sub("", last.finding) == _SIDE.sub("", one.finding)
        ):
            merged[-1] = NarrowingStep(
                _SIDE.sub(" (both sides)", one.finding), one.effect, one.alive
            )
        else:
            merged.append(one)
    return Narrowing(tuple(merged), tuple(sorted(_short(atlas, x) for x in alive)))


_SIDE = re.compile(r" \((left|right)\)$")


def words(candidate: Candidate) -> str:
    return " + ".join(f"{x.syndrome} ({x.side})" for x in candidate.lesions)


UNTESTED_SHOWN = 3
# The runner-up holds at least this share of the leader's probability: "a near tie".
NEAR_TIE_RATIO = 0.75


def _predicted(atlas: Atlas, lesions: Sequence[Lesion]) -> set[tuple[str, str]]:
    """(target, side) pairs a lesion set predicts abnormal at the bedside (likely or certain)."""
    from neuroloc.forward import simulate

    return {
        (f.target, f.side)
        for f in simulate(atlas, lesions)
        if f.abnormal and f.kind in ("muscle", "reflex", "sensory")
    }


def _names(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _margin(best: Candidate, other: Candidate, label: str) -> tuple[str, bool]:
    """The margin in words, and whether it is a near tie."""
    p1, p2 = best.probability, other.probability
    near = p1 > 0 and p2 >= NEAR_TIE_RATIO * p1
    from neuroloc.report.common import percent

    text = (
        f"#1 {percent(p1)} against {label} {percent(p2)}" if label != "it" else f"#1 {percent(p1)}"
    )
    return (f"a near tie ({text})" if near else text), near


def _side_of_argument(
    head: str, winner: str, loser: str, abnormal: Sequence[str], normal: Sequence[str]
) -> str:
    """One sentence for one side of a comparison: the abnormal findings ``winner`` accounts for
    better and the normal ones it spares better, as one pattern.

    >>> _side_of_argument("for #1", "#1", "#2", ["BR 2"], ["triceps 5"]).split(" - ")[0]
    'for #1: BR 2 with triceps 5 spared'
    >>> _side_of_argument("against #1", "#2", "#1", [], ["deltoid 5", "biceps 5"])
    'against #1: deltoid 5 and biceps 5 normal - #1 predicts them affected, #2 less so'
    """
    if abnormal and normal:
        return (
            f"{head}: {_names(abnormal)} with {_names(normal)} spared - {winner} accounts for "
            f"the first and spares the second better than {loser}"
        )
    if abnormal:
        them = "it" if len(abnormal) == 1 else "them"
        return f"{head}: {_names(abnormal)} - {winner} accounts for {them} better than {loser}"
    if normal:
        them = "it" if len(normal) == 1 else "them"
        return (
            f"{head}: {_names(normal)} normal - {loser} predicts {them} affected, {winner} less so"
        )
    return ""


def compare(
    atlas: Atlas,
    best: Candidate,
    other: Candidate,
    findings: Sequence[Finding],
    rank: int,
    *,
    untested: bool = False,
) -> Comparison:
    """The findings on which ``best`` and ``other`` predict differently, one sentence per kind
    of difference: what favours the leader, what favours the other, and the margin.

    Two strengths that print the same word (likely and a partial share, both "likely") are
    no difference: a reader could not see one.
    """
    from neuroloc.findings import observations

    best_lesions = [Lesion(x.id, x.side) for x in best.lesions]
    other_lesions = [Lesion(x.id, x.side) for x in other.lesions]
    label = f"#{rank}" if rank else "it"
    groups: dict[str, list[str]] = {k: [] for k in ("reach", "spare", "other-reach", "other-spare")}
    for f in observations(atlas, findings):
        a = max((reach(atlas, x, f) for x in best_lesions), default=Strength.NONE)
        b = max((reach(atlas, x, f) for x in other_lesions), default=Strength.NONE)
        if a.label == b.label:
            continue
        name = _described(atlas, f)
        if f.status == "abnormal":
            key = "reach" if a > b else "other-reach"
        else:
            key = "spare" if b > a else "other-spare"
        if name not in groups[key]:
            groups[key].append(name)
    reasons = [
        sentence
        for sentence in (
            _side_of_argument("for #1", "#1", label, groups["reach"], groups["spare"]),
            _side_of_argument(
                "against #1", label, "#1", groups["other-reach"], groups["other-spare"]
            ),
        )
        if sentence
    ]
    if untested:
        seen = {(f.target, f.side) for f in findings}
        predicted = _predicted(atlas, other_lesions) - _predicted(atlas, best_lesions)
        fresh = sorted(
            (s, t) for t, s in predicted if (t, s) not in seen and (t, "both") not in seen
        )
        if fresh:
            names = ", ".join(f"{finding_label(atlas, t)} ({s})" for s, t in fresh[:UNTESTED_SHOWN])
            more = f" and {len(fresh) - UNTESTED_SHOWN} more" if len(fresh) > UNTESTED_SHOWN else ""
            reasons.append(f"it would also make abnormal {names}{more}, not examined yet")
    extra = len(other.lesions) - len(best.lesions)
    if extra > 0:
        reasons.append(
            f"{label} needs {extra} more lesion(s): a coincidence of independent lesions, "
            "each priced by its own prior"
        )
    elif not (groups["reach"] or groups["spare"]) and best.score < other.score:
        reasons.append(
            "for #1: no finding - it leads on how often each lesion is the answer and the "
            "overall fit"
        )
    margin, near = _margin(best, other, label)
    return Comparison(
        rank, words(other), other.score, tuple(reasons), other.probability, margin, near
    )


def comparisons(
    atlas: Atlas, candidates: Sequence[Candidate], findings: Sequence[Finding], limit: int = 3
) -> tuple[Comparison, ...]:
    if len(candidates) < 2:
        return ()
    best = candidates[0]
    return tuple(compare(atlas, best, c, findings, c.rank) for c in candidates[1 : limit + 1])


def is_focal(candidate: Candidate) -> bool:
    return all(x.level in FOCAL_LEVELS for x in candidate.lesions)


# ------------------------------------------------------------------ the page every format shows
@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Section:
    """One numbered step of the page: paragraphs, then a table, then items, then notes."""

    number: int
    title: str
    paragraphs: tuple[str, ...] = ()
    table: Table | None = None
    items: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def texts(self) -> list[str]:
        """Every piece of text of the section, in order (what each format must carry)."""
        cells = [c for c in self.table.columns] if self.table else []
        for row in self.table.rows if self.table else ():
            cells.extend(row)
        return [self.title, *self.paragraphs, *cells, *self.items, *self.notes]


@dataclass(frozen=True, slots=True)
class Page:
    """The whole teaching content of ``neuroloc explain``: computed once here, each format
    (text, Markdown, HTML, JSON) only lays it out."""

    title: str
    story: str
    point: str
    sections: tuple[Section, ...]

    def texts(self) -> list[str]:
        out = [self.title, self.story, self.point]
        for section in self.sections:
            out.extend(section.texts())
        return [t for t in out if t]

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "story": self.story,
            "point": self.point,
            "sections": [
                {
                    "number": s.number,
                    "title": s.title,
                    "paragraphs": list(s.paragraphs),
                    "table": (
                        None
                        if s.table is None
                        else {
                            "columns": list(s.table.columns),
                            "rows": [list(r) for r in s.table.rows],
                        }
                    ),
                    "items": list(s.items),
                    "notes": list(s.notes),
                }
                for s in self.sections
            ],
        }


LEVEL_COLUMNS = (("root", "roots"), ("plexus", "plexus"), ("nerve", "nerve sites"))


def _findings_section(atlas: Atlas, result: Localization) -> dict[str, Any]:
    peripheral = _peripheral(result.case.findings)
    abnormal = [f for f in result.case.findings if f.status != "normal"]
    normal = [f for f in peripheral if f.status == "normal"]
    sides = ", ".join(sorted({f.side for f in result.case.findings}))
    paragraphs = [
        f"{len(abnormal)} abnormal and {len(normal)} normal finding(s), side(s): {sides or '-'}. "
        "For each abnormal finding, the places whose lesion could produce it "
        "(? = only a minor or uncertain share)."
    ]
    rows = result.teaching.implicated if result.teaching else ()
    table = None
    if rows:
        other = any(dict(row.places)["other"] for row in rows)
        columns = ("finding", "grade", *(name for _, name in LEVEL_COLUMNS))
        columns += ("beyond one focal lesion",) if other else ()
        body = []
        for row in rows:
            places = dict(row.places)
            roots = (*places["root"], *places["cauda-equina"])
            cells = [
                f"{finding_label(atlas, row.finding)} ({row.side})",
                row.grade,
                ", ".join(roots) or "-",
                ", ".join(places["plexus"]) or "-",
                ", ".join(places["nerve"]) or "-",
            ]
            if other:
                cells.append(", ".join(places["other"]) or "-")
            body.append(tuple(cells))
        table = Table(columns, tuple(body))
    notes = []
    if normal:
        notes.append(
            "Normal findings: "
            + ", ".join(f"{finding_label(atlas, f.id)} ({f.side})" for f in normal)
            + ". A normal finding rules out a site whose lesion would certainly affect it, and "
            "counts against a site whose lesion would probably affect it."
        )
    umn = [f for f in result.case.findings if f.status == "umn"]
    if umn:
        notes.append(
            "Upper-motor-neuron signs ("
            + ", ".join(f"{finding_label(atlas, f.id)} {f.grade} ({f.side})" for f in umn)
            + ") point above the anterior horn cells: a lesion of the cord or the brain."
        )
    return {
        "title": "The findings and what each implicates",
        "paragraphs": paragraphs,
        "table": table,
        "notes": notes,
    }


def _single_ranks(atlas: Atlas, result: Localization) -> dict[str, int]:
    """Each single-lesion candidate of the ranking, by its short name, with its rank."""
    return {
        _short(atlas, Lesion(c.lesions[0].id, c.lesions[0].side)): c.rank
        for c in result.candidates
        if len(c.lesions) == 1 and not c.unexplained
    }


def survivors_in_ranking(atlas: Atlas, result: Localization) -> list[tuple[str, int | None]]:
    """The single sites left by the narrowing, each with its rank in the answer (None: fits,
    but ranked below the candidates shown)."""
    narrowed = result.teaching.narrowing if result.teaching else None
    ranks = _single_ranks(atlas, result)
    left = [(name, ranks.get(name)) for name in (narrowed.survivors if narrowed else ())]
    return sorted(left, key=lambda x: (x[1] is None, x[1] or 0, x[0]))


def _narrowing_section(atlas: Atlas, result: Localization) -> dict[str, Any]:
    narrowed = result.teaching.narrowing if result.teaching else None
    if narrowed is None or not narrowed.steps:
        return {
            "title": "How the findings narrow the candidate sites",
            "paragraphs": ["Nothing is abnormal, so there is nothing to localize."],
        }
    table = Table(
        ("step", "finding", "effect", "single sites still possible"),
        tuple(
            (str(i), step.finding, step.effect, str(step.alive))
            for i, step in enumerate(narrowed.steps, start=1)
        ),
    )
    left = survivors_in_ranking(atlas, result)
    if left:
        named = "; ".join(
            f"{name}, ranked #{rank}" if rank else f"{name}, ranked below the candidates shown"
            for name, rank in left
        )
        note = (
            f"Single sites that explain every abnormal finding: {named}. Sets of two or more "
            "lesions are considered too, but each extra lesion makes a set less likely."
        )
    else:
        note = (
            "No single site explains every abnormal finding, so the answer needs a set of lesions "
            "(or sets a finding aside)."
        )
    return {
        "title": "How the findings narrow the candidate sites",
        "paragraphs": [
            "Single-lesion reasoning replayed finding by finding: each abnormal finding keeps "
            "only the sites that reach it, each normal one rules out or counts against sites."
        ],
        "table": table,
        "notes": [note],
    }


def _answer_section(atlas: Atlas, result: Localization) -> dict[str, Any]:
    from neuroloc.report.common import (
        candidate_ranks,
        levels_text,
        no_candidate_reason,
        percent,
        syndromes_with_sides,
    )

    title = "The ranked answer"
    if not result.candidates:
        return {"title": title, "paragraphs": [f"No candidates: {no_candidate_reason(result)}."]}
    ranks = candidate_ranks(result)
    rows = []
    for c in result.candidates:
        against = ", ".join(
            dict.fromkeys(f"{x.label} ({x.side}, {x.strength})" for x in c.conflicts)
        )
        rows.append(
            (
                ranks[c.rank],
                syndromes_with_sides(c),
                levels_text(c).replace("-", " "),
                percent(c.probability),
                against or "-",
            )
        )
    notes = []
    if result.fit is not None:
        consider = f" Consider: {', '.join(result.fit.consider)}." if result.fit.consider else ""
        notes.append(f"How well #1 fits: {result.fit.quality} - {result.fit.why}.{consider}")
    if result.mode == "relaxed":
        notes.append(
            "Relaxed mode: no candidate explains every finding; the fewest findings were set "
            "aside (listed as unexplained or as conflicts). Recheck them."
        )
    return {
        "title": title,
        "paragraphs": [
            "Probability = how likely each set of lesions is given every finding, shared out "
            "over every set the engine enumerated (so the rows shown need not add up to 100%)."
        ],
        "table": Table(
            ("rank", "lesion(s)", "level", "probability", "normal findings it predicted affected"),
            tuple(rows),
        ),
        "notes": notes,
    }


def _discriminator_section(atlas: Atlas, result: Localization) -> dict[str, Any]:
    from neuroloc.report.common import percent

    teaching = result.teaching
    items = []
    for c in teaching.comparisons if teaching else ():
        items.append(f"#1 over #{c.rank} ({c.words}), {c.margin}: {'; '.join(c.reasons)}.")
    focal = teaching.focal_alternative if teaching else None
    if focal is not None:
        items.append(
            f"Why not focal lesions? The best answer by focal lesions alone is {focal.words} "
            f"({percent(focal.probability)}): {'; '.join(focal.reasons)}."
        )
    return {"title": "The discriminators that decided it", "items": items}


def _edx_section(atlas: Atlas, result: Localization) -> dict[str, Any]:
    from neuroloc.report.common import distinct_edx

    return {"title": "Electrodiagnostic reasoning", "items": distinct_edx(result.edx)}


def _why(test: Any) -> str:
    """What a test's results would point to, by rank only (the candidates are named once, in
    the ranked answer)."""
    by_word: dict[str, list[str]] = {}
    for rank, word in test.predictions.items():
        by_word.setdefault(word, []).append(f"#{rank}")
    if len(by_word) < 2:
        return "all candidates predict the same"
    return "; ".join(f"{word}: {', '.join(ranks)}" for word, ranks in by_word.items())


def _next_section(atlas: Atlas, result: Localization) -> dict[str, Any]:
    rows = tuple((t.label, t.side, t.kind, _why(t)) for t in result.next_tests)
    return {
        "title": "What to examine next",
        "paragraphs": ["Best discriminator first: the result each candidate predicts, by rank."]
        if rows
        else [],
        "table": Table(("test", "side", "kind", "result predicted by rank"), rows)
        if rows
        else None,
    }


def _what_if_section(atlas: Atlas, result: Localization) -> dict[str, Any]:
    items = [
        f"{w.label} ({w.side}) {w.grade}: "
        + ("confirms the current answer" if w.confirms else f"makes {w.leader} lead")
        for w in result.what_if
    ]
    return {"title": "What would change the answer", "items": items}


def _leading_section(atlas: Atlas, result: Localization) -> dict[str, Any]:
    items = []
    for lesion in result.best.lesions if result.best else ():
        site = atlas.sites[lesion.id]
        eponyms = f" ({', '.join(site.eponyms)})" if site.eponyms else ""
        causes = f" Usual causes: {'; '.join(c.label for c in site.causes)}." if site.causes else ""
        items.append(
            f"{site.label} ({lesion.side}): {site.syndrome}{eponyms}. Kind of lesion: "
            f"{atlas.categories[site.category]}. In practice it is {_article(site.prior_word)} "
            f"{site.prior_word} lesion (about one referral in {round(1 / site.prior):,} on "
            f"each side): {site.prior_reason}{causes}"
        )
    return {"title": "The leading site in context", "items": items}


CLINICAL_CAUSES_SHOWN = 3


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _clinical_section(atlas: Atlas, result: Localization) -> dict[str, Any]:
    from neuroloc.report.common import pain_timing_text

    items = [
        f"Red flag{' (urgent)' if flag.urgent else ''}: {flag.label}: {flag.why}"
        for flag in result.red_flags
    ]
    if result.pain_timing is not None:
        items.append(f"Pain timing: {pain_timing_text(result.pain_timing)}")
    for cause in result.causes[:CLINICAL_CAUSES_SHOWN]:
        pros = "; ".join(cause.for_) or "-"
        cons = "; ".join(cause.against) or "-"
        items.append(f"Cause of the pain: {cause.label} - for: {pros}; against: {cons}")
    return {"title": "Clinical context", "items": items}


SECTIONS = (
    _findings_section,
    _narrowing_section,
    _answer_section,
    _discriminator_section,
    _edx_section,
    _next_section,
    _what_if_section,
    _leading_section,
    _clinical_section,
)


def page(atlas: Atlas, result: Localization) -> Page:
    """The teaching page of a result computed with ``atlas`` (the engine's explain builds it
    once; every format lays it out); sections with nothing to say are left out and the rest
    numbered without gaps."""
    sections: list[Section] = []
    for build in SECTIONS:
        parts = build(atlas, result)
        if not any(parts.get(k) for k in ("paragraphs", "table", "items", "notes")):
            continue
        sections.append(
            Section(
                len(sections) + 1,
                parts["title"],
                tuple(parts.get("paragraphs", ())),
                parts.get("table"),
                tuple(parts.get("items", ())),
                tuple(parts.get("notes", ())),
            )
        )
    case = result.case
    return Page(
        result.title or "Localization, step by step", case.notes, case.teaching, tuple(sections)
    )
