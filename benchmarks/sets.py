"""How much the Z3 search does per component: ``python benchmarks/sets.py [--per-size N]``.

Runs ``localize`` (top 10, at most 3 lesions) on every shipped example and on generated cases of
every limb class, counting per component the sets the Z3 backend returns (sizes 2 and up: the
single lesions are read off the covers, not asked of Z3) and the ``check`` calls it makes, and
timing each query; prints the median, p90, p99 and maximum of each, and the slowest cases. It
wraps the backend from outside, so it runs unchanged on older code for a before/after figure.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from cases import available_limbs, generated_cases  # noqa: E402

from neuroloc import localize  # noqa: E402
from neuroloc.anatomy import load_atlas  # noqa: E402
from neuroloc.examples import list_examples  # noqa: E402
from neuroloc.solve import z3_backend  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-size", type=int, default=20, help="generated cases per size")
    options = parser.parse_args()
    sets_per_component: list[int] = []
    checks_per_component: list[int] = []
    original = z3_backend.Z3Backend.minimal_sets
    real_check = z3_backend._check

    def counting_check(*args, **kwargs):
        checks_per_component[-1] += 1
        return real_check(*args, **kwargs)

    def counting(self, *args, **kwargs):
        sets_per_component.append(0)
        checks_per_component.append(0)
        for size, sets in original(self, *args, **kwargs):
            if size >= 2:
                sets_per_component[-1] += len(sets)
            yield size, sets

    z3_backend.Z3Backend.minimal_sets = counting
    z3_backend._check = counting_check
    atlas = load_atlas()
    cases: list[tuple[str, object]] = [(e.path.stem, e.path) for e in list_examples()]
    for limb in available_limbs(atlas):
        for size in (5, 20, 40, 100):
            for i, case in enumerate(generated_cases(atlas, size, options.per_size, limb=limb)):
                cases.append((f"generated-{limb}-{size}-{i}", case))
    localize(cases[0][1])  # load and compile once
    sets_per_component.clear()
    checks_per_component.clear()
    timings: list[tuple[float, str, int, int]] = []
    for name, case in cases:
        first = len(sets_per_component)
        start = time.process_time()
        localize(case, top=10, max_lesions=3)
        ms = (time.process_time() - start) * 1000
        timings.append(
            (ms, name, sum(sets_per_component[first:]), sum(checks_per_component[first:]))
        )
    for label, values in (("sets", sets_per_component), ("checks", checks_per_component)):
        print(
            f"{label} per component ({len(values)} components): median "
            f"{statistics.median(values):g}, p90 {pct(values, 0.9):g}, p99 {pct(values, 0.99):g}, "
            f"max {max(values)}"
        )
    ms = [t[0] for t in timings]
    print(
        f"query CPU ms ({len(ms)} cases): p50 {statistics.median(ms):.1f}, p90 {pct(ms, 0.9):.1f}, "
        f"p99 {pct(ms, 0.99):.1f}, max {max(ms):.1f}"
    )
    for t, name, n_sets, n_checks in sorted(timings, reverse=True)[:6]:
        print(f"  {t:7.1f} ms  {n_sets:4d} sets  {n_checks:4d} checks  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
