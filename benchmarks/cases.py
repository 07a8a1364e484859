"""Deterministic generated cases: 1-3 random lesions, findings from the forward model."""

from __future__ import annotations

import random
from typing import Any

from neuroloc.anatomy import Atlas, Strength
from neuroloc.solve.problem import Lesion, reach


class _Probe:
    def __init__(self, target: str, side: str):
        self.target, self.side = target, side


def _finding(atlas: Atlas, target: str, abnormal: bool, side: str) -> dict[str, Any]:
    kind = atlas.targets[target].kind
    if kind == "muscle" and atlas.muscles[target].emg_only:
        return {"emg": target, "grade": "denervation" if abnormal else "normal", "side": side}
    grades = {"muscle": ("3", "5"), "reflex": ("absent", "normal"),
              "sensory": ("reduced", "normal"), "snap": ("reduced", "normal")}  # fmt: skip
    return {kind: target, "grade": grades[kind][0 if abnormal else 1], "side": side}


def generated_case(atlas: Atlas, rng: random.Random, n_findings: int) -> dict[str, Any]:
    sites = sorted(atlas.sites)
    lesions = []
    for _ in range(rng.randint(1, 3)):
        site = rng.choice(sites)
        side = "both" if atlas.sites[site].bilateral else rng.choice(["left", "right"])
        lesions.append(Lesion(site, side))
    sides = sorted({x.side for x in lesions if x.side != "both"}) or ["left"]
    abnormal, normal = [], []
    for target in sorted(atlas.targets):
        for side in ["both"] if atlas.targets[target].midline else sides:
            best = max(reach(atlas, x, _Probe(target, side)) for x in lesions)
            if best >= Strength.LIKELY:
                abnormal.append(_finding(atlas, target, True, side))
            elif best == Strength.NONE:
                normal.append(_finding(atlas, target, False, side))
    rng.shuffle(abnormal)
    rng.shuffle(normal)
    n_abnormal = min(len(abnormal), max(1, n_findings // 2))
    chosen = abnormal[:n_abnormal] + normal[: n_findings - n_abnormal]
    return {"title": f"generated {n_findings}", "side": sides[0], "findings": chosen}


def generated_cases(atlas: Atlas, n_findings: int, count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed * 1000 + n_findings)
    return [generated_case(atlas, rng, n_findings) for _ in range(count)]
