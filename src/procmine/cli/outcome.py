"""The end of every command: say on stderr why a run fails, and exit with the one ExitCode decision."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from procmine import progress

if TYPE_CHECKING:
    from procmine.pipeline.outcome import Outcome


def finish(outcome: Outcome) -> int:
    """Unreadable inputs as one error line each, the findings over a threshold as one note; the exit
    code from ``pipeline.outcome.exit_code``."""
    from procmine.pipeline.outcome import exit_code

    for line in outcome.unreadable:
        click.echo(f"procmine: error: {line}", err=True)
    if outcome.failing:
        kinds = ", ".join(outcome.failing_kinds())
        progress.note(f"{len(outcome.failing)} finding(s) over threshold ({kinds}): exit code 1")
    return exit_code(outcome)
