"""``procmine discover LOG``: the process as it really runs — model.bpmn, map.svg and report.json."""

from __future__ import annotations

import click

from procmine import progress
from procmine.cli.options import (
    format_option,
    log_options,
    output_option,
    pop_log_options,
    top_variants_option,
)
from procmine.errors import ExitCode


@click.command()
@click.argument("log", metavar="LOG")
@log_options
@click.option(
    "--algorithm",
    type=click.Choice(["inductive", "heuristics", "split"]),
    help="Miner: inductive (default; sound, block-structured), heuristics, or split (Split Miner).",
)
@click.option(
    "--noise",
    type=click.FloatRange(0, 1),
    metavar="SHARE",
    help="Inductive miner noise threshold: 0 keeps every behaviour (default), 0.2 filters rare paths.",
)
@click.option(
    "--coverage",
    type=click.FloatRange(0, 1, min_open=True),
    metavar="SHARE",
    help="Mine from the most frequent variants covering this share of cases, e.g. 0.8 (default: 1, all).",
)
@click.option(
    "--activities",
    multiple=True,
    metavar="A,B,...",
    help="Keep only these activities (comma-separated or repeated).",
)
@click.option(
    "--since", metavar="DATE", help="Keep cases that start at or after DATE (ISO; UTC without offset)."
)
@click.option("--until", metavar="DATE", help="Keep cases that start before DATE.")
@top_variants_option
@format_option("human", "json")
@output_option(default="reports/<log name>")
def discover(log: str, **kwargs: object) -> int:
    """Discover the process from LOG: writes model.bpmn (BPMN with layout), map.svg and report.json into
    the output folder (default reports/<log name>), and prints a summary (or the JSON) on stdout."""
    from procmine.pipeline.discover import build_options, run
    from procmine.renderers import render

    read = pop_log_options(kwargs)
    options = build_options(
        algorithm=kwargs["algorithm"],  # type: ignore[arg-type]
        noise=kwargs["noise"],  # type: ignore[arg-type]
        coverage=kwargs["coverage"],  # type: ignore[arg-type]
        top_variants=kwargs["top_variants"],  # type: ignore[arg-type]
        activities=tuple(kwargs["activities"]),  # type: ignore[arg-type]
        since=kwargs["since"],  # type: ignore[arg-type]
        until=kwargs["until"],  # type: ignore[arg-type]
    )
    result = run(log, read, options, output=kwargs["output"])  # type: ignore[arg-type]
    folder = result.files["report.json"].parent
    progress.note(f"wrote model.bpmn, map.svg and report.json to {folder}")
    click.echo(render(result.report, str(kwargs["fmt"])), nl=False)
    return ExitCode.OK
