"""Per-query latency of ``localize`` on the shipped examples, and CLI cold starts.

Run ``python benchmarks/latency.py`` from the repository root (``--repeat N`` for more runs).
Prints p50/p90 per query on the library path (atlas already loaded, as in a long-lived caller
or a batch worker) and the median wall time of fresh ``neuroloc`` processes.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from localizer import localize  # noqa: E402
from localizer.examples import list_examples  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def library_latency(repeat: int) -> list[float]:
    examples = list_examples()
    localize(examples[0].path)  # load and compile the atlas once, as a real caller would
    per_case = []
    for example in examples:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            localize(example.path, top=10, max_lesions=3)
            times.append((time.perf_counter() - start) * 1000)
        per_case.append(statistics.median(times))
    return per_case


def cold_start(args: list[str], repeat: int) -> float:
    exe = shutil.which("neuroloc")
    command = [exe, *args] if exe else [sys.executable, "-m", "cli.main", *args]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    per_case = library_latency(options.repeat)
    example = str(ROOT / "examples" / "l5-radiculopathy.yaml")
    rows = [
        ("localize p50 (library, examples)", statistics.median(per_case), 10),
        ("localize p90 (library, examples)", percentile(per_case, 0.9), 30),
        ("neuroloc localize, cold", cold_start(["localize", example], options.repeat), 250),
        ("neuroloc anatomy show, cold", cold_start(["anatomy", "show", "TA"], options.repeat), 120),
    ]
    print(f"{len(per_case)} examples, median of {options.repeat} runs each\n")
    print("| measure | ms | target ms | met |")
    print("| --- | --- | --- | --- |")
    for name, value, target in rows:
        print(f"| {name} | {value:.1f} | {target} | {'yes' if value <= target else 'no'} |")


if __name__ == "__main__":
    main()
