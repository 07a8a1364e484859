"""``neuroloc exam``: the interactive examination, a thin reader around
:class:`neuroloc.session.Session`.

Lines come from standard input. On a terminal they are read with the standard library's
``readline`` (line editing, history and tab completion of finding names, no extra
dependency); from a pipe they are read as they come, so an exam can be scripted and tested.
End of input means done.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import Any

import click

from neuroloc.cli.main import (
    SIDE,
    complete_case,
    finding_option,
    history_option,
    limit_option,
    localizer,
)


def _terminal_lines(prompt: Callable[[], str]) -> Iterator[str]:
    """Lines typed at a terminal, with history and tab completion when readline is there."""
    try:
        import readline

        from neuroloc.session import complete_line

        atlas = localizer().atlas
        matches: list[str] = []

        def complete(text: str, state: int) -> str | None:
            if state == 0:
                before = readline.get_line_buffer()[: readline.get_begidx()]
                matches[:] = complete_line(atlas, before, text)
            return matches[state] if state < len(matches) else None

        readline.set_completer_delims("=@")
        readline.set_completer(complete)
        readline.parse_and_bind("tab: complete")
    except ImportError:  # pragma: no cover - readline is missing only on some platforms
        pass
    while True:
        try:
            yield input(prompt())
        except EOFError:
            click.echo()
            return


def _piped_lines(prompt: Callable[[], str]) -> Iterator[str]:
    """Lines from a pipe; each is echoed after its prompt, so the transcript reads whole."""
    while True:
        question = prompt()
        line = sys.stdin.readline()
        if not line:
            return
        click.echo(f"{question}{line.rstrip()}")
        yield line


@click.command()
@click.argument("case", required=False, shell_complete=complete_case)
@finding_option
@click.option("--side", type=SIDE, default=None, help="Default side for findings that name none.")
@history_option
@click.option(
    "--save",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the case built so far (YAML) to this file at the end.",
)
@limit_option("threshold", "Stop once the best candidate reaches this probability.")
def exam(
    case: str | None,
    findings: tuple[str, ...],
    side: str | None,
    history: tuple[str, ...],
    save: str | None,
    threshold: float,
) -> None:
    """Examine interactively: the answer so far and the best next test, then its result.

    Answer each question with a grade (4, 4-/5, absent, normal, reduced...), skip, done, or
    any -f expression (TA=fibs, AJ=0@R). End of input is done. The exam stops once one
    candidate reaches the threshold probability, or when no test separates the candidates.

    \b
    Example:
      neuroloc exam -f "TA=2" -f "EHL=2" --side left --save foot-drop.yaml
      printf '4\\nnormal\\ndone\\n' | neuroloc exam fibular-head-foot-drop
    """
    from neuroloc.anatomy.errors import NeurolocError
    from neuroloc.examples import case_source
    from neuroloc.session import Session

    if case == "-":
        raise NeurolocError("the exam reads its answers from standard input: give CASE as a file")
    source = case_source(case) if case is not None else None
    session = Session.start(
        localizer(), source, expressions=findings, side=side, history=history, threshold=threshold
    )
    click.echo(session.summary())
    click.echo(f"(the exam ends when one candidate reaches probability >= {threshold:g})")
    reader = _terminal_lines if sys.stdin.isatty() else _piped_lines
    if not session.finished:
        for line in reader(session.prompt):
            before = session.asked
            said = session.answer(line)
            if said:
                click.echo(said)
            elif session.asked != before:  # a finding was added: the new answer
                click.echo(session.summary())
            if session.finished:
                break
    ended = session.why_finished() if session.finished else "end of input (done)"
    click.echo(f"exam ended: {ended}")
    if save:
        session.save(save)
        click.echo(f"case saved to {save} ({len(session.data['findings'])} findings)")


def register(group: Any) -> None:
    group.add_command(exam)
