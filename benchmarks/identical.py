"""Same answers before and after a speed-up: ``python benchmarks/identical.py --write FILE`` on
the old code, then ``--compare FILE`` on the new code.

The snapshot holds the full JSON result (``neuroloc.result.to_json``: candidates, scores, next
tests, warnings, everything a user sees) of every shipped example and of the generated cases of
the benchmark (every limb class, 5 to 100 findings; ``--per-size`` of each), at the benchmark's
``top`` and lesion limit and at the command line's defaults. ``--compare`` prints the first
differing case and exits 1 on any difference, so a faster engine that answers differently is
caught.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from cases import available_limbs, generated_cases  # noqa: E402

from neuroloc import localize  # noqa: E402
from neuroloc.anatomy import load_atlas  # noqa: E402
from neuroloc.examples import list_examples  # noqa: E402
from neuroloc.result import to_json  # noqa: E402

SETTINGS = ({"top": 10, "max_lesions": 3}, {})  # the benchmark's, then the defaults


def snapshot(per_size: int) -> dict[str, object]:
    atlas = load_atlas()
    cases: list[tuple[str, object]] = [(e.path.stem, e.path) for e in list_examples()]
    for limb in available_limbs(atlas):
        for size in (5, 20, 40, 100):
            for i, case in enumerate(generated_cases(atlas, size, per_size, limb=limb)):
                cases.append((f"generated-{limb}-{size}-{i}", case))
    out: dict[str, object] = {}
    for name, case in cases:
        for settings in SETTINGS:
            key = f"{name} {json.dumps(settings, sort_keys=True)}"
            out[key] = to_json(localize(case, timeout=600, **settings))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", type=Path, help="save the snapshot of this code's answers")
    mode.add_argument("--compare", type=Path, help="compare this code's answers to a snapshot")
    parser.add_argument(
        "--per-size",
        type=int,
        default=40,
        help="generated cases per size and limb class (834 gives 10,008 generated cases)",
    )
    parser.add_argument(
        "--subset",
        action="store_true",
        help="with --compare: a snapshot written with a larger --per-size is compared on the "
        "cases this run generates (the first ones of each size: the generator is seeded)",
    )
    parser.add_argument(
        "--against",
        type=Path,
        help="with --compare: a snapshot the new code wrote with --write (two runs can then go "
        "side by side, one per code version) instead of computing the answers here",
    )
    options = parser.parse_args()
    if options.against and not options.compare:
        parser.error("--against goes with --compare")
    if options.against:
        current = json.loads(options.against.read_text())
    else:
        current = snapshot(options.per_size)
    if options.write:
        options.write.write_text(json.dumps(current, sort_keys=True, indent=0))
        print(f"{len(current)} results written to {options.write}")
        return 0
    saved = json.loads(options.compare.read_text())
    if options.subset and current.keys() <= saved.keys():
        print(f"comparing {len(current)} of the snapshot's {len(saved)} results (--subset)")
        saved = {k: saved[k] for k in current}
    if saved.keys() != current.keys():
        print(f"different cases: {sorted(saved.keys() ^ current.keys())[:5]}")
        return 1
    differ = [k for k in saved if saved[k] != json.loads(json.dumps(current[k]))]
    for key in differ[:3]:
        print(f"differs: {key}")
        old, new = saved[key], json.loads(json.dumps(current[key]))
        for field in old:
            if old[field] != new.get(field):
                print(f"  {field}: {json.dumps(old[field])[:300]}")
                print(f"  -> {json.dumps(new.get(field))[:300]}")
    print(f"{len(current) - len(differ)} of {len(current)} results identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
