"""neuroloc benchmarks, side by side in one run: ``python benchmarks/run.py [--quick]``.

* library ``localize`` latency p50/p90 (top 10, <= 3 lesions; one run per distinct case) on the
  shipped examples and on
  generated cases of 5, 20, 40 and 100 findings from 1-3 lesions, one set of rows per limb class
  the atlas can generate (leg-only; arm-only and mixed-limb once the arm is in, see
  benchmarks/cases.py);
* the plain-Python reference enumerator (benchmarks/reference.py) on the same problems in the
  same process, its agreement with the engine, and the ratio Z3 path / reference;
* the python-constraint backend on the same cases;
* the bare enumeration of the same leg cases on the leg-only atlas (before the arm and the
  non-focal patterns, ``cases.leg_only_atlas``) and on the grown atlas: how cost grew;
* CLI cold start for ``localize`` and ``anatomy show`` (warm table cache and warm bytecode:
  the child processes write their bytecode under a temporary ``PYTHONPYCACHEPREFIX``, as an
  installed package has its ``.pyc`` files, even where ``PYTHONDONTWRITEBYTECODE`` is set);
  the atlas compile time from the cached tables and the prebuilt atlas load time; ``neuroloc
  batch`` with 1 and 2 jobs.

Prints a Markdown table with each target (issue 25) and whether it is met. ``--only SECTIONS``
runs some of latency, reference, growth, cold, batch; ``--per-size N`` sets the generated cases.
"""

from __future__ import annotations

import argparse
import json
import os
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

from cases import available_limbs, generated_cases, leg_only_atlas  # noqa: E402
from reference import reference_top  # noqa: E402

from neuroloc import localize  # noqa: E402
from neuroloc.anatomy import load_atlas  # noqa: E402
from neuroloc.anatomy.atlas import build_atlas  # noqa: E402
from neuroloc.anatomy.loader import read_tables  # noqa: E402
from neuroloc.anatomy.prebuilt import load_prebuilt  # noqa: E402
from neuroloc.engine import as_case  # noqa: E402
from neuroloc.examples import list_examples  # noqa: E402
from neuroloc.findings import observations  # noqa: E402
from neuroloc.ranking import load_weights  # noqa: E402
from neuroloc.solve.search import Query, get_backend, solve  # noqa: E402

TOP, MAX_LESIONS = 10, 3
SECTIONS = ("latency", "reference", "growth", "cold", "batch")


def once(fn) -> float:
    """One run in ms: every latency row times each distinct case once, so nothing a repeated
    query might reuse (the thread's literal handles, the atlas's memoised look-ups) is counted
    as the cost of a case."""
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


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


def cold(args: list[str], repeat: int, env: dict[str, str]) -> float:
    command = neuroloc_command(*args)

    def run() -> None:
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True, env=env)

    run()  # warm the table cache and the bytecode
    return timed(run, repeat)


def child_env(pycache: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def ms_pair(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} / {pct(values, 0.9):.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description="neuroloc benchmarks")
    parser.add_argument("--quick", action="store_true", help="fewer cases and repeats")
    parser.add_argument(
        "--per-size", type=int, help="generated cases per size and limb (default 40, quick 10)"
    )
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run, of {', '.join(SECTIONS)} (default: all)",
    )
    options = parser.parse_args()
    sections = set(options.only.split(","))
    if not sections <= set(SECTIONS):
        parser.error(f"--only: unknown section(s) {sorted(sections - set(SECTIONS))}")
    repeat = 2 if options.quick else 5
    per_size = options.per_size or (10 if options.quick else 40)
    atlas, weights = load_atlas(), load_weights()
    backend = get_backend("z3")
    localize(list_examples()[0].path)  # load and compile once, as a long-lived caller would

    rows: list[tuple[str, str, str, str]] = []

    def row(name: str, value: str, target: str = "-", met: bool | None = None) -> None:
        rows.append((name, value, target, "-" if met is None else ("yes" if met else "no")))

    examples = [e.path for e in list_examples()]
    ex_ms = [once(lambda p=p: localize(p, top=TOP, max_lesions=MAX_LESIONS)) for p in examples]
    p50, p90 = statistics.median(ex_ms), pct(ex_ms, 0.9)
    row(
        "localize p50 / p90, shipped examples",
        ms_pair(ex_ms),
        "≤ 8 / ≤ 25 ms",
        p50 <= 8 and p90 <= 25,
    )
    slowest = max(zip(ex_ms, examples, strict=True))
    row(
        "slowest shipped example",
        f"{slowest[0]:.0f} ms ({slowest[1].stem})",
        "≤ 150 ms",
        slowest[0] <= 150,
    )

    ratios: list[float] = []
    disagreements = 0
    generated_all: list[dict] = []
    labels = {"leg": "leg-only", "arm": "arm-only", "mixed": "mixed-limb"}
    per_limb: dict[str, list[float]] = {}
    for limb in available_limbs(atlas):
        for size in (5, 20, 40, 100):
            cases = generated_cases(atlas, size, per_size, limb=limb)
            generated_all += cases
            if not sections & {"latency", "reference"}:
                continue
            z3_ms, ref_ms, csp_ms = [], [], []
            for case in cases:
                z3_ms.append(once(lambda c=case: localize(c, top=TOP, max_lesions=MAX_LESIONS)))
                if "reference" not in sections:
                    continue
                csp_ms.append(
                    once(lambda c=case: localize(c, top=TOP, max_lesions=MAX_LESIONS, solver="csp"))
                )
                # The bare enumeration the engine runs (observations, strict problem) against
                # the plain-Python reference on the same findings.
                findings = tuple(observations(atlas, as_case(atlas, case).findings))
                ref_ms.append(
                    timed(
                        lambda f=findings: reference_top(atlas, weights, f, TOP, MAX_LESIONS),
                        repeat,
                    )
                )
                found = solve(
                    Query(
                        atlas, weights, findings, backend, TOP, MAX_LESIONS, time.monotonic() + 60
                    )
                )
                ours = [tuple((x.site, x.side) for x in lesions) for lesions in found.sets]
                ref = [
                    tuple((x.site, x.side) for x in lesions)
                    for _, lesions in reference_top(atlas, weights, findings, TOP, MAX_LESIONS)
                ]
                disagreements += ours != ref
                ratios.append(z3_ms[-1] / max(ref_ms[-1], 1e-3))
            if size <= 40:
                per_limb.setdefault(limb, []).extend(z3_ms)
            name = f"generated {labels[limb]}, {size} findings"
            row(f"{name}: z3 p50 / p90", ms_pair(z3_ms))
            if ref_ms:
                row(f"{name}: reference p50", f"{statistics.median(ref_ms):.1f} ms")
                row(f"{name}: csp p50", f"{statistics.median(csp_ms):.1f} ms")
    every: list[float] = []
    for limb, values in per_limb.items():
        every += values
        p50, p90 = statistics.median(values), pct(values, 0.9)
        row(f"localize, generated {labels[limb]} ≤ 40 findings", ms_pair(values),
            "≤ 8 / ≤ 25 ms", p50 <= 8 and p90 <= 25)  # fmt: skip
    if every:
        p50, p90 = statistics.median(every), pct(every, 0.9)
        row("localize, generated ≤ 40 findings (every limb)", ms_pair(every),
            "≤ 8 / ≤ 25 ms", p50 <= 8 and p90 <= 25)  # fmt: skip
    if "growth" in sections:
        # Cost growth: the same leg cases (drawn from the leg-only atlas, so it can explain them)
        # enumerated on the knowledge base before the arm and the patterns and on today's.
        leg_atlas = leg_only_atlas()
        for size in (20, 40):
            before, after = [], []
            for case in generated_cases(leg_atlas, size, per_size, limb="leg"):
                for where, out in ((leg_atlas, before), (atlas, after)):
                    findings = tuple(observations(where, as_case(where, case).findings))
                    out.append(
                        timed(
                            lambda w=where, f=findings: solve(
                                Query(
                                    w, weights, f, backend, TOP, MAX_LESIONS, time.monotonic() + 60
                                )
                            ),
                            repeat,
                        )
                    )
            row(
                f"enumeration, leg cases of {size} findings: leg-only atlas -> grown atlas",
                f"{ms_pair(before)} -> {ms_pair(after)}",
            )
    if ratios:
        ratio = statistics.median(ratios)
        row("full localize / reference enumeration (median)", f"{ratio:.1f}", "≤ 5", ratio <= 5)
        row("engine vs reference disagreements", str(disagreements), "0", disagreements == 0)

    if "cold" in sections:
        compile_ms = timed(lambda: build_atlas(read_tables()), repeat)
        row("atlas compile (cached tables, in process)", f"{compile_ms:.0f} ms")
        prebuilt_ms = timed(load_prebuilt, repeat)
        row("prebuilt atlas load (fingerprint and unpickle, in process)", f"{prebuilt_ms:.0f} ms")

    with tempfile.TemporaryDirectory() as pycache:
        env = child_env(pycache)
        example = str(ROOT / "examples" / "l5-radiculopathy.yaml")
        if "cold" in sections:
            c1 = cold(["localize", example], repeat, env)
            c2 = cold(["anatomy", "show", "tibialis anterior"], repeat, env)
            row("`neuroloc localize` cold", f"{c1:.0f} ms", "≤ 150 ms", c1 <= 150)
            row("`neuroloc anatomy show` cold", f"{c2:.0f} ms", "≤ 90 ms", c2 <= 90)

        with tempfile.TemporaryDirectory() as tmp:
            batch_cases = (generated_all * 8)[: 300 if not options.quick else 100]
            for i, case in enumerate(batch_cases):
                Path(tmp, f"case{i:04d}.json").write_text(json.dumps(case))
            for jobs in (1, 2) if "batch" in sections else ():
                out = Path(tmp, "out.jsonl")
                start = time.perf_counter()
                subprocess.run(
                    neuroloc_command("batch", tmp, "--out", str(out), "--jobs", str(jobs)),
                    cwd=ROOT,
                    capture_output=True,
                    check=True,
                    env=env,
                )
                rate = len(batch_cases) / (time.perf_counter() - start)
                row(f"`neuroloc batch` --jobs {jobs}", f"{rate:.0f} cases/s",
                    f"≥ {250 * jobs} cases/s", rate >= 250 * jobs)  # fmt: skip

    print(
        f"{len(examples)} examples, {len(generated_all)} generated cases; latency: one run per "
        f"distinct case; reference, growth and cold start: median of {repeat} runs\n"
    )
    print("| measure | value | target | met |")
    print("| --- | --- | --- | --- |")
    for name, value, target, met in rows:
        print(f"| {name} | {value} | {target} | {met} |")


if __name__ == "__main__":
    main()
