"""Findings and cases: parsing case files and inline expressions into checked observations.

A finding is an observation of one target on one side: abnormal or normal, with its grade as
given. Parsing is strict — every problem is a :class:`NeurolocError` whose one-line message
names the offending item (file, finding index, key) and, for names, the closest known ones.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import yaml

from neuroloc.anatomy import AmbiguousName, Atlas, NeurolocError, UnknownName
from neuroloc.anatomy.model import SEGMENTS, THORACIC_ROOTS
from neuroloc.anatomy.names import MAX_NAME, normalize, odd_characters, shown
from neuroloc.kinds import finding_kind, finding_kinds, kind_named, kind_words

Side = Literal["left", "right", "both"]
Status = Literal["abnormal", "normal", "umn", "myopathic"]
SIDES: tuple[str, ...] = ("left", "right", "both")
STATUSES: tuple[str, ...] = ("abnormal", "normal", "umn", "myopathic")
CASE_KEYS = ("title", "side", "findings", "clinical", "notes", "teaching", "expected")
FINDING_KEYS = ("grade", "side", "level", "note", "modality")
MAX_FINDINGS = 1000  # a simulated full examination of both sides lists over 600
MAX_CASE_BYTES = 1_000_000
# The shorthand `sensory level: T10` (CONTRACT §5c): the levels a case may give, and the key.
SENSORY_LEVEL = "sensory level"
LEVELS: tuple[str, ...] = SEGMENTS[SEGMENTS.index("C4") : SEGMENTS.index("T12") + 1]

_MRC = re.compile(r"^([0-5])([+-]?)(?:/5)?$")
_NINDS = re.compile(r"^([0-4])\+?$")
_DASHES = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-", "\u2010": "-", "\uff0b": "+"})
_EXPRESSION = re.compile(  # KIND may be two words (light touch, joint position)
    r"^(?:(?P<kind>[A-Za-z][A-Za-z ]*?)\s*:)?\s*(?P<name>[^=]+?)\s*=\s*"
    r"(?P<grade>[^@]+?)\s*(?:@\s*(?P<side>[^@]+?))?\s*$"
)


@dataclass(frozen=True)
class GradeTable:
    """``data/grades.yaml``: grade words per family, the family of each kind, side spellings."""

    families: Mapping[str, Mapping[str, Status]]
    kinds: Mapping[str, str]
    sides: Mapping[str, str]  # normalised spelling -> left | right | both
    aliases: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # family: word -> grade
    phrases: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # key -> finding
    confirming: tuple[str, ...] = ()  # grades that confirm a phrase (ankle clonus=present)

    def alias(self, family: str, raw: str) -> str | None:
        """The canonical grade a shorthand stands for (``flicker`` -> ``1``), or None."""
        words = self.aliases.get(family, {})
        compact = raw.strip().translate(_DASHES).replace(" ", "").lower()
        return words.get(compact) or words.get(normalize(raw))


@functools.cache
def grade_table() -> GradeTable:
    from neuroloc.anatomy.loader import cached_data
    from neuroloc.anatomy.yamlsafe import load_yaml

    source = importlib.resources.files("neuroloc") / "data" / "grades.yaml"
    data = cached_data("grades", source, load_yaml)
    families = {
        family: {normalize(word): status for word, status in words.items()}
        for family, words in data["families"].items()
    }
    sides = {normalize(s): side for side, spellings in data["sides"].items() for s in spellings}
    for family, words in families.items():
        bad = {w: s for w, s in words.items() if s not in STATUSES}
        if bad:
            raise NeurolocError(f"grades.yaml: family {family}: unknown status in {bad}")
    aliases = {
        family: {_alias_key(word): str(grade) for word, grade in words.items()}
        for family, words in data.get("aliases", {}).items()
    }
    phrases = {normalize(text): dict(finding) for text, finding in data.get("phrases", {}).items()}
    confirming = tuple(normalize(w) or w for w in data.get("confirming", ()))
    kinds = {name: kind.grades for name, kind in finding_kinds().items()}
    unknown = sorted(family for family in kinds.values() if family not in families)
    if unknown:
        raise NeurolocError(f"kinds.yaml: unknown grade family {unknown[0]!r}")
    return GradeTable(families, kinds, sides, aliases, phrases, confirming)


def _alias_key(word: str) -> str:
    """Pluses and minuses are kept as typed; words are normalised like every name."""
    return normalize(word) if any(c.isalnum() for c in word) else word.replace(" ", "")


def parse_side(raw: Any, where: str) -> Side:
    """left / right / both, with the clinic's spellings: L, R, lt, rt, bilateral, B/L."""
    if isinstance(raw, str):
        side = grade_table().sides.get(normalize(raw.replace("/", "")) or raw.strip().lower())
        side = side or grade_table().sides.get(raw.strip().lower())
        if side:
            return side  # type: ignore[return-value]
    hint = odd_characters(raw[:MAX_NAME]) if isinstance(raw, str) else ""
    raise NeurolocError(f"{where}: side must be left, right or both (got {shown(raw)}){hint}")


@dataclass(frozen=True, slots=True)
class Finding:
    """One checked observation."""

    id: str  # KIND:slug, e.g. muscle:tibialis-anterior, emg:l5-paraspinals
    kind: str  # finding kind (localizer/data/kinds.yaml: muscle, reflex, vibration, ...)
    target: str  # the atlas id it observes (a target, a muscle group or a movement)
    side: Side
    status: Status
    grade: str
    input: str  # the name as the user wrote it
    index: int  # position in the case (for messages)

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.side)


@dataclass(frozen=True, slots=True)
class Case:
    title: str
    findings: tuple[Finding, ...]
    clinical: object = None  # the raw `clinical` block as given; parsed by neuroloc.clinical
    warnings: tuple[str, ...] = field(default=())
    source: str = ""
    notes: str = ""  # the clinical story of a worked example
    teaching: str = ""  # the point it teaches


def read_bounded(stream: Any, label: str = "<stdin>") -> str:
    """Read at most :data:`MAX_CASE_BYTES` (plus one to notice more) and decode UTF-8."""
    data = stream.read(MAX_CASE_BYTES + 1)
    if len(data) > MAX_CASE_BYTES:
        raise NeurolocError(f"{label}: case larger than {MAX_CASE_BYTES} bytes")
    return decode_text(data, label)


def decode_text(data: bytes, label: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NeurolocError(f"{label}: not UTF-8 text (byte {exc.start})") from None


def load_case_file(path: str | Path, stdin_text: str | None = None) -> tuple[Any, str]:
    """Read a YAML or JSON case file (``-`` = ``stdin_text``) into its raw structure.

    The parser follows the extension (``.json`` is JSON; anything else is YAML, of which JSON
    is a subset); a UTF-8 byte-order mark is accepted; a mapping that repeats a key is bad
    input, because the second value would silently replace the first.
    """
    from neuroloc.anatomy.yamlsafe import (
        AliasRefused,
        DuplicateKey,
        NumberOutOfRange,
        load_json,
        load_yaml,
    )

    if stdin_text is not None and not isinstance(stdin_text, str):
        raise NeurolocError(
            f"stdin_text must be text (str), not {type(stdin_text).__name__}; decode it first"
        )
    name = str(path)
    if name == "-":
        text = stdin_text if stdin_text is not None else ""
        label = "<stdin>"
    else:
        label = Path(name).name
        text = read_regular_file(name, label)
    if len(text.encode("utf-8", "replace")) > MAX_CASE_BYTES:
        raise NeurolocError(f"{label}: case larger than {MAX_CASE_BYTES} bytes")
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise NeurolocError(f"{label}: empty case file")
    try:
        data = load_json(text) if name.lower().endswith(".json") else load_yaml(text)
    except DuplicateKey as exc:
        raise NeurolocError(f"{label}: {exc}; each key may appear once") from None
    except AliasRefused as exc:
        raise NeurolocError(
            f"{label}: {exc}: aliases are not accepted in case files; write the value out"
        ) from None
    except NumberOutOfRange as exc:
        raise NeurolocError(f"{label}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise NeurolocError(f"{label}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise NeurolocError(f"{label}: not valid YAML{where}") from None
    except RecursionError:
        raise NeurolocError(f"{label}: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise NeurolocError(f"{label}: a value cannot be read ({str(exc)[:120]})") from None
    return data, label


def read_regular_file(name: str, label: str) -> str:
    """A case file's text, bounded; only a regular file is read (a FIFO or a device would
    block or never end), opened without blocking and checked before any read."""
    import os
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(name, flags)
    except FileNotFoundError:
        raise NeurolocError(f"{clip(name)}: no such case file") from None
    except IsADirectoryError:
        raise NeurolocError(f"{clip(name)}: is a directory, not a case file") from None
    except OSError as exc:
        raise NeurolocError(f"{clip(name)}: cannot be read ({exc.strerror})") from None
    with open(fd, "rb", closefd=True) as handle:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise NeurolocError(f"{clip(name)}: is a directory, not a case file")
        if not stat.S_ISREG(mode):
            raise NeurolocError(f"{clip(name)}: not a regular file (a pipe or a device)")
        try:
            return read_bounded(handle, label)
        except OSError as exc:
            raise NeurolocError(f"{clip(name)}: cannot be read ({exc.strerror})") from None


def clip(text: str) -> str:
    from neuroloc.anatomy.names import clip_text

    return clip_text(text, 200)


def unpaired_surrogate(data: Any, where: str, depth: int = 0) -> None:
    """Bad input when any text in a case holds an unpaired surrogate (``"\\udc80"`` escaped
    in YAML or JSON): such text can be neither printed nor written as UTF-8."""
    if depth > 64:
        return
    if isinstance(data, str):
        try:
            data.encode("utf-8")
        except UnicodeEncodeError as exc:
            bad = data[exc.start : exc.end].encode("unicode_escape").decode()
            raise NeurolocError(
                f"{where}: text holds an unpaired surrogate ({bad}), which is not a character"
            ) from None
    elif isinstance(data, Mapping):
        for key, value in data.items():
            unpaired_surrogate(key, where, depth + 1)
            unpaired_surrogate(
                value, f"{where}: {key}" if isinstance(key, str) else where, depth + 1
            )
    elif isinstance(data, list | tuple):
        for i, value in enumerate(data):
            unpaired_surrogate(value, f"{where}[{i}]", depth + 1)


def parse_grade(
    kind: str, raw: Any, where: str, family: str | None = None, name: str = ""
) -> tuple[Status, str]:
    """A grade as written -> (status, canonical grade text); ``family`` overrides the kind's.

    ``name`` is the finding as the user typed it, named in a refusal (``deltoid``).
    """
    table = grade_table()
    family = family or table.kinds[kind]
    what = repr(name) if name else kind
    if isinstance(raw, str) and (canonical := table.alias(family, raw)) is not None:
        return parse_grade(kind, canonical, where, family, name)
    if isinstance(raw, bool) or raw is None:
        raise NeurolocError(f"{where}: grade must be given (e.g. {_grade_examples(kind)})")
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1000:
        raw = int(raw)
    if isinstance(raw, int):
        if family == "motor" and 0 <= raw <= 5:
            return ("normal" if raw == 5 else "abnormal"), str(raw)
        if family == "reflex" and 0 <= raw <= 4:
            status: Status = ("abnormal", "abnormal", "normal", "umn", "umn")[raw]
            return status, str(raw)
        raise NeurolocError(
            f"{where}: grade {shown(raw)} out of range for {what} (use {_grade_examples(kind)})"
        )
    if isinstance(raw, float) and not math.isnan(raw):
        raise NeurolocError(f"{where}: grade {shown(raw)} is not a valid {kind} grade for {what}")
    if not isinstance(raw, str):
        raise NeurolocError(f"{where}: grade must be a number or a word")
    compact = raw.strip().translate(_DASHES).replace(" ", "")
    if re.fullmatch(r"[+-]?\d{1,6}", compact) and family in ("motor", "reflex"):
        return parse_grade(kind, int(compact), where, family, name)
    if family == "motor" and (match := _MRC.match(compact)):
        value, modifier = int(match.group(1)), match.group(2)
        if value == 5 and modifier == "+":
            raise NeurolocError(f"{where}: grade '5+' is not an MRC grade (for {what})")
        if value == 0 and modifier:
            raise NeurolocError(f"{where}: grade {shown(raw)} is not an MRC grade (for {what})")
        normal = value == 5 and not modifier
        return ("normal" if normal else "abnormal"), f"{value}{modifier}"
    if family == "reflex" and (match := _NINDS.match(compact)):
        return parse_grade(kind, int(match.group(1)), where, family, name)
    words = table.families[family]
    text = normalize(raw[: MAX_NAME * 4])
    if text in words:
        return words[text], text
    close = _closest_words(text, words)
    hint = f"; closest: {', '.join(close)}" if close else odd_characters(raw)
    if not hint and kind in finding_kinds():
        hint = f" (use {_grade_examples(kind)})"
    raise NeurolocError(f"{where}: unknown {kind} grade {shown(raw)} for {what}{hint}")


# Word stems that say which way a grade points; a suggestion never points the other way.
_LOWER = ("de", "dim", "red", "hypo", "low", "less", "abs", "lost")
_HIGHER = ("in", "hyper", "bri", "exag", "clon", "up")


def _closest_words(text: str, words: Mapping[str, Status]) -> list[str]:
    import difflib

    close = difflib.get_close_matches(text, list(words), n=6, cutoff=0.5)
    if text.startswith(_LOWER):
        close = [w for w in close if words[w] != "umn"]
    elif text.startswith(_HIGHER):
        close = [w for w in close if words[w] == "umn" or not w.startswith(_LOWER)]
    return close[:3]


def _grade_examples(kind: str) -> str:
    return finding_kind(kind).examples


def _paraspinal_level(atlas: Atlas, name: str, level: Any, where: str) -> tuple[str, str]:
    """``{emg: lumbar paraspinals, level: L5}``: the part of the group at that root level."""
    group = atlas.resolve(name, ("muscle",), where=where)
    levels = {root: m for m in atlas.members(group) if (root := atlas.muscles[m].paraspinal)}
    if not levels:
        raise NeurolocError(f"{where}: 'level' applies only to paraspinal EMG")
    wanted = level.strip().upper() if isinstance(level, str) else level
    if wanted not in levels:
        raise NeurolocError(
            f"{where}: level must be one of {', '.join(levels)} for {atlas.label(group)}"
        )
    target = levels[wanted]
    return f"emg:{target.split(':', 1)[1]}", target


def _resolve_target(atlas: Atlas, kind: str, name: str, level: Any, where: str) -> tuple[str, str]:
    """(finding id, atlas target id) for a named finding of a given kind: the target's own id,
    or ``KIND:slug`` when the kind observes it through a channel (``emg:tibialis-anterior``,
    ``vibration:great-toe``, ``wasting:deltoid``)."""
    if not isinstance(name, str) or not name.strip():
        raise NeurolocError(f"{where}: {kind} must name a structure")
    if kind == "emg" and level is not None:
        return _paraspinal_level(atlas, name, level, where)
    spec = finding_kind(kind)
    target = atlas.resolve(name, spec.resolve, where=where)
    if kind != "emg" and target in atlas.muscles and atlas.muscles[target].emg_only:
        raise NeurolocError(
            f"{where}: {atlas.label(target)} cannot be graded at the bedside; "
            "give it as an 'emg' finding"
        )
    zone = atlas.zones.get(target)
    if spec.modality and zone is not None and spec.modality not in zone.modalities:
        raise NeurolocError(
            f"{where}: {atlas.label(target)} is tested for "
            f"{' and '.join(zone.modalities)} only, not {spec.modality}"
        )
    slug = target.split(":", 1)[1]
    if kind == "cmap":
        return f"cmap:{slug}", atlas.studies[target].muscle  # type: ignore[return-value]
    if target.split(":", 1)[0] != kind:
        return f"{kind}:{slug}", target
    return target, target


def parse_finding(
    atlas: Atlas, raw: Any, index: int, default_side: Side | None, where: str
) -> list[Finding]:
    """One case-file finding -> one finding (or two for ``side: both`` on a lateral target)."""
    if not isinstance(raw, Mapping):
        raise NeurolocError(f"{where}: a finding must be a mapping like {{muscle: TA, grade: 2}}")
    keys = {k: kind_named(k) for k in raw if k not in FINDING_KEYS}
    if _is_sensory_level(raw):
        return sensory_level(atlas, raw, index, default_side, where)
    unknown = [k for k, kind in keys.items() if kind is None]
    if unknown:
        import difflib

        close = difflib.get_close_matches(
            str(unknown[0])[:MAX_NAME], [*kind_words(), SENSORY_LEVEL, *FINDING_KEYS], n=3
        )
        hint = f"; closest: {', '.join(close)}" if close else ""
        raise NeurolocError(f"{where}: unknown key {shown(unknown[0])}{hint}")
    if len(keys) != 1:
        what = "no kind" if not keys else f"several kinds ({', '.join(map(str, keys))})"
        raise NeurolocError(
            f"{where}: a finding names exactly one of {', '.join(finding_kinds())}; found {what}"
        )
    key, kind = next(iter(keys.items()))
    assert kind is not None
    name = raw[key]
    kind = _with_modality(kind, raw.get("modality"), where)
    if "grade" not in raw:
        raise NeurolocError(f"{where}: missing 'grade'")
    finding_id, target = _resolve_target(atlas, kind, name, raw.get("level"), where)
    sign = target in atlas.reflexes and atlas.reflexes[target].umn_only
    typed = getattr(raw, "name", "") or str(name)
    status, grade = parse_grade(kind, raw["grade"], where, "umn-sign" if sign else None, typed)
    if grade == "inverted" and not (target in atlas.reflexes and atlas.reflexes[target].inverts):
        inverting = [r.label for r in atlas.reflexes.values() if r.inverts]
        raise NeurolocError(
            f"{where}: only the {', '.join(inverting)} is graded 'inverted' (not {typed!r})"
        )
    midline = _is_midline(atlas, target)
    given = raw.get("side", default_side)
    if given is None and not midline:
        raise NeurolocError(
            f"{where}: no side for {name!r}; give side: left, right or both on the finding, "
            "the case, or --side"
        )
    side = parse_side(given, where) if given is not None else "both"
    make = lambda s: Finding(  # noqa: E731 - a tiny local constructor
        finding_id, kind, target, s, status, grade, typed, index
    )
    if midline:
        return [make("both")]
    if side == "both":
        return [make("left"), make("right")]
    return [make(side)]


def _with_modality(kind: str, modality: Any, where: str) -> str:
    """``{sensory: X, modality: vibration}`` is the finding ``vibration: X``."""
    if modality is None:
        return kind
    named = kind_named(modality) if isinstance(modality, str) else None
    modalities = [k.name for k in finding_kinds().values() if k.modality]
    if named not in modalities:
        hint = _closest_kind(modality, modalities)
        raise NeurolocError(
            f"{where}: unknown modality {shown(modality)}{hint} "
            f"(modalities: {', '.join(modalities)})"
        )
    if kind not in ("sensory", named):
        raise NeurolocError(f"{where}: 'modality' belongs to a sensory finding, not {kind}")
    return str(named)


def _closest_kind(text: Any, choices: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(normalize(str(text)[:MAX_NAME]), list(choices), n=3)
    return f"; closest: {', '.join(close)}" if close else ""


def _is_sensory_level(raw: Mapping[str, Any]) -> bool:
    return any(isinstance(k, str) and normalize(k) == SENSORY_LEVEL for k in raw)


def sensory_level(
    atlas: Atlas, raw: Mapping[str, Any], index: int, default_side: Side | None, where: str
) -> list[Finding]:
    """``{sensory level: T10, modality: pinprick, side: left}`` -> its findings: every zone whose
    dermatomes (major roots) all lie at or below the level, lost in that modality (any modality
    if none is named), and the trunk dermatomes above it (up to T2) normal.

    The expanded findings carry the shorthand as their ``input``; an explicit finding of the
    same zone, modality and side overrides one of them (:func:`parse_case`).
    """
    key = next(k for k in raw if isinstance(k, str) and normalize(k) == SENSORY_LEVEL)
    extra = sorted(set(raw) - {key, "modality", "grade", "side", "note"}, key=str)
    if extra:
        raise NeurolocError(
            f"{where}: a sensory level takes modality, grade and side, not {shown(extra[0])}"
        )
    text = raw[key]
    level = text.strip().upper() if isinstance(text, str) else None
    if level not in LEVELS:
        raise NeurolocError(
            f"{where}: sensory level {shown(text)} is not a level; give one of {', '.join(LEVELS)}"
        )
    kind = _with_modality("sensory", raw.get("modality"), where)
    modality = finding_kind(kind).modality
    typed = f"{modality or 'sensory'} level {level}"
    status, grade = parse_grade(kind, raw.get("grade", "reduced"), where, name=typed)
    if status != "abnormal":
        raise NeurolocError(
            f"{where}: the grade of a sensory level is the loss below it (absent or reduced), "
            f"not {shown(raw.get('grade'))}"
        )
    given = raw.get("side", default_side)
    side = parse_side(given, where) if given is not None else "both"
    rank = SEGMENTS.index(level)
    out: list[Finding] = []
    for ident, zone in sorted(atlas.zones.items()):
        if (modality or "sensory") != "sensory" and modality not in zone.modalities:
            continue
        if modality is None and zone.point:
            continue
        majors = [r for r, share in zone.roots.items() if share == "major"]
        below = all(SEGMENTS.index(r) >= rank for r in majors)
        trunk_above = set(majors) <= set(THORACIC_ROOTS) and not below
        if not (below or trunk_above):
            continue
        slug = ident.split(":", 1)[1]
        finding_id = f"{kind}:{slug}" if modality else ident
        sides = ["both"] if zone.midline else ["left", "right"] if side == "both" else [side]
        state: tuple[Status, str] = (status, grade) if below else ("normal", "normal")
        out.extend(
            Finding(finding_id, kind, ident, s, state[0], state[1], typed, index)  # type: ignore[arg-type]
            for s in sides
        )
    return out


def _is_midline(atlas: Atlas, target: str) -> bool:
    flags = [atlas.targets[m].midline for m in atlas.members(target) if m in atlas.targets]
    return bool(flags) and all(flags)


class Expression(dict):
    """A finding mapping parsed from ``-f TEXT``; it keeps the text, so a refusal quotes it."""

    def __init__(self, text: str, finding: Mapping[str, Any], name: str = ""):
        super().__init__(finding)
        self.text = text
        self.name = name  # the finding's name as typed (before it was resolved)


# Kinds searched, in turn, for a name given without its kind: the bedside kinds and SNAPs
# first (``median`` alone is the SNAP), then the motor studies and conduction segments.
_UNPREFIXED: tuple[tuple[str, ...], ...] = (
    ("muscle", "movement", "reflex", "sensory", "snap"),
    ("muscle", "movement", "reflex", "sensory", "snap", "cmap", "ncs"),
)


def parse_expression(atlas: Atlas, text: str, index: int) -> dict[str, Any]:
    """``[KIND:]NAME=GRADE[@SIDE]`` -> a case-file finding mapping.

    Without KIND the name must be unambiguous across muscles, movements, reflexes, zones and
    SNAPs (e.g. ``sural`` alone is a SNAP only if no zone or muscle is called that), then motor
    studies and conduction segments (``fibular motor``). The clinic's shortcuts are read too: a
    space for ``=`` when only one split makes sense (``EHL 4-/5``, ``Babinski +``), a bedside
    phrase that carries its own grade (``upgoing toe``, ``ankle clonus``), and a muscle graded
    like needle EMG (``TA=fibs``) is an EMG finding.
    """
    where = f"-f {text!r}"
    body, at, side = text.rpartition("@") if "@" in text else (text, "", "")
    side = side.strip() if at else ""
    if (level := _level_expression(body)) is not None:
        return Expression(text, {**level, **({"side": side} if side else {})}, body.strip())
    phrases = grade_table().phrases
    if (phrase := phrases.get(normalize(body))) is not None:
        return Expression(text, {**phrase, **({"side": side} if side else {})}, body.strip())
    match = _EXPRESSION.match(text)
    if match:
        kind_text, name, grade, side = match.group("kind", "name", "grade", "side")
        typed = name
        phrase = None if kind_text else phrases.get(normalize(name))
        if phrase is not None and _confirms(grade):
            finding = dict(phrase)
        else:
            try:
                finding = _interpret(atlas, kind_text, name, grade, where)
            except UnknownName:
                if phrase is None:
                    raise
                raise _unconfirmed(name, phrase, where) from None
    else:
        finding, typed = _space_separated(atlas, body, where)
    if side:
        finding["side"] = side
    return Expression(text, finding, typed.strip())


def _level_expression(body: str) -> dict[str, Any] | None:
    """``sensory level=T10`` or ``pinprick level=T10`` (a modality's level) as a case-file
    sensory level; None for anything else."""
    name, equals, level = body.partition("=")
    words = normalize(name).split()
    if not equals or len(words) < 2 or words[-1] != "level":
        return None
    head = " ".join(words[:-1])
    if head == "sensory":
        return {SENSORY_LEVEL: level.strip()}
    kind = kind_named(head)
    if kind is None or not finding_kind(kind).modality:
        return None
    return {SENSORY_LEVEL: level.strip(), "modality": kind}


def _confirms(grade: str) -> bool:
    return (normalize(grade) or grade.strip()) in grade_table().confirming


def _unconfirmed(name: str, phrase: Mapping[str, str], where: str) -> NeurolocError:
    """``ankle clonus=absent``: a phrase names a sign that is there; grade its finding instead."""
    kind = next(k for k in phrase if k != "grade")
    shown = ", ".join(grade_table().confirming)
    return NeurolocError(
        f"{where}: {name.strip()!r} is recorded as present ({shown}); "
        f"otherwise grade the {kind} itself, e.g. '{kind}:{phrase[kind]}=normal'"
    )


def _space_separated(atlas: Atlas, body: str, where: str) -> tuple[dict[str, Any], str]:
    """``NAME GRADE`` with a space for ``=``: the one split whose name and grade both fit."""
    words = body.split()
    fits: dict[str, tuple[dict[str, Any], str]] = {}
    refusals: list[NeurolocError] = []
    unknown: list[UnknownName] = []
    for cut in range(len(words) - 1, 0, -1):
        name, grade = " ".join(words[:cut]), " ".join(words[cut:])
        kind_text, colon, rest = name.partition(":")
        if not colon or " " in kind_text.strip():
            kind_text, rest = "", name
        try:
            finding = _interpret(atlas, kind_text or None, rest, grade, where)
        except UnknownName as exc:
            unknown.append(exc)
            continue
        except NeurolocError:
            continue
        kind = next(k for k in finding if k != "grade")
        try:
            parse_grade(kind, grade, where, _family(atlas, kind, finding[kind]), rest)
        except NeurolocError as exc:  # a known name with a grade it cannot take
            refusals.append(exc)
            continue
        fits[f"{name}={grade}"] = (finding, rest)
    if len(fits) == 1:
        return next(iter(fits.values()))
    if fits:
        raise NeurolocError(f"{where}: more than one reading ({'; '.join(fits)}); write NAME=GRADE")
    if len(refusals) == 1:
        raise refusals[0]
    form = f"{where}: expected [KIND:]NAME=GRADE[@SIDE], e.g. 'TA=2' or 'EHL 4-/5'"
    if unknown and unknown[0].suggestions:  # the longest name tried, with the closest ones
        first = unknown[0]
        close = ", ".join(first.suggestions)
        raise NeurolocError(f"{form}; {first.name!r} is not a known name (closest: {close})")
    raise NeurolocError(form)


def _family(atlas: Atlas, kind: str, name: str) -> str | None:
    """The grade family of a resolved finding: the UMN signs take their own words."""
    if kind == "reflex":
        target = atlas.resolve(name, ("reflex",))
        if atlas.reflexes[target].umn_only:
            return "umn-sign"
    return None


def _interpret(
    atlas: Atlas, kind_text: str | None, name: str, grade: str, where: str
) -> dict[str, Any]:
    """KIND (maybe none), NAME and GRADE as typed -> a case-file finding mapping."""
    if kind_text:
        kind = kind_named(kind_text)
        if kind is None:
            import difflib

            close = difflib.get_close_matches(
                normalize(kind_text[:MAX_NAME]), kind_words(), n=3, cutoff=0.5
            )
            raise UnknownName(
                kind_text, "finding kind", tuple(close or finding_kinds()), where=where
            )
        return {kind: name, "grade": grade.strip()}
    resolved = _resolve_unprefixed(atlas, name, grade, where)
    kind = atlas.kind_of(resolved)
    if kind == "muscle" and _emg_grade_only(grade, where):
        kind = "emg"  # TA=fibs: a denervation grade says the muscle was needled
    return {kind: resolved, "grade": grade.strip()}


def _resolve_unprefixed(atlas: Atlas, name: str, grade: str, where: str) -> str:
    first: UnknownName | None = None
    for kinds in _UNPREFIXED:
        try:
            return atlas.resolve(name, kinds, where)
        except AmbiguousName as exc:  # a muscle and its reflex (biceps): the grade decides
            return _by_grade(atlas, exc, grade, where)
        except UnknownName as exc:
            first = first or exc
    assert first is not None
    raise first


def _emg_grade_only(grade: str, where: str) -> bool:
    """A grade needle EMG takes and strength does not (fibs, PSW, myopathic units)."""
    try:
        parse_grade("muscle", grade.strip(), where)
    except NeurolocError:
        try:
            parse_grade("emg", grade.strip(), where)
        except NeurolocError:
            return False
        return True
    return False


def _by_grade(atlas: Atlas, exc: AmbiguousName, grade: str, where: str) -> str:
    """Of a name's meanings (the biceps muscle, the biceps reflex), the one whose kind accepts
    the grade (``4/5`` is strength, ``2+`` or ``brisk`` a reflex); still ambiguous otherwise."""
    fits = []
    for candidate in exc.candidates:
        try:
            parse_grade(atlas.kind_of(candidate), grade.strip(), where)
        except NeurolocError:
            continue
        fits.append(candidate)
    if len(fits) != 1:
        raise exc
    return fits[0]


def parse_case(
    atlas: Atlas,
    data: Any,
    *,
    label: str = "case",
    default_side: Side | None = None,
    extra_findings: list[dict[str, Any]] | None = None,
) -> Case:
    """A raw case structure (from YAML/JSON or a caller's mapping) -> a checked :class:`Case`."""
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise NeurolocError(f"{label}: a case must be a mapping with a 'findings' list")
    unpaired_surrogate(data, label)
    for key in data:
        if key not in CASE_KEYS:
            import difflib

            close = difflib.get_close_matches(str(key)[:MAX_NAME], CASE_KEYS, n=3)
            hint = f"; closest: {', '.join(close)}" if close else ""
            raise NeurolocError(f"{label}: unknown key {shown(key)}{hint}")
    title = data.get("title") or ""
    if not isinstance(title, str):
        raise NeurolocError(f"{label}: title must be text")
    warnings: list[str] = []
    side = data.get("side", default_side)
    if side is not None:
        side = parse_side(side, label)
    raw_findings = data.get("findings", [])
    if raw_findings is None:
        raw_findings = []
    if not isinstance(raw_findings, list):
        raise NeurolocError(f"{label}: 'findings' must be a list")
    entries = [(f"{label}: findings[{i}]", raw) for i, raw in enumerate(raw_findings)]
    for i, raw in enumerate(extra_findings or []):
        text = getattr(raw, "text", None)
        entries.append((f"-f {text!r}" if text is not None else f"-f #{i + 1}", raw))
    if not entries:
        raise NeurolocError(f"{label}: no findings (give at least one finding with a grade)")
    if len(entries) > MAX_FINDINGS:
        raise NeurolocError(f"{label}: {len(entries)} findings; at most {MAX_FINDINGS}")
    findings: list[Finding] = []
    expanded: list[Finding] = []
    for i, (where, raw) in enumerate(entries):
        parsed = parse_finding(atlas, raw, i, side, where)
        level = isinstance(raw, Mapping) and _is_sensory_level(raw)
        (expanded if level else findings).extend(parsed)
    findings = _merge_duplicates(findings, entries)
    explicit = {f.key for f in findings}
    findings += _merge_duplicates([f for f in expanded if f.key not in explicit], entries)
    _check_group_consistency(atlas, findings, entries)
    signs: dict[str, list[str]] = {}
    for f in findings:
        if f.status == "umn":
            signs.setdefault(f"{f.input} {f.grade}", []).append(f.side)
    if signs:
        listed = "; ".join(f"{sign} ({', '.join(sides)})" for sign, sides in signs.items())
        warnings.append(
            f"upper-motor-neuron signs: {listed}; they point above the anterior horn (spinal "
            "cord or brain): neuroloc weighs them as evidence for a central lesion but does not "
            "localize inside the central nervous system"
        )
    notes, teaching = (" ".join(str(data.get(k) or "").split()) for k in ("notes", "teaching"))
    return Case(
        title, tuple(findings), data.get("clinical"), tuple(warnings), label, notes, teaching
    )


def _merge_duplicates(findings: list[Finding], entries: list[tuple[str, Any]]) -> list[Finding]:
    seen: dict[tuple[str, str], Finding] = {}
    out: list[Finding] = []
    for f in findings:
        prior = seen.get(f.key)
        if prior is None:
            seen[f.key] = f
            out.append(f)
            continue
        if prior.status != f.status or prior.grade != f.grade:
            raise ConflictingFindings(
                f"{entries[f.index][0]}: conflicts with {entries[prior.index][0]} "
                f"({f.id} {f.side}: {prior.grade} vs {f.grade})"
            )
    return out


def _check_group_consistency(
    atlas: Atlas, findings: list[Finding], entries: list[tuple[str, Any]]
) -> None:
    """A normal movement or muscle group means every part is normal at the bedside."""
    bedside = {f.key: f for f in findings if f.kind in ("muscle", "movement")}
    for f in findings:
        if f.kind not in ("muscle", "movement") or f.status != "normal":
            continue
        members = atlas.members(f.target)
        for g in bedside.values():
            same_side = g.side == f.side
            if (
                g.status == "abnormal"
                and same_side
                and g.target != f.target
                and g.target in members
            ):
                raise ConflictingFindings(
                    f"{entries[f.index][0]}: {f.input} graded normal but "
                    f"{entries[g.index][0]} grades its part {g.input} {g.grade}"
                )


def observations(atlas: Atlas, findings: Sequence[Finding]) -> list[Finding]:
    """What the solver reasons about: each finding as one or two observations of the atlas's
    coverage rows (anatomy/data/patterns.yaml explains the channels).

    * a brisk reflex or clonus: an upper-motor-neuron sign (``umn:reflex:...``, abnormal) and an
      intact arc (the reflex itself, normal: it counts against a peripheral lesion of the arc);
    * an extensor plantar or a Hoffmann sign: the sign alone; flexor / absent: its normal;
    * needle EMG: denervation is ``denervation:muscle:...`` abnormal and no myopathic pattern;
      a myopathic pattern the reverse; a normal EMG is normal on both;
    * an inverted reflex (the brachioradialis): the reflex itself reduced, and an upper motor
      neuron sign of the reflex it releases (``umn:reflex:finger-flexor``);
    * a kind that observes a channel (kinds.yaml ``row``): its row, ``vibration:sensory:...``,
      ``sweating:sensory:...``, ``wasting:muscle:...``;
    * anything else: the finding itself.
    """
    out: list[Finding] = []
    for f in findings:
        row = finding_kind(f.kind).row if f.kind in finding_kinds() else None
        if row:
            out.append(replace(f, target=f"{row}:{f.target}"))
        elif f.kind == "reflex" and f.grade == "inverted":
            released = atlas.reflexes[f.target].inverts
            out.append(f)
            out.append(replace(f, kind="umn", target=f"umn:{released}", status="abnormal"))
        elif f.kind == "reflex" and atlas.reflexes[f.target].umn_only:
            status: Status = "abnormal" if f.status == "umn" else "normal"
            out.append(replace(f, kind="umn", target=f"umn:{f.target}", status=status))
        elif f.kind == "reflex" and f.status == "umn":
            out.append(replace(f, kind="umn", target=f"umn:{f.target}", status="abnormal"))
            out.append(replace(f, status="normal"))
        elif f.kind == "emg":
            neurogenic: Status = "abnormal" if f.status == "abnormal" else "normal"
            myopathic: Status = "abnormal" if f.status == "myopathic" else "normal"
            out.append(replace(f, target=f"denervation:{f.target}", status=neurogenic))
            out.append(replace(f, target=f"myopathic:{f.target}", status=myopathic))
        else:
            out.append(f)
    return out


class ConflictingFindings(NeurolocError):
    """The same target given twice on one side with different grades, or a normal group with a
    weak part."""


def with_history(case: Case, history: Sequence[str]) -> Case:
    """``--history TEXT`` (repeatable): each text added to the case's ``clinical.history``.

    The clinical block is checked later with the rest of the clinical context, so a text that
    names nothing known is refused there, quoting it.
    """
    if not history:
        return case
    if isinstance(history, str) or not all(isinstance(h, str) for h in history):
        raise NeurolocError("history must be a list of texts like ['night pain']")
    clinical = case.clinical if case.clinical is not None else {}
    if not isinstance(clinical, Mapping):
        return case  # parse_clinical refuses the malformed block itself, with its location
    given = clinical.get("history") or []
    given = [given] if isinstance(given, str) else list(given) if isinstance(given, list) else given
    if not isinstance(given, list):
        return case
    return replace(case, clinical={**clinical, "history": [*given, *history]})
