"""``procmine check MODEL LOG``: does reality follow the documented process? Exit 1 over a threshold."""

from __future__ import annotations

import click

from procmine import progress
from procmine.cli.options import format_option, log_options, output_option, pop_log_options
from procmine.errors import ExitCode

FORMATS = ("human", "json", "junit", "sarif", "github", "markdown")


@click.command()
@click.argument("model", metavar="MODEL.bpmn")
@click.argument("log", metavar="LOG")
@log_options
@click.option(
    "--process",
    metavar="ID|NAME",
    help="Process or pool to check (default: the one whose tasks match the log best).",
)
@click.option(
    "--map",
    "mapping",
    metavar="MAPPING.csv",
    help="CSV of model task name,log activity name pairs, for names that differ.",
)
@click.option(
    "--min-fitness",
    type=float,
    metavar="SHARE",
    help="Report low_fitness (and exit 1) when the log fitness is below this, e.g. 0.8.",
)
@click.option(
    "--max-skip-share",
    type=float,
    metavar="SHARE",
    help="Report a mandatory step skipped in more than this share of cases (0.05).",
)
@click.option(
    "--max-order-share",
    type=float,
    metavar="SHARE",
    help="Report a documented order reversed in more than this share of cases (0.05).",
)
@click.option(
    "--recent-period",
    metavar="LENGTH|DATE",
    help="Period in which documented steps must still happen: 90d, 12w, 3m or a start date "
    "(default: the last quarter of the log's time span).",
)
@click.option(
    "--fail-on",
    metavar="KIND[,KIND]",
    multiple=True,
    help="Exit 1 when findings of these kinds exist (e.g. outdated_step,skipped_step; 'any').",
)
@click.option(
    "--time-cap",
    type=float,
    metavar="SECONDS",
    help="Give up aligning one variant after this long and use token replay for it (10).",
)
@click.option("--processes", type=int, metavar="N", help="Worker processes for alignments (all cores).")
@click.option("--precision/--no-precision", default=None, help="Compute precision (default: yes).")
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
