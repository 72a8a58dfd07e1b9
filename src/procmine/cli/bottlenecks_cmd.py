"""``procmine bottlenecks LOG``: where cases wait, rework, SLA breaches, and the customer lens.

Exit code 1 when a breach rate is above ``--max-sla-breach``."""

from __future__ import annotations

from typing import Any

import click

from procmine import progress
from procmine.cli.options import (
    PerformanceArgs,
    format_option,
    log_options,
    output_option,
    performance_options,
)
from procmine.cli.outcome import finish


@click.command()
@click.argument("log", metavar="LOG")
@log_options
@performance_options
@click.option(
    "--model", type=click.Path(dir_okay=False), metavar="BPMN", help="Documented model: workload per lane."
)
@format_option("human", "json")
@output_option
def bottlenecks(
    log: str,
    read: dict[str, Any],
    performance: PerformanceArgs,
    model: str | None,
    fmt: str,
    output: str | None,
) -> int:
    """Find where cases wait (ranked by total delay), rework, SLA breaches, and customer KPIs in LOG.
    With -o, writes bottlenecks.json and bottlenecks.txt there. Exit 1 when an SLA breach rate is above
    --max-sla-breach."""
    from procmine.pipeline.bottlenecks import run
    from procmine.renderers import render

    outcome = run(log, read, performance.options(), model_path=model, output=output)
    if outcome.files:
        progress.note(f"wrote {' and '.join(str(p) for p in outcome.files.values())}")
    click.echo(render(outcome.report, fmt), nl=False)
    return finish(outcome)
