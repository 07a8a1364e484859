"""neuroloc benchmarks, side by side in one run: ``python benchmarks/run.py [--quick]``.

* library ``localize`` latency p50/p90 (top 10, <= 3 lesions) on the shipped examples and on
  generated cases of 5, 20, 40 and 100 findings from 1-3 lesions, one set of rows per limb class
  the atlas can generate (leg-only; arm-only and mixed-limb once the arm is in, see
  benchmarks/cases.py);
* the plain-Python reference enumerator (benchmarks/reference.py) on the same problems in the
  same process, its agreement with the engine, and the ratio Z3 path / reference;
* the python-constraint backend on the same cases;
* CLI cold start for ``localize`` and ``anatomy show``; ``neuroloc batch`` with 1 and 2 jobs.

Prints a Markdown table with each target and whether it is met.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from cases import available_limbs, generated_cases  # noqa: E402
from reference import reference_top  # noqa: E402

from neuroloc import localize  # noqa: E402
from neuroloc.anatomy import load_atlas  # noqa: E402
from neuroloc.engine import as_case  # noqa: E402
from neuroloc.examples import list_examples  # noqa: E402
from neuroloc.ranking import load_weights  # noqa: E402

TOP, MAX_LESIONS = 10, 3


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def neuroloc_command(*args: str) -> list[str]:
    exe = shutil.which("neuroloc")
    return [exe, *args] if exe else [sys.executable, "-m", "neuroloc", *args]


def cold(args: list[str], repeat: int) -> float:
    command = neuroloc_command(*args)
    return timed(lambda: subprocess.run(command, cwd=ROOT, capture_output=True, check=True), repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description="neuroloc benchmarks")
    parser.add_argument("--quick", action="store_true", help="fewer cases and repeats")
    options = parser.parse_args()
    repeat = 2 if options.quick else 5
    per_size = 10 if options.quick else 40
    atlas, weights = load_atlas(), load_weights()
    localize(list_examples()[0].path)  # load and compile once, as a long-lived caller would

    rows: list[tuple[str, str, str, str]] = []
    examples = [e.path for e in list_examples()]
    ex_ms = [
        timed(lambda p=p: localize(p, top=TOP, max_lesions=MAX_LESIONS), repeat) for p in examples
    ]
    rows.append(
        (
            "localize p50, shipped examples",
            f"{statistics.median(ex_ms):.1f} ms",
            "≤ 10 ms",
            str(statistics.median(ex_ms) <= 10),
        )
    )
    rows.append(
        (
            "localize p90, shipped examples",
            f"{pct(ex_ms, 0.9):.1f} ms",
            "≤ 30 ms",
            str(pct(ex_ms, 0.9) <= 30),
        )
    )

    ratios: list[float] = []
    disagreements = 0
    generated_all: list[dict] = []
    typical: list[float] = []
    labels = {"leg": "leg-only", "arm": "arm-only", "mixed": "mixed-limb"}
    per_limb: dict[str, list[float]] = {}
    for limb in available_limbs(atlas):
        for size in (5, 20, 40, 100):
            cases = generated_cases(atlas, size, per_size, limb=limb)
            generated_all += cases
            z3_ms, ref_ms, csp_ms = [], [], []
            for case in cases:
                z3_ms.append(
                    timed(lambda c=case: localize(c, top=TOP, max_lesions=MAX_LESIONS), repeat)
                )
                csp_ms.append(
                    timed(
                        lambda c=case: localize(c, top=TOP, max_lesions=MAX_LESIONS, solver="csp"),
                        1,
                    )
                )
                findings = [f for f in as_case(atlas, case).findings if f.status != "umn"]
                ref_ms.append(
                    timed(
                        lambda f=findings: reference_top(atlas, weights, f, TOP, MAX_LESIONS),
                        repeat,
                    )
                )
                result = localize(case, top=TOP, max_lesions=MAX_LESIONS)
                if result.mode == "strict":
                    ours = [
                        (c.score, tuple((x.id, x.side) for x in c.lesions))
                        for c in result.candidates
                    ]
                    ref = [
                        (s, tuple((x.site, x.side) for x in ls))
                        for s, ls in reference_top(atlas, weights, findings, TOP, MAX_LESIONS)
                    ]
                    disagreements += ours != ref
                ratios.append(z3_ms[-1] / max(ref_ms[-1], 1e-3))
            if size <= 40:
                per_limb.setdefault(limb, []).extend(z3_ms)
                if limb == "leg":
                    typical += z3_ms
            name = f"generated {labels[limb]}, {size} findings"
            rows.append(
                (
                    f"{name}: z3 p50 / p90",
                    f"{statistics.median(z3_ms):.1f} / {pct(z3_ms, 0.9):.1f} ms",
                    "-",
                    "-",
                )
            )
            rows.append((f"{name}: reference p50", f"{statistics.median(ref_ms):.1f} ms", "-", "-"))
            rows.append((f"{name}: csp p50", f"{statistics.median(csp_ms):.1f} ms", "-", "-"))
    for limb, values in per_limb.items():
        if limb == "leg":
            continue
        rows.append(
            (
                f"localize p50 / p90, generated {labels[limb]} ≤ 40 findings",
                f"{statistics.median(values):.1f} / {pct(values, 0.9):.1f} ms",
                "p90 ≤ 20 ms" if limb == "mixed" else "-",
                str(pct(values, 0.9) <= 20) if limb == "mixed" else "-",
            )
        )
    rows.append(
        (
            "localize p50 / p90, generated leg-only ≤ 40 findings",
            f"{statistics.median(typical):.1f} / {pct(typical, 0.9):.1f} ms",
            "≤ 10 / 30 ms",
            str(statistics.median(typical) <= 10 and pct(typical, 0.9) <= 30),
        )
    )
    ratio = statistics.median(ratios)
    rows.append(("z3 path / reference (median)", f"{ratio:.1f}", "≤ 40", str(ratio <= 40)))
    rows.append(
        ("engine vs reference disagreements", str(disagreements), "0", str(disagreements == 0))
    )

    example = str(ROOT / "examples" / "l5-radiculopathy.yaml")
    c1 = cold(["localize", example], repeat)
    c2 = cold(["anatomy", "show", "tibialis anterior"], repeat)
    rows.append(("`neuroloc localize` cold", f"{c1:.0f} ms", "≤ 250 ms", str(c1 <= 250)))
    rows.append(("`neuroloc anatomy show` cold", f"{c2:.0f} ms", "≤ 120 ms", str(c2 <= 120)))

    with tempfile.TemporaryDirectory() as tmp:
        batch_cases = (generated_all * 8)[: 300 if not options.quick else 100]
        for i, case in enumerate(batch_cases):
            Path(tmp, f"case{i:04d}.json").write_text(json.dumps(case))
        for jobs in (1, 2):
            out = Path(tmp, "out.jsonl")
            start = time.perf_counter()
            subprocess.run(
                neuroloc_command("batch", tmp, "--out", str(out), "--jobs", str(jobs)),
                cwd=ROOT,
                capture_output=True,
                check=True,
            )
            rate = len(batch_cases) / (time.perf_counter() - start)
            rows.append(
                (
                    f"`neuroloc batch` --jobs {jobs}",
                    f"{rate:.0f} cases/s",
                    f"≥ {100 * jobs} cases/s",
                    str(rate >= 100 * jobs),
                )
            )

    print(
        f"{len(examples)} examples, {len(generated_all)} generated cases, median of {repeat} runs\n"
    )
    print("| measure | value | target | met |")
    print("| --- | --- | --- | --- |")
    for name, value, target, met in rows:
        print(
            f"| {name} | {value} | {target} | {met.replace('True', 'yes').replace('False', 'no')} |"
        )


if __name__ == "__main__":
    main()
