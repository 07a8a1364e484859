"""The ``neuroloc`` command: a thin click layer over the ``anatomy`` and ``localizer`` libraries.

Each command parses its options, calls one library function and renders the answer. Bad input
(any :class:`anatomy.NeurolocError`) becomes a one-line message on stderr and exit code 2; an
internal fault exits 1 (set NEUROLOC_DEBUG=1 for the traceback). Heavy imports (the localizer,
z3) happen inside the commands that need them, so ``neuroloc anatomy ...`` starts fast.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import traceback
from collections.abc import Callable
from typing import Any


def _exit_quietly(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


# Run as the ``neuroloc`` command, a Ctrl-C while the modules load ends it quietly (exit 130);
# the commands themselves see KeyboardInterrupt again (NeurolocGroup.invoke).
_MAIN = getattr(sys.modules.get("__main__"), "__file__", None) or ""
if (
    os.path.basename(_MAIN) == "neuroloc"
    and signal.getsignal(signal.SIGINT) is signal.default_int_handler
):
    signal.signal(signal.SIGINT, _exit_quietly)

import click  # noqa: E402

from neuroloc.anatomy.errors import NeurolocError  # noqa: E402

FORMATS = ("text", "json", "markdown", "html")


EXIT_BAD_INPUT = 2
EXIT_TIMED_OUT = 3  # the time limit ended the search before any candidate was found


class NeurolocGroup(click.Group):
    """Turns domain errors into exit 2 with one line, and faults into exit 1 without a trace.

    Under ``--format json`` the line is a JSON object ``{"error", "item", "closest"}``.
    """

    def invoke(self, ctx: click.Context) -> Any:
        if signal.getsignal(signal.SIGINT) is _exit_quietly:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            if sys.stdout is None and _subcommand(ctx) != "batch":
                raise NeurolocError("standard output is closed: the answer could not be written")
            answer = super().invoke(ctx)
            _flush_stdout()
            return answer
        except NeurolocError as exc:
            _report(exc, _wants_json(ctx))
            ctx.exit(EXIT_BAD_INPUT)
        except SystemExit:
            _flush_stdout_or_exit(ctx)
            raise
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            _flush_stdout_or_exit(ctx)
            raise
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM/SIGHUP during a batch
            _interrupted(ctx, str(exc))
        except UnicodeEncodeError as exc:  # the terminal's encoding cannot show the answer
            encoding = getattr(sys.stdout, "encoding", None) or "?"
            _report(
                NeurolocError(
                    f"the answer holds {exc.object[exc.start : exc.end]!a}, which standard "
                    f"output ({encoding}) cannot encode; set PYTHONIOENCODING=utf-8"
                ),
                _wants_json(ctx),
            )
            _discard_stdout()
            ctx.exit(EXIT_BAD_INPUT)
        except OSError as exc:  # e.g. a full disk behind standard output
            _report(NeurolocError(f"output cannot be written ({exc.strerror or exc})"), False)
            _discard_stdout()
            ctx.exit(EXIT_BAD_INPUT)
        except (RecursionError, MemoryError) as exc:
            _report(NeurolocError(f"input too large or nested too deeply ({type(exc).__name__})"),
                    _wants_json(ctx))  # fmt: skip
            ctx.exit(EXIT_BAD_INPUT)
        except Exception as exc:  # an internal fault: one line, no traceback unless debugging
            if _is_wrapped_interrupt(exc):
                _interrupted(ctx, "")
            if os.environ.get("NEUROLOC_DEBUG"):
                traceback.print_exc()
            click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
            ctx.exit(1)


def _is_wrapped_interrupt(exc: Exception) -> bool:
    """Ctrl-C that arrived while ctypes converted an argument for Z3's C library: ctypes wraps
    the KeyboardInterrupt in its own ArgumentError."""
    return type(exc).__name__ == "ArgumentError" and "KeyboardInterrupt" in str(exc)


def _interrupted(ctx: click.Context, reason: str) -> None:
    """Say so and end with 128 + the signal (130 for Ctrl-C), claiming no result."""
    number = reason.removeprefix("signal ")
    with contextlib.suppress(Exception):
        click.echo("interrupted", err=True)
    code = 128 + int(number) if number.isdigit() else 130
    if os.path.basename(_MAIN) == "neuroloc":  # the real command, not a test runner: end now,
        with contextlib.suppress(Exception):  # before a half-built Z3 context's finaliser can
            sys.stderr.flush()  # print a traceback at shutdown
        os._exit(code)
    ctx.exit(code)


def _subcommand(ctx: click.Context) -> str | None:
    """The command named on the line, before click resolves it (batch writes to --out)."""
    names = getattr(ctx, "_protected_args", None)  # click >= 8.2; protected_args before
    if names is None:
        names = ctx.protected_args
    return (names or ctx.args or [None])[0]


def _flush_stdout() -> None:
    """Write out what is buffered now, so that a write error (``>/dev/full``) is reported here
    as bad output and not by the interpreter at exit."""
    if sys.stdout is not None:
        sys.stdout.flush()


def _flush_stdout_or_exit(ctx: click.Context) -> None:
    try:
        _flush_stdout()
    except OSError as exc:
        _report(NeurolocError(f"output cannot be written ({exc.strerror or exc})"), False)
        _discard_stdout()
        ctx.exit(EXIT_BAD_INPUT)


def _discard_stdout() -> None:
    """Stop the interpreter from flushing a failing standard output again at exit."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _wants_json(ctx: click.Context) -> bool:
    return ctx.meta.get("neuroloc.format") == "json"


def _remember_format(ctx: click.Context, param: click.Parameter, value: str) -> str:
    ctx.meta["neuroloc.format"] = value  # meta is shared by every context of one invocation
    return value


def _report(exc: NeurolocError, as_json: bool) -> None:
    if not as_json:
        click.echo(f"error: {exc}", err=True)
        return
    item = getattr(exc, "name", None) or getattr(exc, "item", None)
    closest = list(getattr(exc, "suggestions", ()) or getattr(exc, "candidates", ()))
    payload = {"error": str(exc), "item": item, "closest": closest}
    click.echo(json.dumps(payload, ensure_ascii=False), err=True)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))


def format_option(choices: tuple[str, ...] = FORMATS, default: str = "text") -> Callable:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        callback=_remember_format,
        is_eager=True,
        show_default=True,
        help="Output format.",
    )


FINDING_HELP = (
    "Inline finding [KIND:]NAME=GRADE[@SIDE] (or NAME GRADE), repeatable. KIND, needed only "
    "when a name means two things: muscle (m), movement, reflex (r), sensory (s, zone), snap, "
    "cmap, ncs, emg. E.g. -f 'TA=2' -f 'EHL 4-/5' -f 'AJ=0' -f 'upgoing toe' -f 'TA=fibs'."
)


def _complete_finding(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of the name part of -f: every name a finding may use."""
    from click.shell_completion import CompletionItem

    from neuroloc.session import complete_names

    return [CompletionItem(n) for n in complete_names(localizer().atlas, incomplete)]


def complete_case(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of a CASE argument: the worked examples by name, then files."""
    from click.shell_completion import CompletionItem

    from neuroloc.examples import list_examples

    names = [e.name for e in list_examples() if e.name.startswith(incomplete)]
    return [CompletionItem(n) for n in names] + [CompletionItem(incomplete, type="file")]


finding_option = click.option(
    "-f",
    "--finding",
    "findings",
    multiple=True,
    metavar="EXPR",
    help=FINDING_HELP,
    shell_complete=_complete_finding,
)
history_option = click.option(
    "--history",
    multiple=True,
    metavar="TEXT",
    help="Adds TEXT to clinical.history (a red flag such as 'urinary retention'); repeatable.",
)


class SideType(click.ParamType):
    """left, right or both, in the clinic's spellings too (L, R, lt, rt, B/L, bilateral)."""

    name = "side"

    def convert(self, value: Any, param: click.Parameter | None, ctx: Any) -> str:
        from neuroloc.findings import parse_side

        try:
            return parse_side(value, "--side")
        except NeurolocError as exc:
            self.fail(str(exc).removeprefix("--side: "), param, ctx)

    def get_metavar(self, param: click.Parameter, *args: Any, **kwargs: Any) -> str:
        return "[left|right|both|L|R|B/L]"


SIDE = SideType()


class LimitType(click.ParamType):
    """A number within its :data:`neuroloc.options.LIMITS` entry: a bad value is bad input
    with the library's own one-line message (exit 2)."""

    def __init__(self, name: str) -> None:
        from neuroloc.options import LIMITS

        self.limit = LIMITS[name]
        self.name = "integer" if self.limit.whole else "float"

    def convert(self, value: Any, param: click.Parameter | None, ctx: Any) -> Any:
        return self.limit.parse(value)

    def get_metavar(self, param: click.Parameter, *args: Any, **kwargs: Any) -> str:
        low = f">{self.limit.low:g}" if self.limit.above else f"{self.limit.low:g}"
        return f"[{low}..{self.limit.high:g}]"


def limit_option(name: str, help: str, **extra: Any) -> Callable:
    """A click option bounded by ``LIMITS[name]``, with its default (``extra`` overrides)."""
    from neuroloc.options import LIMITS

    limit = LIMITS[name]
    settings: dict[str, Any] = {
        "type": LimitType(name),
        "default": int(limit.default) if limit.whole else limit.default,
        "show_default": True,
        "help": help,
        **extra,
    }
    return click.option(limit.option, **settings)


def localize_options(func: Callable) -> Callable:
    """The options shared by localize, explain, examples run and batch."""
    options = [
        limit_option("top", "Candidates shown."),
        limit_option("max_lesions", "Largest lesion set considered."),
        click.option("--side", type=SIDE, default=None,
                     help="Default side for findings that name none (L, R, B/L understood)."),
        click.option("--solver", type=click.Choice(["z3", "csp"]), default="z3",
                     show_default=True, help="Solver backend."),
        limit_option("timeout", "Bound on solving, in seconds (at most 3600)."),
    ]  # fmt: skip
    for option in reversed(options):
        func = option(func)
    return func


def localizer() -> Any:
    """The default :class:`neuroloc.Localizer` (the shipped atlas): every command asks it."""
    from neuroloc.localizer import default_localizer

    return default_localizer()


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """``neuroloc --version``: neuroloc's version and its knowledge base's (CONTRACT §1)."""
    if not value or ctx.resilient_parsing:
        return
    from neuroloc.versions import hpo_release, knowledge_base_version, neuroloc_version

    click.echo(
        f"neuroloc {neuroloc_version()} (knowledge base {knowledge_base_version()}, "
        f"HPO {hpo_release()})"
    )
    ctx.exit()


@click.group(cls=NeurolocGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the versions of neuroloc, its knowledge base and HPO, and exit.",
)
def main() -> None:
    """neuroloc: where is the lesion? Root, plexus or nerve, from a limb examination.

    A teaching and decision-support aid, not a diagnosis.
    """
    _die_quietly_on_broken_pipe()


def _die_quietly_on_broken_pipe() -> None:
    """``neuroloc anatomy list | head -1`` ends as ``cat`` would: silently, on SIGPIPE."""
    import signal

    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)


def render_localization(
    result: Any, fmt: str, *, teaching: bool = False, verbose: bool = False
) -> str:
    """Format a result: text, JSON, Markdown (the teaching page when ``teaching``), HTML, or
    the case's findings as a GA4GH Phenopacket. Text is coloured on a terminal only."""
    from neuroloc.report import render

    if fmt == "text":  # a terminal: a control sequence in a title must not reach it
        from neuroloc.report.common import terminal_safe
        from neuroloc.report.text import render_text

        color = use_color()
        return terminal_safe(render_text(result, verbose=verbose, color=color), keep_colour=color)
    return render(result, "teaching" if teaching and fmt == "markdown" else fmt)


def use_color(stream: Any = None) -> bool:
    """Colour on a terminal, never when piped or when ``NO_COLOR`` is set (no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    stream = stream if stream is not None else sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def _stdin_if_needed(case: str | None) -> str | None:
    """The case on standard input, read with a bound (never more than the size limit)."""
    if case != "-":
        return None
    from neuroloc.findings import read_bounded

    if sys.stdin is None:
        raise NeurolocError("standard input is closed; nothing to read for '-'")
    return read_bounded(sys.stdin.buffer)


def _finish(result: Any) -> None:
    """Exit 3 when the time limit ended the search before any candidate was found."""
    if result.timed_out and not result.candidates:
        raise SystemExit(EXIT_TIMED_OUT)


@main.command()
@click.argument("case", required=False, shell_complete=complete_case)
@finding_option
@format_option((*FORMATS, "phenopacket", "fhir"))
@click.option(
    "--strict",
    is_flag=True,
    help="Phenopacket input: a feature neuroloc cannot map is bad input, not a warning.",
)
@click.option(
    "--subject",
    default=None,
    metavar="ID",
    help="The person's id in --format phenopacket / fhir output (default: the case's id).",
)
@history_option
@click.option("--verbose", "-v", is_flag=True, help="Text: every finding, link and next test.")
@localize_options
def localize(
    case: str | None,
    findings: tuple[str, ...],
    fmt: str,
    strict: bool,
    subject: str | None,
    verbose: bool,
    **options: Any,
) -> None:
    """Localize the findings of CASE (YAML, JSON or a GA4GH Phenopacket; - reads stdin) and/or
    -f expressions.

    \b
    Example:
      neuroloc localize fibular-head-foot-drop        (a worked example, by name)
      neuroloc localize -f "TA=2" -f "tibialis posterior=5" -f "hip abduction=5" --side left
    """
    if case is None and not findings:
        raise NeurolocError("give a case file, '-' for stdin, or at least one -f finding")
    from neuroloc.examples import case_source

    source = case_source(case) if case is not None else None
    result = localizer().localize(
        source, expressions=findings, stdin_text=_stdin_if_needed(case), strict=strict, **options
    )
    if fmt in ("phenopacket", "fhir"):
        from neuroloc.report import render

        click.echo(render(result, fmt, subject=subject), nl=False)
    else:
        click.echo(render_localization(result, fmt, verbose=verbose), nl=False)
    _finish(result)


@main.command()
@click.argument("case", required=False, shell_complete=complete_case)
@finding_option
@format_option(("text", "markdown", "html", "json"), default="markdown")
@history_option
@localize_options
def explain(case: str | None, findings: tuple[str, ...], fmt: str, **options: Any) -> None:
    """A step-by-step teaching explanation of a localization (Markdown by default; text, HTML
    and JSON carry the same teaching content).

    CASE is a case file, '-' for stdin, or the name of a worked example.

    \b
    Example:
      neuroloc explain l5-radiculopathy
      neuroloc explain -f "TA=2" -f "EHL=2" -f "tibialis posterior=5" --side left
    """
    from neuroloc.examples import case_source

    if case is None and not findings:
        raise NeurolocError("give a case file, an example name, '-' for stdin, or -f findings")
    source = case_source(case) if case is not None else None
    result = localizer().explain(
        source, expressions=findings, stdin_text=_stdin_if_needed(case), **options
    )
    from neuroloc.report.teaching import EXPLAIN_FORMATS

    out = EXPLAIN_FORMATS[fmt](result)
    if fmt == "text":
        from neuroloc.report.common import terminal_safe

        out = terminal_safe(out)
    click.echo(out, nl=False)
    _finish(result)


# ----------------------------------------------------------------------------- anatomy
@main.group()
def anatomy() -> None:
    """Browse the knowledge base: structures, what they supply, what reaches them."""


@anatomy.command("show")
@click.argument("name")
@format_option(("text", "json"))
def anatomy_show(name: str, fmt: str) -> None:
    """One structure: a muscle, root, plexus element, nerve/site, reflex, zone or study.

    \b
    Example:
      neuroloc anatomy show "tibialis anterior" --format json
    """
    from neuroloc.anatomy.describe import describe

    atlas = localizer().atlas
    record = describe(atlas, atlas.resolve(name))
    if fmt == "json":
        emit_json(record)
        return
    from neuroloc.report.anatomy_text import record_text

    click.echo(record_text(record))


@anatomy.command("list")
@click.argument("kind", required=False)
@format_option(("text", "json"))
def anatomy_list(kind: str | None, fmt: str) -> None:
    """Every structure of a KIND: muscles, roots, plexus, nerves, sites, reflexes, zones, studies,
    signs.

    \b
    Example:
      neuroloc anatomy list sites
    """
    from neuroloc.anatomy import LIST_KINDS
    from neuroloc.anatomy.describe import listing

    atlas = localizer().atlas
    kinds = [kind] if kind else list(LIST_KINDS)
    data = {k: listing(atlas, k) for k in kinds}
    if fmt == "json":
        emit_json(data[kind] if kind else data)
        return
    from neuroloc.report.anatomy_text import listing_text

    text = listing_text(data, headed=not kind)
    if text:
        click.echo(text)


@anatomy.command("supplies")
@click.argument("name")
@format_option(("text", "json"))
def anatomy_supplies(name: str, fmt: str) -> None:
    """Everything downstream of a root, plexus element, nerve or site, with strength.

    \b
    Example:
      neuroloc anatomy supplies root:L5
    """
    from neuroloc.anatomy.describe import supplies

    atlas = localizer().atlas
    ident = atlas.resolve(name, ("root", "plexus", "nerve", "site"))
    data = supplies(atlas, ident)
    if fmt == "json":
        emit_json(data)
        return
    from neuroloc.report.anatomy_text import supplies_text

    click.echo(supplies_text(data, atlas.label))


# ----------------------------------------------------------------------------- examples
@main.group(invoke_without_command=True)
@click.pass_context
def examples(ctx: click.Context) -> None:
    """The worked teaching examples shipped in examples/ (list them, or run one)."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(examples_list)


@examples.command("list")
@format_option(("text", "json"))
def examples_list(fmt: str = "text") -> None:
    """List the examples with their teaching points.

    \b
    Example:
      neuroloc examples list
    """
    from neuroloc.examples import list_examples, readme_groups

    order = {name: i for i, name in enumerate(readme_groups())}
    rows = sorted(list_examples(), key=lambda e: (e.name not in order, order.get(e.name, 0)))
    if fmt == "json":
        emit_json(
            [
                {
                    "name": e.name,
                    "title": e.title,
                    "teaching": e.teaching,
                    "group": e.group,
                    "section": e.section,
                }
                for e in rows
            ]
        )
        return
    from neuroloc.report.listings import examples_text

    click.echo(examples_text(rows))


@examples.command("run")
@click.argument("name")
@format_option()
@localize_options
def examples_run(name: str, fmt: str, **options: Any) -> None:
    """Run one example and check it against its expected answer.

    \b
    Example:
      neuroloc examples run fibular-head-foot-drop
    """
    from neuroloc.examples import check, find_example
    from neuroloc.report.listings import verdict_lines

    example = find_example(name)
    result = localizer().localize(example.path, **options)
    verdict = check(example, result)
    click.echo(render_localization(result, fmt), nl=False)
    if fmt == "text":
        click.echo(f"\nteaching point: {example.teaching}")
        lines = verdict_lines("this result ", verdict.passed, verdict.problems,
                              "the example's expected answer")  # fmt: skip
        click.echo("\n".join(lines))
    elif not verdict.passed:  # other formats keep stdout clean; the verdict goes to stderr
        lines = verdict_lines(f"{example.name}: this result ", False, verdict.problems,
                              "the expected answer")  # fmt: skip
        click.echo("\n".join(lines), err=True)
    if not verdict.passed:
        raise SystemExit(1)


@examples.command("show")
@click.argument("name")
@click.option("--answer", is_flag=True, help="Include the expected answer (the expected: block).")
def examples_show(name: str, answer: bool) -> None:
    """Print an example's case file, without its expected answer unless --answer.

    \b
    Example:
      neuroloc examples show fibular-head-foot-drop > my-case.yaml
      neuroloc examples show fibular-head-foot-drop --answer
    """
    from neuroloc.examples import find_example, without_answer

    text = find_example(name).path.read_text(encoding="utf-8")
    click.echo(text if answer else without_answer(text), nl=False)


@examples.command("check")
@click.argument("files", nargs=-1, required=True)
@localize_options
def examples_check(files: tuple[str, ...], **options: Any) -> None:
    """Check a teacher's own case files against their expected: blocks, as the shipped
    examples are checked; exit 1 when any answer differs (the difference is printed).

    \b
    Example:
      neuroloc examples show l5-radiculopathy --answer > my-case.yaml
      neuroloc examples check my-case.yaml
    """
    from neuroloc.examples import check, teacher_example
    from neuroloc.report.listings import verdict_lines

    cases = [teacher_example(path) for path in files]  # every file is read before any runs
    failed = 0
    for path, example in zip(files, cases, strict=True):
        verdict = check(example, localizer().localize(example.path, **options))
        lines = verdict_lines(f"{path}: ", verdict.passed, verdict.problems, "its expected answer")
        click.echo("\n".join(lines))
        failed += not verdict.passed
    if failed:
        click.echo(f"{failed} of {len(cases)} case(s) differ", err=True)
        raise SystemExit(1)


# ----------------------------------------------------------------------------- batch
@main.command()
@click.argument("cases", nargs=-1, required=True)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False),
    required=True,
    help="Where to write one JSON result per line (JSONL); replaced only when the run ends.",
)
@limit_option("jobs", "Worker processes (default and most: the cores available).", default=None,
              show_default=False)  # fmt: skip
@click.option(
    "--resume",
    is_flag=True,
    help="Keep the complete result lines already in --out and run only the other cases.",
)
@localize_options
def batch(
    cases: tuple[str, ...], out_path: str, jobs: int | None, resume: bool, **options: Any
) -> None:
    """Localize many cases: files, globs, directories, or - for JSONL on stdin.

    A progress line is shown on a terminal; the summary (cases, errors, time) is printed on
    stderr when it is a terminal or when a case failed.

    \b
    Example:
      neuroloc examples show s1-radiculopathy > case.yaml
      neuroloc batch case.yaml --out results.jsonl --jobs 2
    """
    from pathlib import Path

    from neuroloc.batch import (
        Output,
        Progress,
        StdoutOutput,
        available_cores,
        case_files,
        run_batch,
    )

    to_stdout = out_path == "-"
    if to_stdout and resume:
        raise NeurolocError("--resume needs an output file, not '-' (standard output)")
    target = Path(out_path)
    groups = case_files(
        cases, exclude=None if to_stdout else target
    )  # bad specs fail before anything is written
    cores = available_cores()
    if jobs is not None and jobs > cores:
        click.echo(f"--jobs {jobs}: {cores} cores available, using {cores} workers", err=True)
        jobs = cores
    total = None if "-" in cases else sum(len(g) for g in groups)

    def items() -> Any:
        from neuroloc.batch import jsonl_items

        for spec, group in zip(cases, groups, strict=True):
            source = jsonl_items(sys.stdin.buffer if sys.stdin else None) if spec == "-" else group
            yield from (item for item in source if item[0] not in out.done)

    out = StdoutOutput(sys.stdout.buffer) if to_stdout else Output(target, resume=resume)
    if total is not None:
        total -= sum(1 for g in groups for label, _ in g if label in out.done)
    terminal = sys.stderr.isatty()
    progress = Progress(sys.stderr, total) if terminal else None

    def write(result: dict[str, Any]) -> None:
        out.write(result)
        if progress is not None:
            progress.step()

    try:
        summary = run_batch(
            items(), jobs=jobs, options=options, on_result=write, total=total, localizer=localizer()
        )
        out.commit()
    except KeyboardInterrupt:
        if progress is not None:
            progress.close()
        if out.interrupted():
            click.echo(f"interrupted: the results so far are in {out_path} (--resume continues)",
                       err=True)  # fmt: skip
        else:
            click.echo(f"interrupted: {out_path} left as it was", err=True)
        raise
    except OSError as exc:
        out.discard()
        raise NeurolocError(f"{out_path}: cannot be written ({exc.strerror or exc})") from None
    except BaseException:
        out.discard()
        raise
    finally:
        if progress is not None:
            progress.close()
    if summary.cases + out.kept == 0:
        raise NeurolocError("no cases given")
    if terminal or summary.errors:
        from dataclasses import replace

        click.echo(replace(summary, skipped=out.kept).line(), err=True)
    if summary.errors:
        raise SystemExit(EXIT_BAD_INPUT)


# ----------------------------------------------------------------------------- simulate
@main.command()
@click.argument("lesions", nargs=-1, required=True, metavar="SITE[@SIDE]...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "case"]),
    default="text",
    show_default=True,
    callback=_remember_format,
    is_eager=True,
    help="text: the predicted exam; json: with strengths; case: a case file (YAML) to localize.",
)
@click.option(
    "--threshold",
    type=click.Choice(["likely", "certain"]),
    default="likely",
    show_default=True,
    help="How strongly a lesion must reach a target to predict it abnormal.",
)
@click.option("--side", type=click.Choice(["left", "right", "both"]), default=None,
              help="Side for sites given without one (default left).")  # fmt: skip
def simulate(lesions: tuple[str, ...], fmt: str, threshold: str, side: str | None) -> None:
    """What would this lesion look like? The examination a set of lesions predicts.

    \b
    Example:
      neuroloc simulate nerve:common-fibular@fibular-head@left
      neuroloc simulate root:L5@right --format case > l5.yaml && neuroloc localize l5.yaml
    """
    from neuroloc.report.listings import simulation_case, simulation_json, simulation_text

    simulation = localizer().simulate(lesions, side=side, threshold=threshold)
    if fmt == "case":
        click.echo(simulation_case(simulation), nl=False)
    elif fmt == "json":
        emit_json(simulation_json(simulation))
    else:
        click.echo(simulation_text(simulation))


# ----------------------------------------------------------------------------- schema
@main.command()
def schema() -> None:
    """Print the JSON Schema of the result (neuroloc.localization/1).

    \b
    Example:
      neuroloc schema > localization.schema.json
    """
    import importlib.resources

    text = (importlib.resources.files("neuroloc") / "data" / "result.schema.json").read_text(
        encoding="utf-8"
    )
    click.echo(text, nl=not text.endswith("\n"))


# ----------------------------------------------------------------------------- vocabulary
@main.command()
@click.argument("kind", required=False)
@format_option(("text", "json"))
def vocabulary(kind: str | None, fmt: str) -> None:
    """Every name a case may use, with synonyms: muscles, movements, reflexes, zones, studies,
    signs, red-flags, features, causes, grades, kinds (the finding kinds and their grades).

    \b
    Example:
      neuroloc vocabulary movements
    """
    from neuroloc.vocabulary import vocabulary as build

    data = build(localizer().atlas, kind)
    if fmt == "json":
        emit_json(data)
        return
    from neuroloc.report.listings import vocabulary_text

    click.echo(vocabulary_text(data))


@main.command()
@click.option(
    "--data-dir",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="Check a copy of anatomy/data (e.g. while editing) instead of the shipped one.",
)
def validate(data_dir: str | None) -> None:
    """Check the knowledge base (references, coverage, cycles, citations); exit 1 on a fault.

    \b
    Example:
      neuroloc validate
    """
    from pathlib import Path

    from neuroloc.anatomy import validate as check_anatomy
    from neuroloc.vocabulary import validate_localizer_data

    faults = check_anatomy(Path(data_dir) if data_dir else None)
    if data_dir is None and not faults:
        faults += validate_localizer_data(localizer().atlas)
    if faults:
        for fault in faults:
            click.echo(f"fault: {fault}", err=True)
        click.echo(f"{len(faults)} fault(s) in the knowledge base", err=True)
        raise SystemExit(1)
    from neuroloc.report.listings import atlas_summary

    click.echo(atlas_summary(localizer().atlas))


from neuroloc.cli.exam import register as _register_exam  # noqa: E402 - needs main's options

_register_exam(main)

if __name__ == "__main__":  # pragma: no cover
    main()
