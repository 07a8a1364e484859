"""The Atlas: every structure of the knowledge base, its indexes and the compiled coverage.

``load_atlas()`` reads, checks and compiles the tables once per process (cached). Everything
else in neuroloc asks the atlas: ``atlas.resolve("TA")``, ``atlas.coverage("muscle:soleus")``,
``atlas.supplies("root:L5")``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from neuroloc.anatomy.contract import (
    CONTRACT_NERVES_WITH_SITES,
    CONTRACT_SITES,
    CONTRACT_VOCABULARY,
)
from neuroloc.anatomy.errors import AmbiguousName, AtlasError, UnknownName
from neuroloc.anatomy.graph import Caps, RouteBuilder, coverage_strength
from neuroloc.anatomy.loader import (
    RawTables,
    check_records,
    check_sources,
    is_probability,
    mapping,
    read_tables,
    sorted_items,
)
from neuroloc.anatomy.model import (
    CERVICAL_ROOTS,
    CHANNELS,
    DEEP_MODALITIES,
    MODALITIES,
    ROOT_NAMES,
    THORACIC_ROOTS,
    CaudaEquina,
    Cause,
    CourseStep,
    Movement,
    Muscle,
    Nerve,
    Plexus,
    Reflex,
    Root,
    Share,
    Sign,
    Site,
    Source,
    Strength,
    Study,
    Target,
    Zone,
    frozen_map,
)
from neuroloc.anatomy.names import MAX_NAME, NameIndex, normalize

# The kinds a name can resolve to, in the order listings show them.
KINDS: tuple[str, ...] = (
    "muscle",
    "movement",
    "reflex",
    "sensory",
    "point",  # a bony point of vibration testing (a zone of the deep modalities only)
    "snap",
    "cmap",
    "ncs",
    "sphincter",
    "sign",
    "root",
    "plexus",
    "nerve",
    "site",
)
# `anatomy list KIND` plural names -> resolver kinds.
LIST_KINDS: dict[str, tuple[str, ...]] = {
    "muscles": ("muscle",),
    "movements": ("movement",),
    "roots": ("root",),
    "plexus": ("plexus",),
    "nerves": ("nerve",),
    "sites": ("site",),
    "reflexes": ("reflex",),
    "zones": ("sensory", "point"),
    "studies": ("snap", "cmap", "ncs"),
    "signs": ("sphincter", "sign"),
}


def _tuple(values: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(values or ())


@dataclass(frozen=True, eq=False)
class Atlas:
    """Immutable view of the compiled knowledge base."""

    sources: Mapping[str, Source]
    roots: Mapping[str, Root]
    cauda_equina: CaudaEquina
    plexus: Mapping[str, Plexus]
    nerves: Mapping[str, Nerve]
    muscles: Mapping[str, Muscle]
    movements: Mapping[str, Movement]
    reflexes: Mapping[str, Reflex]
    zones: Mapping[str, Zone]
    studies: Mapping[str, Study]
    sites: Mapping[str, Site]
    signs: Mapping[str, Sign]
    categories: Mapping[str, str]  # category id -> the words the teaching page uses
    targets: Mapping[str, Target]
    composites: Mapping[str, tuple[str, ...]]
    caps: Caps
    _coverage: Mapping[str, Mapping[str, Strength]]  # target id -> node id -> strength
    _indexes: Mapping[str, NameIndex]

    # ----------------------------------------------------------------- lookups
    def resolve(self, name: str, kinds: Iterable[str] | None = None, where: str = "") -> str:
        """A user's name -> the one id it means, among ``kinds`` (all kinds by default).

        ``KIND:name`` and full ids are accepted; an unknown name raises :class:`UnknownName`
        with the closest names, a name of several kinds :class:`AmbiguousName`.
        """
        wanted = tuple(kinds) if kinds else KINDS
        text = name.strip()
        if text in self._by_id():
            ident = text
            if self.kind_of(ident) in wanted:
                return ident
        prefix, sep, rest = text.partition(":")
        kind = "sensory" if normalize(prefix) == "zone" else normalize(prefix)
        if sep and kind in wanted:  # KIND:name; a site id such as nerve:X@Y is matched below
            return self._indexes[kind].resolve(rest, where=where)
        hits = sorted({(k, i) for k in wanted for i in self._indexes[k].lookup(text)})
        if len({i for _, i in hits}) == 1:
            return hits[0][1]
        if hits:
            raise AmbiguousName(name, [i for _, i in hits], where=where)
        suggestions: list[str] = []
        probe = normalize(text[: 4 * MAX_NAME])[:MAX_NAME]  # a fixed budget, whatever was typed
        for kind in wanted:
            suggestions.extend(self._indexes[kind].suggest(probe))
        ranked = _closest(probe, suggestions)
        kind = "name" if set(wanted) == set(KINDS) else " or ".join(_kind_words(wanted))
        raise UnknownName(name, kind, ranked, where=where)

    def index(self, kind: str) -> NameIndex:
        return self._indexes[kind]

    @functools.cache  # noqa: B019 - the atlas is immutable and lives for the process
    def _by_id(self) -> Mapping[str, Any]:
        table: dict[str, Any] = {}
        for group in (
            self.roots,
            self.plexus,
            self.nerves,
            self.muscles,
            self.movements,
            self.reflexes,
            self.zones,
            self.studies,
            self.signs,
            self.sites,
        ):
            table.update(group)
        table[self.cauda_equina.id] = self.sites.get(self.cauda_equina.id, self.cauda_equina)
        return MappingProxyType(table)

    def structure(self, ident: str) -> Any:
        return self._by_id()[ident]

    def kind_of(self, ident: str) -> str:
        if ident in self.sites:
            return "site"
        head = ident.split(":", 1)[0]
        return {"zone": "sensory"}.get(head, head)

    def label(self, ident: str) -> str:
        return self.structure(ident).label

    # ---------------------------------------------------------------- coverage
    def members(self, target_or_group: str) -> tuple[str, ...]:
        """The routed targets behind an id: itself, or a group's / movement's parts
        (an observation channel such as ``denervation:muscle:soleus`` is its target's)."""
        channel, _, base = target_or_group.partition(":")
        if channel in CHANNELS:
            return self.members(base)
        if target_or_group in self.targets:
            return (target_or_group,)
        return self.composites[target_or_group]

    def coverage(self, target_or_group: str) -> Mapping[str, Strength]:
        """Site or structure id -> strength, for a target or (max over parts) a group."""
        return self._coverage[target_or_group]

    def strength(self, site: str, target_or_group: str) -> Strength:
        return self.coverage(target_or_group).get(site, Strength.NONE)

    def supplies(self, structure: str) -> dict[str, Strength]:
        """Every routed target downstream of a root, plexus element, nerve or site, strongest
        first (the targets among what :meth:`reached` lists)."""
        found = [(t, s) for t, s in self.reached(structure).items() if t in self.targets]
        return dict(sorted(found, key=lambda kv: (-kv[1], kv[0])))

    def limb_of(self, target_or_group: str) -> str | None:
        """upper or lower: the limb a target (or every part of a group) belongs to."""
        channel, _, base = target_or_group.partition(":")
        ident = base if channel in CHANNELS else target_or_group
        limbs = {_limb(self._by_id()[m]) for m in self.members(ident) if m in self._by_id()}
        limbs.discard(None)
        return limbs.pop() if len(limbs) == 1 else None

    def reached(self, site: str) -> Mapping[str, Strength]:
        """The inverse of :meth:`coverage`: every target, group or observation channel a lesion
        at ``site`` reaches, with the strength (the rows of :meth:`coverage` that name it)."""
        return self._reached().get(site, MappingProxyType({}))

    @functools.cache  # noqa: B019 - the atlas is immutable and lives for the process
    def _reached(self) -> Mapping[str, Mapping[str, Strength]]:
        rows: dict[str, dict[str, Strength]] = {}
        for target, row in self._coverage.items():
            for node, strength in row.items():
                if strength > Strength.NONE:
                    rows.setdefault(node, {})[target] = strength
        return MappingProxyType({k: MappingProxyType(v) for k, v in rows.items()})

    def reach_count(self, site: str) -> int:
        """How many targets a lesion at ``site`` reaches (for the ranking's tie-break)."""
        return self._reach_counts().get(site, 0)

    @functools.cache  # noqa: B019 - the atlas is immutable and lives for the process
    def _reach_counts(self) -> Mapping[str, int]:
        counts = {
            node: sum(1 for target in row if target in self.targets)
            for node, row in self._reached().items()
        }
        return MappingProxyType(counts)

    def nerves_of(self, target: str) -> dict[str, str]:
        record = self.structure(target)
        if isinstance(record, Muscle | Zone | Sign):
            return dict(record.nerves)
        nerve = getattr(record, "nerve", None)
        return {nerve: "major"} if nerve else {}

    def roots_of(self, target: str) -> dict[str, str]:
        record = self.structure(target)
        if isinstance(record, Muscle) and record.is_group:
            merged: dict[str, str] = {}
            for part in record.parts:
                for root, share in self.roots_of(part).items():
                    if merged.get(root) != "major":
                        merged[root] = share
            return dict(sorted_items(merged))
        if isinstance(record, Study) and record.type == "cmap" and record.muscle:
            return self.roots_of(record.muscle)
        return dict(getattr(record, "roots", {}))


def _limb(record: Any) -> str | None:
    """upper or lower: a sign's own ``limb``, else from its roots (C5-T1 are the arm's)."""
    if getattr(record, "limb", None):
        return record.limb
    roots = set(getattr(record, "roots", {}))
    if not roots:
        return None
    if roots <= set(CERVICAL_ROOTS):
        return "upper"
    return "trunk" if roots <= set(THORACIC_ROOTS) else "lower"


def _nerves(record: Any) -> set[str]:
    """The nerves a target hangs from: a muscle's or a zone's ``nerves``, a study's ``nerve``."""
    named = set(getattr(record, "nerves", None) or ())
    single = getattr(record, "nerve", None)
    return named | {single} if single else named


def _kind_words(kinds: Iterable[str]) -> list[str]:
    words = {
        "sensory": "sensory zone",
        "point": "bony point",
        "snap": "SNAP",
        "cmap": "CMAP study",
        "ncs": "conduction study",
    }
    return [words.get(k, k) for k in kinds]


def _closest(text: str, names: list[str], limit: int = 3) -> tuple[str, ...]:
    import difflib

    unique = list(dict.fromkeys(names))
    key = normalize(text)
    unique.sort(key=lambda n: -difflib.SequenceMatcher(None, key, normalize(n)).ratio())
    return tuple(unique[:limit])


# --------------------------------------------------------------------------- building
class _Builder:
    def __init__(self, raw: RawTables, check_contract: bool = True):
        self.t = raw.tables
        self.origins = raw.origins
        self.faults = list(raw.faults)
        self.check_contract = check_contract

    def fault(self, text: str) -> None:
        self.faults.append(text)

    def records(self, table: str) -> list[dict]:
        good = check_records(table, self.t.get(table, []), self.faults, self.origins.get(table))
        if table != "sources":
            check_sources(good, set(self.sources), table, self.faults)
        return good

    def build(self) -> Atlas | None:
        self.sources = {
            r["key"]: Source(r["key"], r["citation"].strip())
            for r in check_records(
                "sources", self.t.get("sources", []), self.faults, self.origins.get("sources")
            )
        }
        self._roots()
        self._plexus()
        self._nerves()
        self._muscles()
        self._check_most_sensitive()
        self._movements()
        self._reflexes()
        self._zones()
        self._signs()
        self._studies()
        self._caps()
        self._sites()
        if self.faults:
            return None
        self._targets()
        self._attributes()
        if self.check_contract:
            self._contract()
        self._synonym_clashes()
        if self.faults:
            return None
        coverage = self._coverage()
        for group, members in self.composites.items():  # a group: its strongest part
            for channel in ("", "denervation:", "myopathic:", "wasting:", "fasciculation:"):
                merged: dict[str, Strength] = {}
                for member in members:
                    for node, strength in coverage[channel + member].items():
                        merged[node] = max(strength, merged.get(node, Strength.NONE))
                coverage[channel + group] = MappingProxyType(merged)  # type: ignore[assignment]
        return Atlas(
            sources=MappingProxyType(self.sources),
            roots=MappingProxyType(self.roots),
            cauda_equina=self.cauda_equina,
            plexus=MappingProxyType(self.plexus),
            nerves=MappingProxyType(self.nerves),
            muscles=MappingProxyType(self.muscles),
            movements=MappingProxyType(self.movements),
            reflexes=MappingProxyType(self.reflexes),
            zones=MappingProxyType(self.zones),
            studies=MappingProxyType(self.studies),
            sites=MappingProxyType(self.sites),
            signs=MappingProxyType(self.signs),
            categories=MappingProxyType(self.categories),
            targets=MappingProxyType(self.targets),
            composites=MappingProxyType(self.composites),
            caps=self.caps_obj,
            _coverage=MappingProxyType(coverage),
            _indexes=MappingProxyType(self._indexes()),
        )

    # -- tables
    def _roots(self) -> None:
        self.roots: dict[str, Root] = {}
        self.cauda_equina = CaudaEquina("cauda-equina", "Cauda equina", (), (), (), (), "", ())
        found_ce = False
        for r in self.records("roots"):
            if r["id"] == "cauda-equina":
                found_ce = True
                self.cauda_equina = CaudaEquina(
                    "cauda-equina",
                    r["label"],
                    _tuple(r["synonyms"]),
                    _tuple(r.get("always")),
                    _tuple(r.get("usually")),
                    _tuple(r.get("variable")),
                    r["description"].strip(),
                    _tuple(r["sources"]),
                )
                if "S2" not in r.get("always", []):
                    self.fault("roots.yaml cauda-equina: 'always' must include the sacral roots")
                continue
            if r["id"] not in ROOT_NAMES:
                self.fault(
                    f"roots.yaml {r['id']}: root ids are {', '.join(ROOT_NAMES)} or cauda-equina"
                )
                continue
            self.roots[f"root:{r['id']}"] = Root(
                f"root:{r['id']}",
                r["id"],
                r["label"],
                _tuple(r["synonyms"]),
                r.get("disc", ""),
                r["description"].strip(),
                _tuple(r["sources"]),
                tuple(f"muscle:{m}" for m in r.get("most_sensitive", ())),
            )
        for name in ROOT_NAMES:
            if f"root:{name}" not in self.roots:
                self.fault(f"roots.yaml: root {name} is missing")
        if not found_ce:
            self.fault("roots.yaml: the cauda-equina record is missing")

    def _plexus(self) -> None:
        self.plexus: dict[str, Plexus] = {}
        ids = {f"plexus:{r.get('id')}" for r in self.t.get("plexus", []) if isinstance(r, dict)}
        for r in self.records("plexus"):
            inputs = r["inputs"]
            pid = f"plexus:{r['id']}"
            if not isinstance(inputs, dict) or not inputs:
                self.fault(f"plexus.yaml {r['id']}: 'inputs' must map roots to direct|element")
                continue
            clean: dict[str, str] = {}
            for root, via in inputs.items():
                if root not in ROOT_NAMES:
                    self.fault(f"plexus.yaml {r['id']}: unknown root {root!r} in inputs")
                elif via != "direct" and f"plexus:{via}" not in ids:
                    self.fault(f"plexus.yaml {r['id']}: input {root} via unknown element {via!r}")
                else:
                    clean[root] = via if via == "direct" else f"plexus:{via}"
            self.plexus[pid] = Plexus(
                pid,
                r["label"],
                _tuple(r["synonyms"]),
                frozen_map(clean),
                r["description"].strip(),
                _tuple(r["sources"]),
            )

    def _nerves(self) -> None:
        self.nerves: dict[str, Nerve] = {}
        self.site_labels: dict[str, tuple[str, str, tuple[str, ...]]] = {}
        records = self.records("nerves")
        known = {f"nerve:{r['id']}" for r in records}
        for r in records:
            nid = f"nerve:{r['id']}"
            origin, root_origins = self._origin(r, known)
            steps: list[CourseStep] = []
            course = r["course"]
            if not isinstance(course, list):
                self.fault(f"nerves.yaml {r['id']}: 'course' must be a list")
                course = []
            for index, step in enumerate(course):
                where = f"nerves.yaml {r['id']} course[{index}]"
                if not isinstance(step, dict) or ("site" in step) == ("branch" in step):
                    self.fault(f"{where}: each step is either a site or a branch")
                    continue
                unknown = set(step) - {"site", "branch", "id", "label", "often_spares"}
                if unknown:
                    self.fault(f"{where}: unknown key {sorted(unknown)[0]!r}")
                if "site" in step:
                    site_id = step.get("id") or f"{nid}@{step['site']}"
                    if not step.get("label"):
                        self.fault(f"{where}: a site needs a label")
                    spares = _tuple(step.get("often_spares"))
                    steps.append(CourseStep("site", site_id, step.get("label", ""), spares))
                    self.site_labels[site_id] = (str(step.get("label", site_id)), nid, spares)
                else:
                    steps.append(CourseStep("branch", step["branch"]))
            self.nerves[nid] = Nerve(
                nid,
                r["label"],
                _tuple(r["synonyms"]),
                origin,
                _tuple(r["roots"]),
                tuple(steps),
                r["description"].strip(),
                _tuple(r["sources"]),
                frozen_map(root_origins),
            )
        # origins must not form cycles
        for nid in self.nerves:
            seen = {nid}
            origin = self.nerves[nid].origin
            while origin in self.nerves:
                if origin in seen:
                    self.fault(f"nerves.yaml {nid}: nerve origins form a cycle")
                    break
                seen.add(origin)
                origin = self.nerves[origin].origin

    def _origin(self, r: dict, known: set[str]) -> tuple[str, dict[str, str]]:
        """``from``: one origin, or a mapping root -> plexus element (or ``roots``)."""
        raw = r["from"]
        split = isinstance(raw, dict)
        by_root = dict(raw) if split else {}
        for origin in by_root.values() if split else [raw]:
            if not isinstance(origin, str) or (
                origin != "roots" and origin not in known and origin not in self.plexus
            ):
                self.fault(f"nerves.yaml {r['id']}: unknown origin {origin!r}")
            elif split and origin.startswith("nerve:"):
                self.fault(f"nerves.yaml {r['id']}: a split origin names plexus elements or roots")
        for root in by_root:
            if root not in r["roots"]:
                self.fault(f"nerves.yaml {r['id']}: origin given for {root}, not in its roots")
        if split:
            missing = [root for root in r["roots"] if root not in by_root]
            if missing:
                self.fault(f"nerves.yaml {r['id']}: no origin given for {', '.join(missing)}")
            first = next(iter(by_root.values()), "roots")
            return (first if isinstance(first, str) else "roots"), by_root
        return str(raw), {}

    def _nerve_shares(self, table: str, ident: str, value: Any) -> dict[str, str]:
        shares = {f"nerve:{k}": v for k, v in mapping(value).items()}
        for nerve in shares:
            if nerve not in self.nerves:
                self.fault(f"{table}.yaml {ident}: unknown nerve {nerve.removeprefix('nerve:')!r}")
        return shares

    def _check_disputed(self, table: str, r: dict) -> None:
        for root in r.get("disputed", {}) or {}:
            if r.get("roots", {}).get(root) != "minor":
                self.fault(
                    f"{table}.yaml {r['id']}: disputed root {root} must be listed as minor "
                    "so the engine treats it as uncertain"
                )

    def _muscles(self) -> None:
        self.muscles: dict[str, Muscle] = {}
        records = self.records("muscles")
        ids = {f"muscle:{r['id']}" for r in records}
        for r in records:
            mid = f"muscle:{r['id']}"
            parts = tuple(f"muscle:{p}" for p in r.get("parts", []))
            if parts:
                for key in ("nerve", "roots", "disputed"):
                    if key in r:
                        self.fault(f"muscles.yaml {r['id']}: a group takes 'parts', not {key!r}")
                for part in parts:
                    if part not in ids:
                        self.fault(f"muscles.yaml {r['id']}: unknown part {part!r}")
            elif "nerve" not in r or "roots" not in r:
                self.fault(f"muscles.yaml {r['id']}: needs 'nerve' and 'roots' (or 'parts')")
            self._check_disputed("muscles", r)
            self.muscles[mid] = Muscle(
                mid,
                r["label"],
                _tuple(r["synonyms"]),
                frozen_map(self._nerve_shares("muscles", r["id"], r.get("nerve"))),
                frozen_map(dict(sorted_items(r.get("roots", {})))),
                frozen_map(r.get("disputed", {}) or {}),
                parts,
                r["test"].strip(),
                bool(r.get("emg_only", False)),
                bool(r.get("midline", False)),
                r["description"].strip(),
                _tuple(r["sources"]),
                bedside=bool(r.get("bedside", not r.get("emg_only", False))),
                paraspinal=r.get("paraspinal"),
                length=r.get("length"),
                region=r.get("region"),
            )

    def _movements(self) -> None:
        self.movements: dict[str, Movement] = {}
        for r in self.records("movements"):
            movers = tuple(f"muscle:{m}" for m in r["prime_movers"])
            for m in movers:
                if m not in self.muscles:
                    self.fault(f"movements.yaml {r['id']}: unknown prime mover {m!r}")
            self.movements[f"movement:{r['id']}"] = Movement(
                f"movement:{r['id']}",
                r["label"],
                _tuple(r["synonyms"]),
                movers,
                r["description"].strip(),
                _tuple(r["sources"]),
            )

    def _reflexes(self) -> None:
        self.reflexes: dict[str, Reflex] = {}
        for r in self.records("reflexes"):
            umn_only = bool(r.get("umn_only", False))
            if umn_only == ("nerve" in r or "roots" in r) or (not umn_only and "nerve" not in r):
                self.fault(
                    f"reflexes.yaml {r['id']}: a reflex arc has 'nerve' and 'roots'; a sign of "
                    "the upper motor neuron has 'umn_only: true' and neither"
                )
            nerves = self._nerve_shares("reflexes", r["id"], r.get("nerve"))
            muscle = f"muscle:{r['muscle']}" if r.get("muscle") else None
            if muscle and muscle not in self.muscles:
                self.fault(f"reflexes.yaml {r['id']}: unknown muscle {r['muscle']!r}")
            self._check_disputed("reflexes", r)
            self.reflexes[f"reflex:{r['id']}"] = Reflex(
                f"reflex:{r['id']}",
                r["label"],
                _tuple(r["synonyms"]),
                frozen_map(nerves),
                muscle,
                frozen_map(dict(sorted_items(r.get("roots", {})))),
                frozen_map(r.get("disputed", {}) or {}),
                bool(r.get("midline", False)),
                umn_only,
                r["description"].strip(),
                _tuple(r["sources"]),
                length=r.get("length"),
                limb=r.get("limb"),
                inverts=f"reflex:{r['inverts']}" if r.get("inverts") else None,
            )
        for reflex in self.reflexes.values():
            if reflex.inverts and reflex.inverts not in self.reflexes:
                self.fault(f"reflexes.yaml {reflex.id}: inverts unknown reflex {reflex.inverts}")

    def _zones(self) -> None:
        self.zones: dict[str, Zone] = {}
        for r in self.records("zones"):
            self._check_disputed("zones", r)
            modalities = tuple(m for m in MODALITIES if m in (r.get("modalities") or MODALITIES))
            if "nerves" not in r and not set(modalities) <= set(DEEP_MODALITIES):
                self.fault(
                    f"zones.yaml {r['id']}: a zone without 'nerves' is a bony point and takes "
                    f"only {' and '.join(DEEP_MODALITIES)} ('modalities')"
                )
            if "nerves" in r and "modalities" in r:
                self.fault(f"zones.yaml {r['id']}: a skin zone takes every modality")
            self.zones[f"sensory:{r['id']}"] = Zone(
                f"sensory:{r['id']}",
                r["label"],
                _tuple(r["synonyms"]),
                frozen_map(self._nerve_shares("zones", r["id"], r.get("nerves") or {})),
                frozen_map(dict(sorted_items(r["roots"]))),
                frozen_map(r.get("disputed", {}) or {}),
                bool(r.get("midline", False)),
                r["description"].strip(),
                _tuple(r["sources"]),
                length=r.get("length"),
                modalities=modalities,
            )

    def _signs(self) -> None:
        """Sphincters (reached through the sacral roots of both sides) and bedside signs with
        no route (Romberg's sign), anatomy/data/signs.yaml."""
        self.signs: dict[str, Sign] = {}
        for r in self.records("signs"):
            sid = f"{r['type']}:{r['id']}"
            if r["type"] == "sphincter" and ("nerve" not in r or "roots" not in r):
                self.fault(f"signs.yaml {r['id']}: a sphincter needs 'nerve' and 'roots'")
            if r["type"] == "sign" and ("nerve" in r or "roots" in r):
                self.fault(f"signs.yaml {r['id']}: a sign has no route ('nerve', 'roots')")
            self.signs[sid] = Sign(
                sid,
                r["type"],
                r["label"],
                _tuple(r["synonyms"]),
                frozen_map(self._nerve_shares("signs", r["id"], r.get("nerve") or {})),
                frozen_map(dict(sorted_items(r.get("roots", {})))),
                bool(r.get("midline", False)),
                r["description"].strip(),
                _tuple(r["sources"]),
                length=r.get("length"),
                limb=r.get("limb"),
            )

    def _studies(self) -> None:
        self.studies: dict[str, Study] = {}
        for r in self.records("studies"):
            sid = f"{r['type']}:{r['id']}"
            nerve = muscle = None
            sites: tuple[str, ...] = ()
            if r["type"] == "ncs":
                nerve = f"nerve:{r.get('nerve')}"
                sites = _tuple(r.get("sites"))
                if nerve not in self.nerves or not sites or "roots" in r or "muscle" in r:
                    self.fault(
                        f"studies.yaml {r['id']}: a conduction study across a segment names a "
                        "known 'nerve' and its lesion 'sites' (no roots or muscle)"
                    )
                for site in sites:
                    owner = self.site_labels.get(site, (None, None, ()))[1]
                    if owner is None:
                        self.fault(f"studies.yaml {r['id']}: unknown site {site!r}")
            elif r["type"] == "snap":
                if "nerve" not in r or "roots" not in r or "muscle" in r:
                    self.fault(f"studies.yaml {r['id']}: a SNAP needs 'nerve' and 'roots'")
                nerve = f"nerve:{r.get('nerve')}"
                if nerve not in self.nerves:
                    self.fault(f"studies.yaml {r['id']}: unknown nerve {r.get('nerve')!r}")
                self._check_disputed("studies", r)
            else:
                if "muscle" not in r or "nerve" in r or "roots" in r:
                    self.fault(f"studies.yaml {r['id']}: a CMAP names its recording 'muscle' only")
                muscle = f"muscle:{r.get('muscle')}"
                if muscle not in self.muscles:
                    self.fault(f"studies.yaml {r['id']}: unknown muscle {r.get('muscle')!r}")
            recording = r.get("recording") or r.get("stimulation") or ""
            self.studies[sid] = Study(
                sid,
                r["type"],
                r["label"],
                _tuple(r["synonyms"]),
                nerve,
                frozen_map(dict(sorted_items(r.get("roots", {})))),
                muscle,
                frozen_map(r.get("atypical_roots", {}) or {}),
                recording.strip(),
                r["description"].strip(),
                _tuple(r["sources"]),
                sites,
                length=r.get("length"),
            )

    def _caps(self) -> None:
        raw = self.t.get("coverage", {})
        caps = raw.get("caps", {}) if isinstance(raw, dict) else {}
        values: dict[str, Strength] = {}
        for name in (
            "root",
            "plexus",
            "nerve",
            "cauda-equina",
            "often_spared",
            "midline_unilateral",
        ):
            entry = caps.get(name)
            if not isinstance(entry, dict) or "max" not in entry or "reason" not in entry:
                self.fault(f"coverage.yaml: caps.{name} needs 'max' and 'reason'")
                values[name] = Strength.CERTAIN
                continue
            try:
                values[name] = Strength.parse(entry["max"])
            except KeyError:
                self.fault(f"coverage.yaml: caps.{name}.max must be certain|likely|possible")
                values[name] = Strength.CERTAIN
        ce = caps.get("cauda-equina", {}) if isinstance(caps.get("cauda-equina"), dict) else {}
        tiers: dict[str, Strength] = {}
        for key in ("usual_roots_max", "variable_roots_max"):
            try:
                tiers[key] = Strength.parse(ce[key])
            except (KeyError, AttributeError):
                self.fault(f"coverage.yaml: caps.cauda-equina.{key} must be a strength")
                tiers[key] = Strength.POSSIBLE
        distal = caps.get("distal_response", {})
        kinds = distal.get("kinds") if isinstance(distal, dict) else None
        if not isinstance(kinds, list) or not set(kinds) <= {"snap", "cmap", "ncs"}:
            self.fault("coverage.yaml: caps.distal_response.kinds lists snap, cmap or ncs")
            kinds = []
        if not isinstance(distal, dict) or not distal.get("reason"):
            self.fault("coverage.yaml: caps.distal_response needs a 'reason'")
        self._channel_rules(raw.get("channels", {}) if isinstance(raw, dict) else {})
        self.caps_obj = Caps(
            by_level=MappingProxyType(
                {k: values[k] for k in ("root", "plexus", "nerve", "cauda-equina")}
            ),
            cauda_equina_usual=tiers["usual_roots_max"],
            cauda_equina_variable=tiers["variable_roots_max"],
            often_spared=values["often_spared"],
            midline_unilateral=values["midline_unilateral"],
            distal_kinds=frozenset(kinds),
        )

    def _channel_rules(self, raw: Any) -> None:
        """coverage.yaml ``channels``: the levels whose lesions spare sweating, the cap on
        fasciculations; each with a reason and sources."""
        self.sweating_spared_by: frozenset[str] = frozenset({"root", "cauda-equina"})
        self.fasciculation_max = Strength.POSSIBLE
        for name in ("sweating", "fasciculation"):
            entry = raw.get(name) if isinstance(raw, dict) else None
            if not isinstance(entry, dict) or not entry.get("reason") or not entry.get("sources"):
                self.fault(f"coverage.yaml: channels.{name} needs a 'reason' and 'sources'")
                continue
            for key in entry["sources"]:
                if key not in self.sources:
                    self.fault(f"coverage.yaml: channels.{name}: unknown source {key!r}")
        sweating = raw.get("sweating", {}) if isinstance(raw, dict) else {}
        spared = sweating.get("spared_by") if isinstance(sweating, dict) else None
        levels = {"root", "cauda-equina", "plexus", "nerve"}
        if not isinstance(spared, list) or not set(spared) <= levels:
            self.fault("coverage.yaml: channels.sweating.spared_by lists root, cauda-equina, ...")
        else:
            self.sweating_spared_by = frozenset(spared)
        fasciculation = raw.get("fasciculation", {}) if isinstance(raw, dict) else {}
        try:
            self.fasciculation_max = Strength.parse(fasciculation["max"])
        except (KeyError, TypeError, AttributeError):
            self.fault("coverage.yaml: channels.fasciculation.max must be a strength")

    def _sites(self) -> None:
        """Join the structural sites (roots, plexus, nerve courses) with sites.yaml."""
        structural: dict[str, tuple[str, str, str, tuple[str, ...]]] = {}
        for root in self.roots.values():
            structural[root.id] = ("root", root.label, root.id, ())
        structural["cauda-equina"] = ("cauda-equina", self.cauda_equina.label, "cauda-equina", ())
        for pid, plexus in self.plexus.items():
            structural[pid] = ("plexus", plexus.label, pid, ())
        for site_id, (label, nerve, spares) in self.site_labels.items():
            if site_id in structural:
                self.fault(f"nerves.yaml: site {site_id} is defined twice")
            structural[site_id] = ("nerve", label, nerve, spares)
        self.categories = {r["id"]: r["label"] for r in self.records("categories")}
        annotations = {r["site"]: r for r in self.records("sites")}
        self.sites: dict[str, Site] = {}
        for site_id, (level, label, structure, spares) in structural.items():
            note = annotations.get(site_id)
            if note is None:
                self.fault(f"sites.yaml: no record for site {site_id}")
                continue
            self.sites[site_id] = self._site(
                site_id,
                level,
                label,
                structure,
                note,
                spares=tuple(spares),
                sides=_tuple(note.get("sides")) or ("left", "right"),
            )
        for site_id in annotations:
            if site_id not in structural:
                self.fault(f"sites.yaml: {site_id} is not a site of the pathway graph")
        self._patterns()

    def _site(
        self,
        site_id: str,
        level: str,
        label: str,
        structure: str,
        note: dict,
        *,
        spares: tuple[str, ...] = (),
        sides: tuple[str, ...],
        stage: tuple[str, str] = ("", ""),
        nature: str = "neurogenic",
        notes: tuple[str, str] = ("", ""),
    ) -> Site:
        """A site from its structural facts and its annotation (sites.yaml or patterns.yaml)."""
        if note["category"] not in self.categories:
            self.fault(
                f"sites.yaml {site_id}: category must be one of {', '.join(self.categories)}"
            )
        causes: list[Cause] = []
        raw_causes = note["causes"] if isinstance(note["causes"], list) else None
        if raw_causes is None:
            self.fault(f"sites.yaml {site_id}: 'causes' must be a list")
            raw_causes = []
        for index, cause in enumerate(raw_causes):
            if (
                not isinstance(cause, dict)
                or set(cause) != {"label", "sources"}
                or not isinstance(cause["label"], str)
                or not isinstance(cause["sources"], list)
                or not cause["sources"]
            ):
                self.fault(f"sites.yaml {site_id} causes[{index}]: needs label and sources")
                continue
            for key in cause["sources"]:
                if key not in self.sources:
                    self.fault(f"sites.yaml {site_id} causes[{index}]: unknown source {key!r}")
            causes.append(Cause(cause["label"], tuple(cause["sources"])))
        if "both" in sides and len(sides) == 2:
            self.fault(f"{site_id}: sides are [left, right], [both] or [left, right, both]")
        return Site(
            site_id,
            level,  # type: ignore[arg-type]
            label,
            structure,
            note["syndrome"],
            _tuple(note.get("eponyms")),
            float(note["prior"]),
            " ".join(note["prior_reason"].split()),
            note["category"],
            tuple(causes),
            spares,
            sides,
            _tuple(note["sources"]),
            stage=stage[0],
            stage_label=stage[1],
            nature=nature,
            notes=notes,
            bilateral_rate=note.get("bilateral_rate"),
            one_sided=note.get("one_sided"),
        )

    def _patterns(self) -> None:
        """Hypotheses beyond a focal lesion: one site per stage of reach (patterns.yaml)."""
        self.pattern_rules: dict[str, tuple[tuple[dict, ...], int | None]] = {}
        for r in self.records("patterns"):
            stages = r.get("stages") or [{"id": "", "label": "", "reach": None}]
            rules = self._pattern_rules(r)
            for stage in stages:
                if not isinstance(stage, dict) or not {"id", "label", "reach"} <= set(stage):
                    self.fault(f"patterns.yaml {r['id']}: a stage has id, label and reach")
                    continue
                prior = stage.get("prior", r["prior"])
                if problem := is_probability(prior):
                    self.fault(f"patterns.yaml {r['id']}: a stage prior {problem}")
                    continue
                site_id = f"{r['id']}@{stage['id']}" if stage["id"] else r["id"]
                label = f"{r['label']} ({stage['label']})" if stage["id"] else r["label"]
                self.sites[site_id] = self._site(
                    site_id,
                    r["level"],
                    label,
                    r["id"],
                    {**r, "prior": stage.get("prior", r["prior"])},
                    sides=tuple(r["sides"]),
                    stage=(stage["id"], stage["label"]),
                    nature=r.get("nature", "neurogenic"),
                    notes=(
                        " ".join(r.get("note", "").split()),
                        " ".join(r.get("note_with_peripheral", "").split()),
                    ),
                )
                self.pattern_rules[site_id] = (rules, stage["reach"])

    _RULE_KEYS = frozenset(
        {"observe", "strength", "region", "shortfall", "roots", "limb", "nerves"}
    )
    _OBSERVE = frozenset(
        {"muscle", "reflex", "sensory", "snap", "ncs", "sphincter", "romberg", *CHANNELS}
    )

    def _pattern_rules(self, r: dict) -> tuple[dict, ...]:
        good: list[dict] = []
        for i, rule in enumerate(r["rules"] if isinstance(r["rules"], list) else []):
            where = f"patterns.yaml {r['id']} rules[{i}]"
            if not isinstance(rule, dict) or not {"observe", "strength"} <= set(rule):
                self.fault(f"{where}: a rule needs 'observe' and 'strength'")
                continue
            if set(rule) - self._RULE_KEYS or not set(rule["observe"]) <= self._OBSERVE:
                self.fault(f"{where}: unknown key or observation kind")
                continue
            if "shortfall" in rule and not r.get("stages"):
                self.fault(f"{where}: 'shortfall' needs stages")
                continue
            if "nerves" in rule and not set(rule["nerves"]) <= set(self.nerves):
                unknown = sorted(set(rule["nerves"]) - set(self.nerves))
                self.fault(f"{where}: unknown nerve(s) {', '.join(unknown)}")
                continue
            try:
                strength = Strength.parse(rule["strength"])
            except KeyError:
                self.fault(f"{where}: strength must be certain, likely or possible")
                continue
            good.append({**rule, "strength": strength})
        if not good:
            self.fault(f"patterns.yaml {r['id']}: no valid rule")
        return tuple(good)

    # -- graph
    def _attributes(self) -> None:
        """The non-focal patterns read `length` and `region` (anatomy/data/README.md): every
        target must carry them, or a pattern would silently miss it."""
        for m in self.muscles.values():
            if not m.is_group and (m.length is None or m.region is None):
                self.fault(f"muscles.yaml {m.id}: needs 'length' and 'region'")
        for table, records in (("reflexes", self.reflexes), ("zones", self.zones),
                               ("signs", self.signs)):  # fmt: skip
            for ident, record in records.items():
                if record.length is None:
                    self.fault(f"{table}.yaml {ident}: needs 'length'")
        for ident, study in self.studies.items():
            if study.type == "snap" and study.length is None:
                self.fault(f"studies.yaml {ident}: a SNAP needs 'length'")

    def _targets(self) -> None:
        builder = RouteBuilder(self.nerves, self.plexus, self.cauda_equina)
        self.targets: dict[str, Target] = {}
        self.composites: dict[str, tuple[str, ...]] = {}
        self._check_branches()
        specs: list[tuple[str, str, str, bool, dict[str, Share], dict[str, Share], bool]] = []
        for m in self.muscles.values():
            if m.is_group:
                continue
            specs.append((m.id, "muscle", m.label, m.midline, dict(m.nerves), dict(m.roots), False))
        for x in self.reflexes.values():
            if x.umn_only:  # no arc: reached only through the central hypotheses
                self.targets[x.id] = Target(x.id, "reflex", x.label, False, ())
                continue
            specs.append((x.id, "reflex", x.label, x.midline, dict(x.nerves), dict(x.roots), False))
        for z in self.zones.values():
            if z.point:  # a bony point: no cutaneous nerve, reached by patterns only
                self.targets[z.id] = Target(z.id, "sensory", z.label, z.midline, ())
                continue
            specs.append(
                (z.id, "sensory", z.label, z.midline, dict(z.nerves), dict(z.roots), False)
            )
        for g in self.signs.values():
            if not g.nerves:  # Romberg's sign: reached by patterns only
                self.targets[g.id] = Target(g.id, g.type, g.label, g.midline, ())
                continue
            specs.append((g.id, g.type, g.label, g.midline, dict(g.nerves), dict(g.roots), False))
        for s in self.studies.values():
            if s.type == "snap" and s.nerve:
                specs.append(
                    (s.id, "snap", s.label, False, {s.nerve: "major"}, dict(s.roots), True)
                )
        for s in self.studies.values():
            if s.type == "ncs":
                self.targets[s.id] = Target(s.id, "ncs", s.label, False, ())
        for ident, kind, label, midline, nerves, roots, post in specs:
            routes, unreachable = builder.routes(ident, nerves, roots, postganglionic=post)
            for root in unreachable:
                names = ", ".join(n.removeprefix("nerve:") for n in nerves)
                self.fault(f"{ident}: root {root} cannot reach it through {names}")
            self.targets[ident] = Target(ident, kind, label, midline, routes)  # type: ignore[arg-type]
        for m in self.muscles.values():
            if m.is_group:
                self.composites[m.id] = self._flatten(m.parts)
        for mv in self.movements.values():
            self.composites[mv.id] = self._flatten(mv.prime_movers)

    def _flatten(self, parts: Iterable[str]) -> tuple[str, ...]:
        out: list[str] = []
        for part in parts:
            muscle = self.muscles[part]
            out.extend(self._flatten(muscle.parts) if muscle.is_group else [part])
        return tuple(dict.fromkeys(out))

    def _check_branches(self) -> None:
        """Every branch must name its nerve back; every named nerve must reach the target."""
        claims: dict[str, set[str]] = {}
        for m in self.muscles.values():
            claims[m.id] = set(m.nerves)
        for x in self.reflexes.values():
            claims[x.id] = set(x.nerves)
        for z in self.zones.values():
            claims[z.id] = set(z.nerves)
        for g in self.signs.values():
            claims[g.id] = set(g.nerves)
        for s in self.studies.values():
            if s.nerve:
                claims[s.id] = {s.nerve}
        for nerve in self.nerves.values():
            for step in nerve.course:
                if step.kind != "branch":
                    continue
                ref = step.ref
                if ref.startswith("nerve:"):
                    if ref not in self.nerves:
                        self.fault(f"nerves.yaml {nerve.id}: branch to unknown nerve {ref}")
                    elif self.nerves[ref].origin != nerve.id:
                        self.fault(f"nerves.yaml {nerve.id}: branch {ref} does not arise from it")
                elif ref not in claims:
                    self.fault(f"nerves.yaml {nerve.id}: branch to unknown target {ref}")
                elif nerve.id not in claims[ref]:
                    self.fault(f"nerves.yaml {nerve.id}: {ref} is listed but does not name it")
        for site in self.sites.values():
            for spared in site.often_spares:
                if spared not in self.nerves and spared not in claims:
                    self.fault(f"nerves.yaml {site.id}: often_spares names unknown {spared}")

    def _coverage(self) -> dict[str, dict[str, Strength]]:
        levels: dict[str, str] = {}
        for node in self.roots:
            levels[node] = "root"
        levels["cauda-equina"] = "cauda-equina"
        for node in self.plexus:
            levels[node] = "plexus"
        for node in self.nerves:
            levels[node] = "nerve"
        for node in self.sites:
            levels.setdefault(node, self.sites[node].level)
        coverage: dict[str, dict[str, Strength]] = {}
        for target in self.targets.values():
            nodes = sorted({n for path, _ in target.routes for n in path})
            row: dict[str, Strength] = {}
            for node in nodes:
                site = self.sites.get(node)
                strength = coverage_strength(
                    node,
                    levels[node],
                    target,
                    self.caps_obj,
                    cauda_equina=self.cauda_equina,
                    often_spares=site.often_spares if site else (),
                    bilateral=bool(site and site.bilateral),
                    less_sensitive=self._less_sensitive(node, target),
                )
                if strength > Strength.NONE:
                    row[node] = strength
            study = self.studies.get(target.id)
            for root in study.atypical_roots if study else ():
                row.setdefault(f"root:{root}", Strength.ATYPICAL)
            for segment in study.sites if study else ():
                # A block or focal slowing in the segment: only a lesion there produces it, and
                # only when it is demyelinating, so the link is likely, never certain.
                row[segment] = Strength.LIKELY
            coverage[target.id] = row
        self._channels_and_patterns(coverage, levels)
        return {target: MappingProxyType(row) for target, row in coverage.items()}  # type: ignore[misc]

    def _check_most_sensitive(self) -> None:
        for root in self.roots.values():
            for muscle in root.most_sensitive:
                record = self.muscles.get(muscle)
                if record is None:
                    self.fault(f"roots.yaml {root.name}: most_sensitive {muscle} is not a muscle")
                elif record.roots.get(root.name) != "major":
                    self.fault(
                        f"roots.yaml {root.name}: most_sensitive {muscle} must list "
                        f"{root.name} as a major root"
                    )

    def _less_sensitive(self, node: str, target: Target) -> bool:
        """A muscle of a root recorded with its most sensitive muscles, and not one of them."""
        root = self.roots.get(node)
        if root is None or not root.most_sensitive or target.kind != "muscle":
            return False
        muscle = self.muscles.get(target.id)
        return bool(muscle and not muscle.emg_only) and target.id not in root.most_sensitive

    def _channels_and_patterns(
        self, coverage: dict[str, dict[str, Strength]], levels: Mapping[str, str]
    ) -> None:
        """Add the observation channels and what the patterns reach (patterns.yaml).

        Needle EMG denervation of a muscle is reached by whatever reaches the muscle through
        its routes; a myopathic EMG pattern and the upper-motor-neuron signs of a reflex by no
        route at all: only the patterns whose rules name them.
        """
        for target in self.targets.values():
            row = coverage[target.id]
            if target.kind == "muscle":
                coverage[f"denervation:{target.id}"] = dict(row)
                coverage[f"myopathic:{target.id}"] = {}
                # Wasting follows denervation wherever it comes from; fasciculations are
                # capped (coverage.yaml channels.fasciculation).
                coverage[f"wasting:{target.id}"] = dict(row)
                coverage[f"fasciculation:{target.id}"] = {
                    node: min(strength, self.fasciculation_max) for node, strength in row.items()
                }
            elif target.kind == "reflex":
                coverage[f"umn:{target.id}"] = {}
            elif target.kind == "sensory":
                zone = self.zones[target.id]
                # A nerve or a root carries every modality of its zone.
                for modality in zone.modalities:
                    coverage[f"{modality}:{target.id}"] = dict(row)
                if not zone.point:
                    # Sweating: the levels whose lesions spare it (coverage.yaml
                    # channels.sweating: the roots and the cauda equina).
                    coverage[f"sweating:{target.id}"] = {
                        node: strength
                        for node, strength in row.items()
                        if levels.get(node) not in self.sweating_spared_by
                    }
        for site_id, (rules, reach) in self.pattern_rules.items():
            for target in self.targets.values():
                for observe, row_id in self._observations(target):
                    strength = self._rule_strength(rules, observe, target.id, reach)
                    if strength > coverage[row_id].get(site_id, Strength.NONE):
                        coverage[row_id][site_id] = strength

    def _observations(self, target: Target) -> list[tuple[frozenset[str], str]]:
        """(observation kinds, coverage row) pairs through which a target can be observed: a
        rule naming any of the kinds reaches the row. A sensory zone's own row (a finding with
        no modality) is reached by the rules naming ``sensory``; each modality's row by those
        and by the rules naming that modality."""
        if target.kind == "muscle":
            bedside = [] if self.muscles[target.id].emg_only else [("muscle", target.id)]
            pairs = [
                *bedside,
                ("denervation", f"denervation:{target.id}"),
                ("myopathic", f"myopathic:{target.id}"),
                ("wasting", f"wasting:{target.id}"),
                ("fasciculation", f"fasciculation:{target.id}"),
            ]
            return [(frozenset({kind}), row) for kind, row in pairs]
        if target.kind == "reflex":
            umn = [(frozenset({"umn"}), f"umn:{target.id}")]
            own = [(frozenset({"reflex"}), target.id)]
            return umn if self._umn_only(target.id) else [*own, *umn]
        if target.kind == "sensory":
            zone = self.zones[target.id]
            rows = [(frozenset({"sensory"}), target.id)]
            rows += [(frozenset({"sensory", m}), f"{m}:{target.id}") for m in zone.modalities]
            if not zone.point:
                rows.append((frozenset({"sweating"}), f"sweating:{target.id}"))
            return rows
        if target.kind == "sign":
            return [(frozenset({target.id.split(":", 1)[1]}), target.id)]  # romberg
        if target.kind in ("snap", "ncs", "sphincter"):
            return [(frozenset({target.kind}), target.id)]
        return []

    def _rule_strength(
        self, rules: tuple[dict, ...], observe: frozenset[str], target_id: str, reach: int | None
    ) -> Strength:
        record = self._by_kind_id(target_id)
        best = Strength.NONE
        for rule in rules:
            if not observe & set(rule["observe"]):
                continue
            if "region" in rule and getattr(record, "region", None) not in rule["region"]:
                continue
            if "roots" in rule:
                majors = {root for root, share in record.roots.items() if share == "major"}
                if not majors & set(rule["roots"]):
                    continue
            if "limb" in rule and _limb(record) not in rule["limb"]:
                continue
            if "nerves" in rule and not _nerves(record) & set(rule["nerves"]):
                continue
            if "shortfall" in rule:
                length = getattr(record, "length", None)
                if length is None or reach is None:
                    continue
                if max(0, reach - length) != rule["shortfall"]:
                    continue
            best = max(best, rule["strength"])
        return best

    def _by_kind_id(self, target_id: str) -> Any:
        for table in (self.muscles, self.reflexes, self.zones, self.studies, self.signs):
            if target_id in table:
                return table[target_id]
        raise KeyError(target_id)

    # -- checks on the whole
    def _contract(self) -> None:
        for site in CONTRACT_SITES:
            if site not in self.sites:
                self.fault(f"contract site {site} is missing from the pathway graph")
        for nerve in CONTRACT_NERVES_WITH_SITES:
            n = self.nerves.get(f"nerve:{nerve}")
            if n is None or not n.site_ids:
                self.fault(f"contract nerve {nerve} needs at least one lesion site")
        indexes = self._indexes()
        for kind, names in CONTRACT_VOCABULARY.items():
            for name in names:
                if not indexes[kind].lookup(name):
                    self.fault(f"contract vocabulary: {kind} {name!r} does not resolve")
        for ident, target in self.targets.items():
            if not target.routes and target.kind != "ncs" and not self._rules_only(ident):
                self.fault(f"{ident}: no fibre route reaches it")

    def _umn_only(self, ident: str) -> bool:
        return ident in self.reflexes and self.reflexes[ident].umn_only

    def _rules_only(self, ident: str) -> bool:
        """A target no lesion reaches through fibres, only the patterns through their rules:
        a sign of the upper motor neuron, a bony point, Romberg's sign."""
        if ident in self.zones:
            return self.zones[ident].point
        if ident in self.signs:
            return not self.signs[ident].nerves
        return self._umn_only(ident)

    def _synonym_clashes(self) -> None:
        for kind, index in self._indexes().items():
            if kind == "site":
                continue
            for ident, names in index.names().items():
                for name in names:
                    others = [i for i in index.lookup(name) if i != ident]
                    # A name shared by a hand and a foot muscle is resolved by the case's limb.
                    if kind == "muscle" and all(self._limb_of(i) != self._limb_of(ident)
                                                for i in others):  # fmt: skip
                        continue
                    if others:
                        self.fault(f"{kind} name {name!r} means both {ident} and {others[0]}")

    def _limb_of(self, ident: str) -> str | None:
        record = self.muscles.get(ident)
        return _limb(record) if record is not None and not record.is_group else None

    @functools.cache  # noqa: B019 - built once per builder
    def _indexes(self) -> dict[str, NameIndex]:
        idx = {kind: NameIndex(kind) for kind in KINDS}

        def add(kind: str, ident: str, slug: str, label: str, synonyms: Iterable[str]) -> None:
            idx[kind].add(ident, [label, *synonyms, slug])

        for m in self.muscles.values():
            add("muscle", m.id, m.id.split(":", 1)[1], m.label, m.synonyms)
        for mv in self.movements.values():
            add("movement", mv.id, mv.id.split(":", 1)[1], mv.label, mv.synonyms)
        for x in self.reflexes.values():
            add("reflex", x.id, x.id.split(":", 1)[1], x.label, x.synonyms)
        for z in self.zones.values():
            add("point" if z.point else "sensory", z.id, z.id.split(":", 1)[1], z.label, z.synonyms)
        for g in self.signs.values():
            add(g.type, g.id, g.id.split(":", 1)[1], g.label, g.synonyms)
        for s in self.studies.values():
            add(s.type, s.id, s.id.split(":", 1)[1], s.label, s.synonyms)
        for r in self.roots.values():
            add("root", r.id, r.name, r.label, r.synonyms)
        for p in self.plexus.values():
            add("plexus", p.id, p.id, p.label, p.synonyms)
        for n in self.nerves.values():
            add("nerve", n.id, n.id.split(":", 1)[1], n.label, n.synonyms)
        for site in self.sites.values():
            names = [site.id, site.label, *site.eponyms]
            if site.level == "nerve":
                names.append(site.id.removeprefix("nerve:").replace("@", " at "))
            if site.level != "root":
                names.append(site.syndrome)
            idx["site"].add(site.id, names)
        ce = self.cauda_equina
        idx["site"].add(ce.id, [ce.id, ce.label, *ce.synonyms])
        return idx


def build_atlas(raw: RawTables, check_contract: bool = True) -> tuple[Atlas | None, list[str]]:
    """Check and compile tables; ``check_contract=False`` is for small test ontologies."""
    builder = _Builder(raw, check_contract)
    atlas = builder.build()
    return atlas, builder.faults


def validate(data_dir: Path | None = None) -> list[str]:
    """Every fault of the tables in ``data_dir`` (the shipped tables by default)."""
    return build_atlas(read_tables(data_dir, use_cache=False))[1]


@functools.cache
def _load(data_dir: str | None) -> Atlas:
    if data_dir is None:  # the shipped tables: their compiled atlas, if it is fresh
        from neuroloc.anatomy.prebuilt import load_prebuilt

        prebuilt = load_prebuilt()
        if prebuilt is not None:
            return prebuilt
    atlas, faults = build_atlas(read_tables(Path(data_dir) if data_dir else None))
    if atlas is None:
        raise AtlasError(faults)
    return atlas


def load_atlas(data_dir: Path | str | None = None) -> Atlas:
    """The compiled knowledge base, built once per process and data directory."""
    return _load(str(data_dir) if data_dir else None)
