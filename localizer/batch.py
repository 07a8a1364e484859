"""Many cases at once: one JSON result per line, in input order, errors in place.

Inputs are case files, globs, directories (their ``*.yaml``, ``*.yml`` and ``*.json``, sorted)
or JSONL text (one case mapping per line, e.g. from stdin). Work is spread over ``jobs`` worker
processes; each loads the atlas once, and ``Executor.map`` keeps the input order. A bad case
yields ``{"case": ..., "error": "..."}`` in its place instead of stopping the run.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neuroloc.anatomy import NeurolocError

CASE_SUFFIXES = (".yaml", ".yml", ".json")
Item = tuple[str, Any]  # (label, path string or case mapping)


@dataclass(frozen=True)
class Summary:
    cases: int
    errors: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.cases / self.seconds if self.seconds > 0 else float("inf")

    def line(self) -> str:
        return (
            f"{self.cases} cases, {self.errors} errors, {self.seconds:.2f} s, "
            f"{self.per_second:.0f} cases/s"
        )


def expand_inputs(specs: Sequence[str], stdin_text: str | None = None) -> list[Item]:
    """Files, globs and directories -> sorted case files; ``-`` -> the JSONL lines of stdin."""
    items: list[Item] = []
    for spec in specs:
        if spec == "-":
            for number, line in enumerate((stdin_text or "").splitlines(), start=1):
                if line.strip():
                    items.append((f"stdin:{number}", line))
            continue
        path = Path(spec)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in CASE_SUFFIXES)
        elif path.exists():
            found = [path]
        else:
            found = sorted(Path(p) for p in glob.glob(spec) if Path(p).suffix in CASE_SUFFIXES)
        if not found:
            raise NeurolocError(f"{spec}: no case files found")
        items.extend((str(p), str(p)) for p in found)
    if not items:
        raise NeurolocError("no cases given")
    return items


def _one(job: tuple[Item, dict[str, Any]]) -> dict[str, Any]:
    (label, payload), options = job
    from neuroloc import localize, to_json

    try:
        case = payload
        if label.startswith("stdin:"):
            from neuroloc.anatomy.yamlsafe import DuplicateKey, load_json

            try:
                case = load_json(payload)
            except json.JSONDecodeError as exc:
                raise NeurolocError(f"not valid JSON ({exc.msg})") from None
            except DuplicateKey as exc:  # the second value would silently replace the first
                raise NeurolocError(f"{exc}; each key may appear once") from None
        return {"case": label, **to_json(localize(case, **options))}
    except NeurolocError as exc:
        return {"case": label, "error": str(exc)}
    except Exception as exc:  # one broken case must not stop the run
        return {"case": label, "error": f"internal error: {type(exc).__name__}: {exc}"}


@contextlib.contextmanager
def _ending_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP end the run like Ctrl-C does, so the workers are stopped too."""

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    wanted = [s for s in ("SIGTERM", "SIGHUP") if hasattr(signal, s)]
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {name: signal.signal(getattr(signal, name), interrupt) for name in wanted}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Shut the pool down without waiting for queued work, and end any worker still running."""
    workers = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        if worker.is_alive():
            worker.terminate()
    for worker in workers:
        worker.join(timeout=5)


def run_batch(
    items: Sequence[Item],
    *,
    jobs: int | None = None,
    options: dict[str, Any] | None = None,
    on_result: Callable[[dict[str, Any]], None] | None = None,
) -> tuple[list[dict[str, Any]], Summary]:
    """Localize every item; results in input order, with a summary."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    work = [(item, dict(options or {})) for item in items]
    start = time.perf_counter()
    results: list[dict[str, Any]] = []
    if jobs == 1 or len(work) < 2:
        stream: Iterator[dict[str, Any]] = map(_one, work)
        for result in stream:
            results.append(result)
            if on_result:
                on_result(result)
    else:
        chunk = max(1, min(32, len(work) // (jobs * 4) or 1))
        pool = ProcessPoolExecutor(max_workers=jobs)
        try:
            with _ending_on_signals():
                for result in pool.map(_one, work, chunksize=chunk):
                    results.append(result)
                    if on_result:
                        on_result(result)
        finally:
            _stop(pool)
    seconds = time.perf_counter() - start
    errors = sum(1 for r in results if "error" in r)
    return results, Summary(len(results), errors, seconds)
