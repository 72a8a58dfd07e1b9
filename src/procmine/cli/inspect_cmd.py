"""``procmine inspect LOG``: what procmine reads from an event log, and what reading it cost."""

from __future__ import annotations

from typing import Any

import click

from procmine.cli.options import format_option, log_options
from procmine.cli.outcome import finish


@click.command()
@click.argument("log", metavar="LOG")
@log_options
@format_option("human", "json")
def inspect(log: str, read: dict[str, Any], fmt: str) -> int:
    """Read LOG (.csv, .csv.gz, .xes, .xes.gz, .parquet) and show cases, events, activities with
    counts, the time range, which columns were used, and every row dropped with its reason."""
    from procmine.pipeline.inspect import run
    from procmine.renderers import render

    outcome = run(log, read)
    click.echo(render(outcome.report, fmt), nl=False)
    return finish(outcome)
