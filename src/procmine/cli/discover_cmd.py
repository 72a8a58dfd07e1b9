"""``procmine discover LOG``: the process as it really runs — model.bpmn, map.svg and report.json."""

from __future__ import annotations

from typing import Any

import click

from procmine import progress
from procmine.cli.options import (
    format_option,
    log_options,
    output_option,
    top_variants_option,
)
from procmine.cli.outcome import finish


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
    metavar="SHARE|A,B,...",
    help="A share (0.5 or 50%): the map draws the most frequent share of the activities. "
    "Names (comma-separated or repeated): keep only these activities, in the model and the map.",
)
@click.option(
    "--paths",
    type=click.FloatRange(0, 1),
    metavar="SHARE",
    help="The map draws the most frequent share of the paths between its activities (every activity "
    "stays connected from start to end).",
)
@click.option(
    "--detail",
    type=click.Choice(["auto", "full"]),
    help="The map's detail: auto (default: at most about 25 activities and 40 paths) or full (everything).",
)
@click.option(
    "--since", metavar="DATE", help="Keep cases that start at or after DATE (ISO; UTC without offset)."
)
@click.option("--until", metavar="DATE", help="Keep cases that start before DATE.")
@click.option(
    "--precision/--no-precision",
    default=None,
    help="Also measure the mined model's precision on the log (as `check` does: escaping edges over the "
    "alignments of every variant; within a minute). Default: off.",
)
@top_variants_option
@format_option("human", "json")
@output_option(default="reports/<log name>/discover")
def discover(
    log: str,
    read: dict[str, Any],
    algorithm: str | None,
    noise: float | None,
    coverage: float | None,
    activities: tuple[str, ...],
    paths: float | None,
    detail: str | None,
    since: str | None,
    until: str | None,
    precision: bool | None,
    top_variants: int | None,
    fmt: str,
    output: str | None,
) -> int:
    """Discover the process from LOG: writes model.bpmn (BPMN with layout), map.svg and report.json into
    the output folder (default reports/<log name>/discover), and prints a summary (or the JSON) on stdout."""
    from procmine.pipeline.discover import build_options, run
    from procmine.renderers import render

    options = build_options(
        algorithm=algorithm,
        noise=noise,
        coverage=coverage,
        top_variants=top_variants,
        activities=activities,
        since=since,
        until=until,
        detail=detail,
        paths=paths,
        precision=precision,
    )
    outcome = run(log, read, options, output=output)
    folder = outcome.files["report.json"].parent
    progress.note(f"wrote model.bpmn, map.svg and report.json to {folder}")
    click.echo(render(outcome.report, fmt), nl=False)
    return finish(outcome)
