"""``procmine bottlenecks LOG``: where cases wait, rework, SLA breaches, and the customer lens.

Exit code 1 when a breach rate is above ``--max-sla-breach``."""

from __future__ import annotations

from pathlib import Path

import click

from procmine import progress
from procmine.cli.options import (
    format_option,
    log_options,
    output_option,
    performance_options,
    pop_log_options,
    pop_performance_options,
)
from procmine.errors import ExitCode


@click.command()
@click.argument("log", metavar="LOG")
@log_options
@performance_options
@click.option(
    "--model", type=click.Path(dir_okay=False), metavar="BPMN", help="Documented model: workload per lane."
)
@format_option("human", "json")
@output_option
def bottlenecks(log: str, **kwargs: object) -> int:
    """Find where cases wait (ranked by total delay), rework, SLA breaches, and customer KPIs in LOG.
    With -o, writes bottlenecks.json and bottlenecks.txt there. Exit 1 when an SLA breach rate is above
    --max-sla-breach."""
    from procmine.io.output import write_text_atomic
    from procmine.pipeline.bottlenecks import build_options, run
    from procmine.renderers import render

    read = pop_log_options(kwargs)
    options = build_options(**pop_performance_options(kwargs))
    report, result = run(log, read, options, model_path=kwargs["model"])
    fmt = str(kwargs["fmt"])
    text = render(report, fmt)
    if kwargs["output"]:
        folder = Path(str(kwargs["output"]))
        write_text_atomic(folder / "bottlenecks.json", render(report, "json"))
        write_text_atomic(folder / "bottlenecks.txt", render(report, "human"))
        progress.note(f"wrote {folder / 'bottlenecks.json'} and {folder / 'bottlenecks.txt'}")
    click.echo(text, nl=False)
    return ExitCode.FINDINGS if result.sla_breached else ExitCode.OK
