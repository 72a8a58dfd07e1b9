"""``procmine check MODEL LOG``: does reality follow the documented process? Exit 1 over a threshold."""

from __future__ import annotations

from typing import Any

import click

from procmine import progress
from procmine.cli.options import (
    ConformanceArgs,
    conformance_options,
    format_option,
    log_options,
    output_option,
)
from procmine.cli.outcome import finish

FORMATS = ("human", "json", "junit", "sarif", "github", "markdown")


@click.command()
@click.argument("model", metavar="MODEL.bpmn")
@click.argument("log", metavar="LOG")
@log_options
@conformance_options
@click.option(
    "--max-skip-share",
    type=click.FloatRange(0, 1),
    metavar="SHARE",
    help="Report a mandatory step skipped in more than this share of cases (default: 0.05).",
)
@click.option(
    "--max-order-share",
    type=click.FloatRange(0, 1),
    metavar="SHARE",
    help="Report a documented order reversed in more than this share of cases (default: 0.05).",
)
@format_option(*FORMATS)
@output_option
def check(
    model: str,
    log: str,
    read: dict[str, Any],
    conformance: ConformanceArgs,
    max_skip_share: float | None,
    max_order_share: float | None,
    fmt: str,
    output: str | None,
) -> int:
    """Check LOG against the documented MODEL.bpmn: fitness, precision, outdated, undocumented and skipped
    steps, order violations. With -o, writes report.json, case_fitness.csv and summary.md there."""
    from procmine.pipeline.check import build_options, run
    from procmine.renderers import render_published

    options = build_options(
        process=conformance.process,
        mapping=conformance.mapping,
        min_fitness=conformance.min_fitness,
        recent_period=conformance.recent_period,
        fail_on=conformance.fail_on,
        max_skip_share=max_skip_share,
        max_order_share=max_order_share,
        time_cap=conformance.time_cap,
        time_budget=conformance.time_budget,
        processes=conformance.processes,
        precision=conformance.precision,
    )
    outcome = run(model, log, read, options, output=output)
    published = outcome.report.published()
    if outcome.files:
        folder = outcome.files["report.json"].parent
        progress.note(f"wrote {', '.join(outcome.files)} to {folder}")
        if fmt != "human":
            progress.note("summary:")
            progress.text(render_published(published, "human").rstrip())
    click.echo(render_published(published, fmt), nl=False)
    return finish(outcome)
