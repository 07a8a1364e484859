"""What every output format says the same way: ranks with ties, lesions named once per site,
the reason for an empty answer, distinct electrodiagnostic lines, and wrapping to a terminal.

Plain strings only; each format escapes or decorates them itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from neuroloc.clinical import PainTiming, RedFlag
from neuroloc.result import Candidate, LesionResult, Link, Localization

TIE_DECIMALS = 4

# C0 and C1 control characters (ESC, BEL, CSI...) except newline and tab, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str, *, keep_colour: bool = False) -> str:
    r"""Text with every control character shown as a visible escape, so a case's title can
    neither clear the screen nor set the window title; ``keep_colour`` lets the colour
    sequences (SGR, ``ESC [ ... m``) of a coloured report through and nothing else.

    >>> terminal_safe("Foot drop\x1b[2J\x07")
    'Foot drop\\x1b[2J\\x07'
    >>> terminal_safe("\x1b[31mURGENT\x1b[0m\x1b]0;x\x07", keep_colour=True)
    '\x1b[31mURGENT\x1b[0m\\x1b]0;x\\x07'
    """
    if keep_colour:
        parts = _SGR.split(text)
        return "".join(p if _SGR.fullmatch(p) else terminal_safe(p) for p in parts)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


_SGR = re.compile(r"(\x1b\[[0-9;]*m)")


def percent(probability: float) -> str:
    """A probability as printed: ``62%``, or ``<1%`` for one that rounds to nothing but is not
    nothing.

    >>> percent(0.618), percent(0.001), percent(0.0)
    ('62%', '<1%', '0%')
    """
    if 0 < probability < 0.005:
        return "<1%"
    return f"{probability:.0%}"


def markdown_safe(text: str) -> str:
    """Free text (a title, the story) for Markdown: raw HTML is shown, never interpreted.

    >>> markdown_safe("<script>alert(1)</script> & more")
    '&lt;script&gt;alert(1)&lt;/script&gt; &amp; more'
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def no_candidate_reason(result: Localization) -> str:
    """Why a result has no candidate; a search cut short is never called a normal exam."""
    if result.timed_out:
        return "the time limit ended the search before any candidate was found (NOT a normal exam)"
    if any(f.status == "abnormal" for f in result.findings):
        return "no set of lesions within the limits explains the findings"
    return "nothing abnormal to localize"


def urgent_flags(result: Localization) -> list[RedFlag]:
    return [flag for flag in result.red_flags if flag.urgent]


def other_flags(result: Localization) -> list[RedFlag]:
    return [flag for flag in result.red_flags if not flag.urgent]


def pain_timing_text(timing: PainTiming) -> str:
    """``mechanical, recurrent``."""
    return f"{timing.klass}{', recurrent' if timing.recurrent else ''}"


def rank_labels(scores: Sequence[float]) -> list[str]:
    """Ranks as printed: candidates whose scores are equal to 4 decimals share the first rank of
    their run, marked ``=``.

    >>> rank_labels([1.0, 2.5, 2.50001, 2.50002, 3.0])
    ['1', '2=', '2=', '2=', '5']
    """
    keys = [f"{score:.{TIE_DECIMALS}f}" for score in scores]
    labels: list[str] = []
    for i, key in enumerate(keys):
        start = i
        while start > 0 and keys[start - 1] == key:
            start -= 1
        tied = (i > 0 and keys[i - 1] == key) or (i + 1 < len(keys) and keys[i + 1] == key)
        labels.append(f"{start + 1}{'=' if tied else ''}")
    return labels


def candidate_ranks(result: Localization) -> dict[int, str]:
    """Each candidate's rank as printed (``1``, ``2=``), keyed by its rank number."""
    labels = rank_labels([c.score for c in result.candidates])
    return {c.rank: label for c, label in zip(result.candidates, labels, strict=True)}


def named_lesions(candidate: Candidate) -> list[tuple[LesionResult, str]]:
    """The candidate's lesions with the side to print: a site held on the left and on the right
    is named once, ``both sides``."""
    sides: dict[str, list[str]] = {}
    first: dict[str, LesionResult] = {}
    for lesion in candidate.lesions:
        sides.setdefault(lesion.id, []).append(lesion.side)
        first.setdefault(lesion.id, lesion)
    out: list[tuple[LesionResult, str]] = []
    for ident, held in sides.items():
        if {"left", "right"} <= set(held):
            out.append((first[ident], "both sides"))
        else:
            out.extend((lesion, lesion.side) for lesion in candidate.lesions if lesion.id == ident)
    return out


def lesions_text(candidate: Candidate) -> str:
    """``Median nerve in the carpal tunnel (both sides) + C6 root (left)``."""
    return " + ".join(f"{lesion.label} ({side})" for lesion, side in named_lesions(candidate))


def syndromes_text(candidate: Candidate) -> str:
    """The syndromes of the candidate's sites, each named once."""
    return " + ".join(lesion.syndrome for lesion, _ in named_lesions(candidate))


def syndromes_with_sides(candidate: Candidate) -> str:
    """``carpal tunnel syndrome (both sides) + C6 radiculopathy (left)``."""
    return " + ".join(f"{lesion.syndrome} ({side})" for lesion, side in named_lesions(candidate))


def pattern_text(candidate: Candidate) -> str:
    """``pattern: multiple mononeuropathies (mononeuritis multiplex pattern)``, or ''."""
    parts = [p for p in (candidate.pattern, candidate.pattern_note) if p]
    words = f"pattern: {parts[0]}" + (f" ({parts[1]})" if len(parts) > 1 else "") if parts else ""
    if candidate.mirror_image:
        words = f"{words}; " if words else ""
        words += "its mirror image (sides swapped) fits as well"
    return words


def levels_text(candidate: Candidate) -> str:
    return ", ".join(sorted({lesion.level for lesion in candidate.lesions}))


def link_text(link: Link, with_site: bool) -> str:
    """``EMG tibialis anterior (left, certain, by root:L5)``."""
    text = f"{link.label} ({link.side}, {link.strength}"
    if with_site:
        text += f", by {link.by}"
    return text + ")"


def links_text(links: Sequence[Link], with_site: bool) -> str:
    return "; ".join(link_text(link, with_site) for link in links) if links else "-"


_SIDE_WORD = re.compile(r"\b(left|right)\b")


def distinct_edx(lines: Iterable[str]) -> list[str]:
    """The electrodiagnostic sentences, each once: lines that differ only by side are one line
    (its side words become ``both sides``).

    >>> distinct_edx(["Median SNAP reduced.", "Median SNAP reduced.", "Sural SNAP normal."])
    ['Median SNAP reduced.', 'Sural SNAP normal.']
    >>> distinct_edx(["Ulnar SNAP (left) normal.", "Ulnar SNAP (right) normal."])
    ['Ulnar SNAP (both sides) normal.']
    """
    kept: dict[str, str] = {}
    for line in lines:
        key = _SIDE_WORD.sub("<side>", line)
        if key not in kept:
            kept[key] = line
        elif kept[key] != line:
            kept[key] = _SIDE_WORD.sub("both sides", line)
    return list(kept.values())


def fit_text(result: Any) -> str:
    """The fit of the leading candidate in one sentence (empty when there is none).

    >>> from types import SimpleNamespace as NS
    >>> fit_text(NS(fit=NS(quality="poor", why="X is normal", consider=("a functional disorder",))))
    'Fit: poor - X is normal. Consider: a functional disorder.'
    """
    fit = getattr(result, "fit", None)
    if fit is None:
        return ""
    consider = f" Consider: {'; '.join(fit.consider)}." if fit.consider else ""
    return f"Fit: {fit.quality} - {fit.why}.{consider}"
