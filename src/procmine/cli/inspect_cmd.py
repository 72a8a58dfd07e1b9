"""``procmine inspect LOG``: what procmine reads from an event log, and what reading it cost."""

from __future__ import annotations

import click

from procmine.cli.options import format_option, log_options, pop_log_options
from procmine.errors import ExitCode


@click.command()
@click.argument("log", metavar="LOG")
@log_options
@format_option("human", "json")
def inspect(log: str, fmt: str, **kwargs: object) -> int:
    """Read LOG (.csv, .csv.gz, .xes, .xes.gz, .parquet) and show cases, events, activities with
    counts, the time range, which columns were used, and every row dropped with its reason."""
    from procmine.pipeline.inspect import run
    from procmine.renderers import render

    report = run(log, **pop_log_options(kwargs))
    click.echo(render(report, fmt), nl=False)
    return ExitCode.OK
