"""``procmine check MODEL LOG``: does reality follow the documented process? Exit 1 over a threshold."""

from __future__ import annotations

import click

from procmine import progress
from procmine.cli.options import (
    conformance_options,
    format_option,
    log_options,
    output_option,
    pop_log_options,
    precision_option,
)
from procmine.errors import ExitCode

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
@click.option(
    "--time-cap",
    type=click.FloatRange(0, min_open=True),
    metavar="SECONDS",
    help="Give up aligning one variant after this long and use token replay for it (default: 10).",
)
@click.option(
    "--processes",
    type=click.IntRange(1),
    metavar="N",
    help="Worker processes for alignments (default: all cores).",
)
@precision_option(default=True)
@format_option(*FORMATS)
@output_option
def check(model: str, log: str, **kwargs: object) -> int:
    """Check LOG against the documented MODEL.bpmn: fitness, precision, outdated, undocumented and skipped
    steps, order violations. With -o, writes report.json, case_fitness.csv and summary.md there."""
    from procmine.pipeline.check import build_options, run
    from procmine.renderers import render

    read = pop_log_options(kwargs)
    fmt = str(kwargs.pop("fmt"))
    output = kwargs.pop("output")
    options = build_options(**kwargs)
    result = run(model, log, read, options, output=output)  # type: ignore[arg-type]
    if result.files:
        folder = result.files["report.json"].parent
        progress.note(f"wrote {', '.join(result.files)} to {folder}")
        if fmt != "human":
            progress.note("summary:\n" + render(result.report, "human").rstrip())
    click.echo(render(result.report, fmt), nl=False)
    if result.failing:
        kinds = sorted({f.kind for f in result.failing})
        progress.note(f"{len(result.failing)} finding(s) over threshold ({', '.join(kinds)}): exit code 1")
        return ExitCode.FINDINGS
    return ExitCode.OK
