"""Plain-data views of the knowledge base for ``neuroloc anatomy`` and library callers.

Each function returns JSON-ready dicts (CONTRACT.md §3, ``anatomy show``); rendering to text
is the command line's business.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from neuroloc.anatomy.atlas import LIST_KINDS, Atlas
from neuroloc.anatomy.errors import UnknownName
from neuroloc.anatomy.model import (
    Movement,
    Muscle,
    Nerve,
    Plexus,
    Reflex,
    Root,
    Sign,
    Site,
    Strength,
    Study,
    Zone,
)


def _common(record: Any, kind: str) -> dict[str, Any]:
    return {
        "id": record.id,
        "kind": kind,
        "label": record.label,
        "synonyms": list(getattr(record, "synonyms", ())),
        "description": getattr(record, "description", ""),
        "sources": list(record.sources),
    }


def _citations(atlas: Atlas, keys: list[str]) -> list[dict[str, str]]:
    return [{"key": k, "citation": atlas.sources[k].citation} for k in keys if k in atlas.sources]


def _sites_of(atlas: Atlas, structure: str) -> list[str]:
    return [s.id for s in atlas.sites.values() if s.structure == structure or s.id == structure]


def _grouped(atlas: Atlas, supplied: dict[str, Strength]) -> dict[str, dict[str, str]]:
    groups: dict[str, dict[str, str]] = {"muscles": {}, "reflexes": {}, "zones": {}, "studies": {}}
    names = {
        "muscle": "muscles",
        "reflex": "reflexes",
        "sensory": "zones",
        "snap": "studies",
        "ncs": "studies",
        "sphincter": "signs",
        "sign": "signs",
    }
    for target, strength in supplied.items():
        word = "atypical" if strength is Strength.ATYPICAL else strength.label
        groups.setdefault(names[atlas.targets[target].kind], {})[target] = word
    return groups


def describe(atlas: Atlas, ident: str) -> dict[str, Any]:
    """Everything the knowledge base holds about one structure."""
    record = atlas.structure(ident)
    kind = atlas.kind_of(ident)
    if isinstance(record, Site):
        out = _common(record, "site")
        out.update(
            level=record.level,
            structure=record.structure,
            syndrome=record.syndrome,
            eponyms=list(record.eponyms),
            prior=record.prior,
            prior_reason=record.prior_reason,
            category=record.category,
            causes=[{"label": c.label, "sources": list(c.sources)} for c in record.causes],
            bilateral=record.bilateral,
            often_spares=list(record.often_spares),
            supplies=_grouped(atlas, atlas.supplies(record.id)),
        )
        if record.level == "root":
            root: Root = atlas.roots[record.id]
            out.update(disc=root.disc, description=root.description, synonyms=list(root.synonyms))
        elif record.level == "plexus" and record.id in atlas.plexus:  # not a plexus pattern
            plexus: Plexus = atlas.plexus[record.id]
            out.update(inputs=dict(plexus.inputs), description=plexus.description)
        elif record.level == "cauda-equina":
            ce = atlas.cauda_equina
            out.update(
                always=list(ce.always),
                usually=list(ce.usually),
                variable=list(ce.variable),
                description=ce.description,
            )
    elif isinstance(record, Muscle):
        out = _common(record, "muscle")
        nerves = list(record.nerves)
        out.update(
            nerve=nerves[0] if nerves else None,
            nerves=dict(record.nerves),
            roots=atlas.roots_of(record.id),
            disputed=dict(record.disputed),
            test=record.test,
            emg_only=record.emg_only,
        )
        if record.is_group:
            out["parts"] = list(record.parts)
            out["nerves"] = {
                n: s for part in atlas.members(record.id) for n, s in atlas.nerves_of(part).items()
            }
            # A group whose parts share one nerve has that nerve (quadriceps -> femoral).
            out["nerve"] = next(iter(out["nerves"])) if len(out["nerves"]) == 1 else None
    elif isinstance(record, Movement):
        out = _common(record, "movement")
        out.update(prime_movers=list(record.prime_movers))
    elif isinstance(record, Reflex):
        out = _common(record, "reflex")
        out.update(
            nerve=record.nerve,
            nerves=dict(record.nerves),
            muscle=record.muscle,
            roots=dict(record.roots),
            disputed=dict(record.disputed),
            midline=record.midline,
            upper_motor_neuron_sign=record.umn_only,
        )
    elif isinstance(record, Zone):
        out = _common(record, "zone")
        out.update(
            nerves=dict(record.nerves),
            roots=dict(record.roots),
            disputed=dict(record.disputed),
            midline=record.midline,
            modalities=list(record.modalities),
            bony_point=record.point,
        )
    elif isinstance(record, Sign):
        out = _common(record, record.type)
        out.update(nerves=dict(record.nerves), roots=dict(record.roots), midline=record.midline)
    elif isinstance(record, Study):
        out = _common(record, "study")
        out.update(type=record.type, recording=record.recording)
        if record.type == "snap":
            out.update(nerve=record.nerve, roots=dict(record.roots))
        elif record.type == "ncs":
            out.update(nerve=record.nerve, sites=list(record.sites))
        else:
            out.update(muscle=record.muscle, roots=atlas.roots_of(record.id))
    elif isinstance(record, Nerve):
        out = _common(record, "nerve")
        out.update(
            origin=dict(record.root_origins) if record.root_origins else record.origin,
            roots=list(record.roots),
            sites=list(record.site_ids),
            course=[
                {"site": s.ref, "label": s.label} if s.kind == "site" else {"branch": s.ref}
                for s in record.course
            ],
            supplies=_grouped(atlas, atlas.supplies(record.id)),
        )
    elif isinstance(record, Plexus):  # pragma: no cover - plexus ids are sites
        out = _common(record, "plexus")
    else:  # pragma: no cover - every structure kind is handled above
        out = _common(record, kind)
    if ("coverage" not in out and ident in atlas.targets) or ident in atlas.composites:
        out["reached_by"] = {
            site: strength.label
            for site, strength in atlas.coverage(ident).items()
            if site in atlas.sites
        }
    out.update(ontology_ids(ident, getattr(record, "structure", None)))
    out["citations"] = _citations(atlas, out["sources"])
    return out


def ontology_ids(ident: str, structure: str | None = None) -> dict[str, Any]:
    """``hpo`` (the term an abnormal finding of this structure is written as) and ``uberon``
    (its anatomy term; a site's is its structure's) from ``data/ontology.yaml``, where the
    table has them. Read here, not through the localizer, which the anatomy layer never imports.
    """
    import importlib.resources

    from neuroloc.anatomy.loader import cached_data

    def parse_yaml(text: str) -> Any:
        from neuroloc.anatomy.yamlsafe import load_yaml  # refuses duplicate keys

        return load_yaml(text)

    source = importlib.resources.files("neuroloc.anatomy").joinpath("data/ontology.yaml")
    table = cached_data("ontology", source, parse_yaml)
    records = {r["id"]: r for r in table.get("findings") or ()}
    structures = {s["id"]: s["uberon"] for s in table.get("structures") or ()}
    finding = ident.replace("zone:", "sensory:", 1)
    out: dict[str, Any] = {}
    term = (records.get(finding) or {}).get("abnormal")
    if term:
        hpo = term.get("hpo") or term.get("nearest")
        out["hpo"] = {"id": hpo, "label": term["label"], "specific": bool(term.get("hpo"))}
    for candidate in (ident, structure, ident.split("@", 1)[0]):
        if not candidate:
            continue
        uberon = (records.get(candidate) or {}).get("uberon") or structures.get(candidate)
        if uberon:
            out["uberon"] = {"id": uberon["id"], "label": uberon["label"]}
            break
    return out


def listing(atlas: Atlas, kind: str) -> list[dict[str, str]]:
    """Every structure of a kind, as ``{id, label}`` rows, in table order."""
    if kind not in LIST_KINDS:
        from neuroloc.anatomy.names import NameIndex

        index = NameIndex("kind")
        for name in LIST_KINDS:
            index.add(name, [name])
        raise UnknownName(kind, "kind", index.suggest(kind) or tuple(LIST_KINDS))
    tables: dict[str, Mapping[str, Any]] = {
        "muscle": atlas.muscles,
        "movement": atlas.movements,
        "reflex": atlas.reflexes,
        "sensory": {k: v for k, v in atlas.zones.items() if not v.point},
        "point": {k: v for k, v in atlas.zones.items() if v.point},
        **{
            kind: {k: v for k, v in atlas.signs.items() if v.type == kind}
            for kind in ("sphincter", "sign")
        },
        "root": {**atlas.roots, "cauda-equina": atlas.cauda_equina},
        "plexus": atlas.plexus,
        "nerve": atlas.nerves,
        "site": atlas.sites,
        **{
            kind: {k: v for k, v in atlas.studies.items() if v.type == kind}
            for kind in ("snap", "cmap", "ncs")
        },
    }
    rows: list[dict[str, str]] = []
    for resolver_kind in LIST_KINDS[kind]:
        for ident, record in tables[resolver_kind].items():
            row = {"id": ident, "label": record.label}
            if isinstance(record, Site):
                row["level"] = record.level
                row["syndrome"] = record.syndrome
            rows.append(row)
    return rows


def supplies(atlas: Atlas, ident: str) -> dict[str, Any]:
    """Everything downstream of a root, plexus element, nerve or site, grouped by kind."""
    supplied = atlas.supplies(ident)
    return {"id": ident, "label": atlas.label(ident), **_grouped(atlas, supplied)}
