"""Many cases at once: one JSON result per line, in input order, errors in place.

Inputs are case files, globs, directories (their regular ``*.yaml``, ``*.yml`` and ``*.json``
files, sorted) or JSONL text (one case mapping per line, read from a stream as it comes). Work is
spread over ``jobs`` worker processes in chunks, a bounded number in flight, so neither the
input nor the results are ever all held in memory; each worker loads the atlas once, keeps no
SIGINT of its own (the parent decides) and ends with its parent, even when the parent is killed.
A bad case yields ``{"case": ..., "error": "..."}`` in its place instead of stopping the run.
"""

from __future__ import annotations

import collections
import contextlib
import glob
import json
import os
import signal
import stat
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from neuroloc.anatomy import NeurolocError

if TYPE_CHECKING:
    from neuroloc.localizer import Localizer

CASE_SUFFIXES = (".yaml", ".yml", ".json")
Item = tuple[str, Any]  # (label, path string or JSONL line)
MAX_LINE_BYTES = 1_000_000  # one JSONL case line; the stream itself has no total bound


@dataclass(frozen=True)
class Summary:
    cases: int
    errors: int
    seconds: float
    skipped: int = 0  # already complete in the output (``--resume``)

    @property
    def per_second(self) -> float:
        return self.cases / self.seconds if self.seconds > 0 else float("inf")

    def line(self) -> str:
        kept = f", {self.skipped} already done" if self.skipped else ""
        return (
            f"{self.cases} cases, {self.errors} errors{kept}, {self.seconds:.2f} s, "
            f"{self.per_second:.0f} cases/s"
        )


def available_cores() -> int:
    """The cores this process may run on (its affinity mask where the platform has one)."""
    with contextlib.suppress(AttributeError, OSError):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _is_regular(path: Path) -> bool:
    with contextlib.suppress(OSError):
        return stat.S_ISREG(path.stat().st_mode)
    return False


def _same_file(a: Path, b: Path | None) -> bool:
    if b is None:
        return False
    with contextlib.suppress(OSError):
        return a.samefile(b)
    return os.path.abspath(a) == os.path.abspath(b)


def case_files(specs: Sequence[str], exclude: Path | None = None) -> list[list[Item]]:
    """Per spec, its case files (``-`` gives an empty placeholder, filled from the stream).

    Only regular files are taken from a directory or a glob (a FIFO there would block), the
    file ``exclude`` (the batch's own output) never is, and an ``exclude`` named outright as an
    input is refused: writing the results would destroy it.
    """
    groups: list[list[Item]] = []
    for spec in specs:
        if spec == "-":
            groups.append([])
            continue
        path = Path(spec)
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir() if p.suffix in CASE_SUFFIXES and _is_regular(p)
            )
            found = [p for p in found if not _same_file(p, exclude)]
        elif path.exists() or path.is_symlink():
            if _same_file(path, exclude):
                raise NeurolocError(f"{spec}: is also the --out file; the results would replace it")
            found = [path]  # a special file here is refused, as a case, when it is read
        else:
            found = sorted(
                p
                for p in map(Path, glob.glob(spec))
                if p.suffix in CASE_SUFFIXES and _is_regular(p) and not _same_file(p, exclude)
            )
        if not found:
            raise NeurolocError(f"{spec}: no case files found")
        groups.append([(str(p), str(p)) for p in found])
    return groups


def jsonl_items(stream: IO[bytes] | None, start: int = 1) -> Iterator[Item]:
    """The non-blank lines of a JSONL byte stream, read one at a time; a line over
    :data:`MAX_LINE_BYTES` or not UTF-8 becomes an item that fails with that reason."""
    if stream is None:
        raise NeurolocError("standard input is closed; nothing to read for '-'")
    number = start - 1
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        label = f"stdin:{number}"
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the overlong line
                line = stream.readline(MAX_LINE_BYTES + 1)
            yield label, _Refused(f"line longer than {MAX_LINE_BYTES} bytes")
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield label, _Refused(f"not UTF-8 text (byte {exc.start})")
            continue
        if text.strip():
            yield label, text


@dataclass(frozen=True)
class _Refused:
    """An input line that cannot be a case; its reason becomes the error line."""

    reason: str


def expand_inputs(
    specs: Sequence[str], stdin: IO[bytes] | None = None, exclude: Path | None = None
) -> Iterator[Item]:
    """Files, globs and directories -> their case files; ``-`` -> the JSONL lines of ``stdin``,
    streamed. File specs are checked before anything runs (a missing one is bad input)."""
    groups = case_files(specs, exclude)
    for spec, group in zip(specs, groups, strict=True):
        if spec == "-":
            yield from jsonl_items(stdin)
        else:
            yield from group


def _one(item: Item, options: dict[str, Any], localizer: Localizer) -> dict[str, Any]:
    label, payload = item
    from neuroloc.result import to_json

    try:
        if isinstance(payload, _Refused):
            raise NeurolocError(payload.reason)
        case = payload
        if label.startswith("stdin:"):
            from neuroloc.anatomy.yamlsafe import DuplicateKey, load_json

            try:
                case = load_json(payload)
            except DuplicateKey as exc:
                raise NeurolocError(f"{exc}; each key may appear once") from None
            except ValueError as exc:
                reason = getattr(exc, "msg", None) or str(exc)[:200]
                raise NeurolocError(f"not valid JSON ({reason})") from None
            except RecursionError:
                raise NeurolocError("nested too deeply") from None
        result = {"case": label, **to_json(localizer.localize(case, **options))}
        encoded_line(result)  # a result that cannot be written is this case's error, here
        return result
    except NeurolocError as exc:
        return {"case": label, "error": str(exc)}
    except Exception as exc:  # one broken case must not stop the run
        return {"case": label, "error": f"internal error: {type(exc).__name__}: {exc}"}


def encoded_line(result: dict[str, Any]) -> bytes:
    """One result as a whole UTF-8 JSON line; text that cannot be encoded (a lone surrogate)
    is bad input, named."""
    text = json.dumps(result, ensure_ascii=False)
    try:
        return (text + "\n").encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start : exc.end]
        raise NeurolocError(
            f"text that cannot be written as UTF-8 ({bad.encode('unicode_escape').decode()}, "
            "an unpaired surrogate)"
        ) from None


def result_line(result: dict[str, Any]) -> bytes:
    """The line written for a result, whatever it holds: a result whose text cannot be encoded
    becomes its case's error line, and an error line (or a label, a file name with undecodable
    bytes) that still cannot be is written with ASCII escapes."""
    try:
        return encoded_line(result)
    except NeurolocError as exc:
        if "error" not in result:
            result = {"case": result.get("case"), "error": str(exc)}
        return (json.dumps(result, ensure_ascii=True) + "\n").encode("ascii")


def _many(chunk: list[Item], options: dict[str, Any]) -> list[dict[str, Any]]:
    """In a worker: a chunk of cases, asked of the worker's localizer."""
    return [_one(item, options, _worker_localizer()) for item in chunk]


# The localizer of this worker process, set when it starts (the parent's, inherited by fork, or
# the default one); the parent never reads it.
_WORKER: dict[str, Localizer] = {}


def _worker_localizer() -> Localizer:
    from neuroloc.localizer import default_localizer

    return _WORKER.get("localizer") or default_localizer()


# ------------------------------------------------------------------------ worker processes
def _worker_start(parent: int, localizer: Localizer | None) -> None:
    """In each worker: die with the parent, leave SIGINT to the parent, end quietly on SIGTERM.

    Linux delivers SIGKILL to the worker when its parent dies (``PR_SET_PDEATHSIG``); a thread
    that polls the parent's pid covers other systems and the race before the call took effect.
    Z3's own SIGINT handler is switched off: a Ctrl-C on the terminal reaches the whole process
    group, and the parent, not each worker, decides what it means.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="neuroloc-parent-watch", daemon=True).start()
    with contextlib.suppress(ImportError):
        import z3

        z3.set_param("ctrl_c", False)
    if localizer is not None:
        _WORKER["localizer"] = localizer
    with contextlib.suppress(Exception):  # a broken atlas is then each case's error line
        _worker_localizer()  # warm once per worker, before the first chunk


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
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        if worker.is_alive():
            worker.terminate()
    for worker in workers:
        worker.join(timeout=5)


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _parallel(
    items: Iterable[Item],
    jobs: int,
    options: dict[str, Any],
    chunk: int,
    localizer: Localizer | None,
) -> Generator[dict[str, Any], None, None]:
    """Results in input order from ``jobs`` workers, at most ``3 * jobs`` chunks in flight;
    ``localizer`` (None: the default one) is handed to each worker once, as it starts."""
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(method),
        initializer=_worker_start,
        initargs=(os.getpid(), localizer),
    )
    pending: collections.deque[Future[list[dict[str, Any]]]] = collections.deque()
    finished = False
    try:
        source = _chunks(items, chunk)
        for part in source:
            pending.append(pool.submit(_many, part, options))
            while len(pending) >= 3 * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            _stop(pool)


def run_batch(
    items: Iterable[Item],
    *,
    jobs: int | None = None,
    options: dict[str, Any] | None = None,
    on_result: Callable[[dict[str, Any]], None] | None = None,
    total: int | None = None,
    localizer: Localizer | None = None,
) -> Summary:
    """Localize every item with ``localizer`` (by default the one on the shipped atlas),
    handing each result to ``on_result`` in input order as it comes.

    ``jobs`` above the cores available is lowered to them (the caller says so); ``total``,
    when known, only sizes the chunks."""
    from neuroloc.localizer import default_localizer
    from neuroloc.options import LIMITS

    if jobs is not None:
        LIMITS["jobs"].check(jobs)
    jobs = max(1, min(jobs or available_cores(), available_cores()))
    options = dict(options or {})
    asked = default_localizer() if localizer is None else localizer
    start = time.perf_counter()
    cases = errors = 0
    if jobs == 1 or (total is not None and total < 2):
        stream: Generator[dict[str, Any], None, None] = (
            _one(item, options, asked) for item in items
        )
    else:
        per = total // (jobs * 4) if total else 8
        stream = _parallel(items, jobs, options, max(1, min(16, per)), localizer)
    with _ending_on_signals():
        try:
            for result in stream:
                cases += 1
                errors += "error" in result
                if on_result:
                    on_result(result)
        finally:
            stream.close()  # on an interruption: the workers are stopped and reaped now
    return Summary(cases, errors, time.perf_counter() - start)


# ------------------------------------------------------------------------ the output file
class Output:
    """The ``--out`` file, written atomically: lines go to a new file beside the target
    (created exclusively, never through a symlink) which replaces the target only at the end.

    With ``resume``, the complete result lines of an existing target are copied first and
    their cases listed in :attr:`done` (a line counts when it ends with a newline and is a JSON
    object naming its case); a torn last line is dropped and its case run again.
    """

    def __init__(self, target: str | os.PathLike[str], *, resume: bool = False):
        self.target = Path(os.path.realpath(target))  # a symlink: replace the file it names
        self.resume = resume
        self.done: set[str] = set()
        self.kept = 0
        self.direct = False
        try:
            mode = self.target.stat().st_mode
            self.existed = True
        except FileNotFoundError:
            mode, self.existed = 0, False
        except OSError as exc:
            raise NeurolocError(f"{target}: cannot be written ({exc.strerror})") from None
        if stat.S_ISDIR(mode):
            raise NeurolocError(f"{target}: is a directory; --out names a file")
        if self.existed and not stat.S_ISREG(mode):
            # A device or a pipe (/dev/stdout, /dev/full): written in place, line by line; it
            # can be neither renamed over nor resumed.
            if resume or not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
                raise NeurolocError(f"{target}: not a regular file; --out names a file")
            try:
                self.handle = open(self.target, "wb")  # noqa: SIM115 - closed by commit/discard
            except OSError as exc:
                raise NeurolocError(f"{target}: cannot be written ({exc.strerror})") from None
            self.direct = True
            return
        folder = self.target.parent
        self.tmp = folder / f".{self.target.name}.{os.getpid()}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        try:
            with contextlib.suppress(FileNotFoundError):
                if not stat.S_ISREG(self.tmp.lstat().st_mode):
                    raise NeurolocError(f"{self.tmp}: exists and is not a file; remove it")
                self.tmp.unlink()  # left by an earlier run of this same pid
            fd = os.open(self.tmp, flags, 0o666)
        except OSError as exc:
            raise NeurolocError(f"{target}: cannot be written ({exc.strerror})") from None
        self.handle = os.fdopen(fd, "wb")
        try:
            if resume and self.existed:
                self._keep_complete_lines()
        except BaseException:
            self.discard()
            raise

    def _keep_complete_lines(self) -> None:
        try:
            fd = os.open(self.target, os.O_RDONLY | os.O_NONBLOCK)
        except OSError as exc:
            raise NeurolocError(f"{self.target}: cannot be read ({exc.strerror})") from None
        with os.fdopen(fd, "rb") as old:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise NeurolocError(f"{self.target}: is not a regular file; cannot resume it")
            for line in old:
                if not line.endswith(b"\n"):
                    break  # torn by an interruption
                try:
                    row = json.loads(line)
                except ValueError:
                    continue
                label = row.get("case") if isinstance(row, dict) else None
                if isinstance(label, str) and label not in self.done:
                    self.done.add(label)
                    self.handle.write(line)
                    self.kept += 1
        self.handle.flush()

    def write(self, result: dict[str, Any]) -> None:
        """One whole line, flushed; a failed write (a full disk) raises :class:`OSError`."""
        self.handle.write(result_line(result))
        self.handle.flush()

    def commit(self) -> None:
        """Every line is written: the new file replaces the target."""
        self.handle.flush()
        if self.direct:
            self.handle.close()
            return
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self.tmp, self.target)

    def interrupted(self) -> bool:
        """The run was stopped: keep what is done when that loses nothing (no earlier file, or
        the earlier lines were copied by ``resume``), otherwise leave the target as it was.
        True when the partial results were kept."""
        keep = self.resume or not self.existed or self.direct
        if keep:
            try:
                self.commit()
                return True
            except OSError:
                pass
        self.discard()
        return False

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.handle.close()
        if not self.direct:
            with contextlib.suppress(OSError):
                self.tmp.unlink()


class StdoutOutput(Output):
    """``--out -``: whole lines to standard output as they come (nothing to rename or resume)."""

    def __init__(self, stream: Any) -> None:
        self.handle = stream
        self.direct = True
        self.resume = False
        self.existed = False
        self.done = set()
        self.kept = 0

    def commit(self) -> None:
        self.handle.flush()

    def discard(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.handle.flush()


class Progress:
    """A one-line progress display on a terminal: count (of the total when known), rate and
    time left; redrawn at most five times a second and erased at the end."""

    def __init__(self, stream: IO[str], total: int | None):
        self.stream, self.total = stream, total
        self.count = 0
        self.start = time.perf_counter()
        self.shown = 0.0

    def step(self) -> None:
        self.count += 1
        now = time.perf_counter()
        if now - self.shown < 0.2 and self.count != self.total:
            return
        self.shown = now
        elapsed = max(now - self.start, 1e-9)
        rate = self.count / elapsed
        text = f"{self.count}" + (f"/{self.total}" if self.total else "") + " cases"
        text += f"  {rate:.1f}/s"
        if self.total and rate > 0:
            text += f"  {max(0.0, (self.total - self.count) / rate):.0f} s left"
        self.stream.write("\r\x1b[K" + text)
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
