"""Deterministic generated cases: 1-3 random lesions, findings from the forward model
(:mod:`neuroloc.forward`), drawn from whatever sites the atlas has.

Each site is classed by the limb its targets belong to (their roots: C5-T1 -> arm, L1-S5 -> leg),
so that arm-only and mixed-limb cases appear as soon as the arm is in the knowledge base.
"""

from __future__ import annotations

import copy
import functools
import random
from typing import Any

from neuroloc.anatomy import Atlas, Strength
from neuroloc.anatomy.atlas import build_atlas
from neuroloc.anatomy.loader import read_tables
from neuroloc.anatomy.model import CERVICAL_ROOTS, LUMBOSACRAL_ROOTS
from neuroloc.forward import finding_entry, simulate
from neuroloc.solve.problem import Lesion

LIMBS = ("leg", "arm", "mixed")


@functools.cache
def _limb_of_root() -> dict[str, str]:
    return {**{r: "arm" for r in CERVICAL_ROOTS}, **{r: "leg" for r in LUMBOSACRAL_ROOTS}}


def site_limbs(atlas: Atlas) -> dict[str, set[str]]:
    """site id -> the limbs ("arm", "leg") whose targets it reaches; silent sites are left out."""
    limb = _limb_of_root()
    out: dict[str, set[str]] = {}
    for site in sorted(atlas.sites):
        limbs = {
            limb[root]
            for target in atlas.supplies(site)
            for root in atlas.roots_of(target)
            if root in limb
        }
        if limbs:
            out[site] = limbs
    return out


def sites_for(atlas: Atlas, limb: str) -> list[str]:
    """Sites reaching only that limb ("leg", "arm"), or every examinable site ("mixed")."""
    limbs = site_limbs(atlas)
    if limb == "mixed":
        return sorted(limbs)
    return sorted(s for s, ls in limbs.items() if ls == {limb})


def _lesion(atlas: Atlas, rng: random.Random, sites: list[str]) -> Lesion:
    site = rng.choice(sites)
    return Lesion(site, "both" if atlas.sites[site].bilateral else rng.choice(["left", "right"]))


def generated_case(
    atlas: Atlas, rng: random.Random, n_findings: int, limb: str = "leg"
) -> dict[str, Any]:
    """One case: 1-3 lesions on one limb (``leg``, ``arm``), or on both limbs (``mixed``: at
    least one leg and one arm lesion). Half the findings abnormal where the lesions reach their
    target ``likely`` or ``certain``, the rest normal where no lesion reaches it."""
    if limb == "mixed":
        legs, arms = sites_for(atlas, "leg"), sites_for(atlas, "arm")
        lesions = [_lesion(atlas, rng, legs), _lesion(atlas, rng, arms)]
        if rng.random() < 0.5:
            lesions.append(_lesion(atlas, rng, legs + arms))
    else:
        sites = sites_for(atlas, limb)
        lesions = [_lesion(atlas, rng, sites) for _ in range(rng.randint(1, 3))]
    simulated = simulate(atlas, lesions)
    abnormal = [finding_entry(f) for f in simulated if f.abnormal]
    normal = [finding_entry(f) for f in simulated if f.strength == Strength.NONE]
    rng.shuffle(abnormal)
    rng.shuffle(normal)
    n_abnormal = min(len(abnormal), max(1, n_findings // 2))
    chosen = abnormal[:n_abnormal] + normal[: n_findings - n_abnormal]
    side = next((f["side"] for f in chosen if f["side"] != "both"), "left")
    return {"title": f"generated {limb} {n_findings}", "side": side, "findings": chosen}


def available_limbs(atlas: Atlas) -> list[str]:
    """The limb classes the atlas can generate: leg, and arm and mixed once the arm is in."""
    has = {limb: bool(sites_for(atlas, limb)) for limb in ("leg", "arm")}
    out = [limb for limb in ("leg", "arm") if has[limb]]
    return [*out, "mixed"] if len(out) == 2 else out


def generated_cases(
    atlas: Atlas, n_findings: int, count: int, seed: int = 7, limb: str = "leg"
) -> list[dict]:
    offset = LIMBS.index(limb) * 100_000
    rng = random.Random(seed * 1000 + n_findings + offset)
    return [generated_case(atlas, rng, n_findings, limb) for _ in range(count)]


def leg_only_atlas() -> Atlas:
    """The knowledge base as it stood before the arm and the non-focal patterns: the lower-limb
    tables and the lower-limb reflexes, the cervical roots kept (every root must exist) but
    reaching nothing, no patterns. Built from the shipped tables, so both atlases share every
    leg record; the benchmark runs the same leg cases on it and on the grown atlas."""
    raw = copy.deepcopy(read_tables())

    def keep(table: str, record: dict, origin: str) -> bool:
        if origin.startswith("upper-limb/"):
            root_site = table == "sites" and str(record.get("site", "")).startswith("root:")
            return table in ("roots", "sources") or root_site
        if table == "reflexes":
            cervical = set(record.get("roots") or {}) & set(CERVICAL_ROOTS)
            return record["id"] != "hoffmann" and not cervical
        return table != "patterns"

    for table, records in raw.tables.items():
        if isinstance(records, list):
            origins = raw.origins.get(table, [""] * len(records))
            kept = [(r, o) for r, o in zip(records, origins, strict=True) if keep(table, r, o)]
            raw.tables[table] = [r for r, _ in kept]
            raw.origins[table] = [o for _, o in kept]
    atlas, faults = build_atlas(raw, check_contract=False)
    if atlas is None:
        raise RuntimeError(f"the leg-only atlas does not build: {faults[:3]}")
    return atlas
