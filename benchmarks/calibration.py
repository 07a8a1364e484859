"""Is the model calibrated? Top-1 accuracy, the probability given to the true answer, and a
reliability table (predicted probability bins against observed accuracy).

Two sets of cases:

* the worked examples (their ``expected`` answer is the truth);
* cases drawn from the model itself: a lesion drawn from the sites' priors (one lesion, or two
  with the probability a second independent lesion has), its findings drawn from the
  observation model with noise (each reached target abnormal with its sensitivity, every
  other one abnormal with the leak), and a sparse examination (a random subset of the targets
  that the lesion or its neighbours reach).

``python benchmarks/calibration.py [--cases N] [--seed S]`` prints the tables; answers given a
probability of 0.7 or more that were wrong are listed (overconfident errors). No timing.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from neuroloc import localize  # noqa: E402
from neuroloc.anatomy import Atlas, Strength, load_atlas  # noqa: E402
from neuroloc.examples import list_examples  # noqa: E402
from neuroloc.forward import SimulatedFinding, finding_entry, simulate  # noqa: E402
from neuroloc.ranking import Weights, load_weights  # noqa: E402
from neuroloc.solve.problem import Lesion  # noqa: E402

BINS = (0.0, 0.3, 0.5, 0.7, 0.9, 1.0001)
EVIDENCE = {"muscle": "mrc", "reflex": "reflex", "sensory": "sensory", "snap": "snap"}
EVIDENCE.update({"emg": "emg", "ncs": "ncs"})


def draw_lesions(atlas: Atlas, rng: random.Random) -> tuple[Lesion, ...]:
    """One lesion drawn in proportion to the sites' priors; a second one independently with
    the probability its own prior gives (a coincidence is rare, as the model says)."""
    sites = [s for s in atlas.sites.values() if s.id.split(":")[0] in ("root", "plexus", "nerve")
             or s.sides == ("both",)]  # fmt: skip
    weights = [s.prior for s in sites]
    chosen = [rng.choices(sites, weights)[0]]
    if rng.random() < sum(weights) / len(weights) * 4:  # rarely a second, unrelated lesion
        chosen.append(rng.choices(sites, weights)[0])
    side = rng.choice(("left", "right"))
    out = {Lesion(s.id, "both" if s.sides == ("both",) else side) for s in chosen}
    return tuple(sorted(out))


def draw_exam(
    atlas: Atlas, weights: Weights, lesions: Sequence[Lesion], rng: random.Random, size: int
) -> dict | None:
    """A sparse noisy examination: findings drawn from the observation model."""
    predicted = simulate(atlas, lesions, threshold=Strength.POSSIBLE)
    reached = [f for f in predicted if f.strength > Strength.NONE and not f.sign]
    if not reached:
        return None
    others = [f for f in predicted if f.strength == Strength.NONE and not f.sign]
    picked = rng.sample(reached, min(len(reached), max(2, size * 2 // 3)))
    picked += rng.sample(others, min(len(others), size - len(picked)))
    findings = []
    for f in picked:
        p = weights.leak
        if f.strength > Strength.NONE:
            p = weights.p(EVIDENCE.get(f.kind, "mrc"), f.strength)
        abnormal = rng.random() < p
        entry = finding_entry(SimulatedFinding(f.kind, f.target, f.side, f.strength, abnormal))
        findings.append(entry)
    if not any(_abnormal(e) for e in findings):
        return None
    return {"side": "left", "findings": findings}


def _abnormal(entry: dict) -> bool:
    return entry["grade"] not in ("normal", "5")


def evaluate(
    truth: set[tuple[str, str]], result
) -> tuple[bool, float, float]:  # (top-1 right, p(top-1), p(truth))
    if not result.candidates:
        return False, 0.0, 0.0
    best = result.candidates[0]
    p_truth = 0.0
    for c in result.candidates:
        if {(x.public_id or x.id, x.side) for x in c.lesions} == truth:
            p_truth = c.probability
    right = {(x.public_id or x.id, x.side) for x in best.lesions} == truth
    return right, best.probability, p_truth


def report(title: str, rows: list[tuple[bool, float, float, str]]) -> None:
    n = len(rows)
    right = sum(r[0] for r in rows)
    print(f"\n## {title}: {n} cases")
    print(f"top-1 accuracy {right / n:.1%}; mean probability given to the true answer "
          f"{sum(r[2] for r in rows) / n:.3f}")  # fmt: skip
    print("| predicted p(top-1) | cases | mean predicted | observed accuracy |")
    print("| --- | --- | --- | --- |")
    for low, high in itertools.pairwise(BINS):
        cell = [r for r in rows if low <= r[1] < high]
        if cell:
            mean = sum(r[1] for r in cell) / len(cell)
            acc = sum(r[0] for r in cell) / len(cell)
            print(f"| {low:.1f}-{min(high, 1):.1f} | {len(cell)} | {mean:.2f} | {acc:.2f} |")
    wrong = [r for r in rows if not r[0] and r[1] >= 0.7]
    print(f"overconfident errors (top-1 wrong at p >= 0.7): {len(wrong)}")
    for r in wrong[:20]:
        print(f"  - {r[3]} (p = {r[1]:.2f})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300, help="simulated cases")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--size", type=int, default=8, help="findings per simulated exam")
    args = parser.parse_args(argv)
    atlas, weights = load_atlas(), load_weights()

    rows = []
    for example in list_examples():
        truth = {(x["id"], x["side"]) for x in example.expected.get("lesions") or ()}
        right, p_best, p_truth = evaluate(truth, localize(example.path))
        rows.append((right, p_best, p_truth, example.name))
    report("worked examples", rows)

    rng = random.Random(args.seed)
    rows = []
    while len(rows) < args.cases:
        lesions = draw_lesions(atlas, rng)
        case = draw_exam(atlas, weights, lesions, rng, args.size)
        if case is None:
            continue
        truth = {(atlas.sites[x.site].public_id, x.side) for x in lesions}
        right, p_best, p_truth = evaluate(truth, localize(case))
        rows.append((right, p_best, p_truth, " + ".join(f"{s}@{d}" for s, d in sorted(truth))))
    report("simulated from the model", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
