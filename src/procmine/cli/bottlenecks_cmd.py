"""``procmine bottlenecks LOG``: where cases wait, rework, SLA breaches, and the customer lens.

Exit code 1 when a breach rate is above ``--max-sla-breach``."""

from __future__ import annotations

from pathlib import Path

import click

from procmine import progress
from procmine.cli.options import format_option, log_options, output_option, pop_log_options
from procmine.errors import ExitCode


@click.command()
@click.argument("log", metavar="LOG")
@log_options
@click.option(
    "--sla",
    "sla",
    multiple=True,
    metavar="DURATION|ACTIVITY=DURATION",
    help="Throughput-time target (5d, 36h) or a per-activity target ('Investigate issue=2d'). Repeatable.",
)
@click.option(
    "--max-sla-breach",
    type=click.FloatRange(0, 1),
    metavar="SHARE",
    help="Tolerated share of breaches before exit code 1 (default 0.1).",
)
@click.option(
    "--segment",
    "segments",
    multiple=True,
    metavar="COLUMN",
    help="Case attribute to split cases by (repeatable; default: detected).",
)
@click.option("--satisfaction", metavar="COLUMN", help="Case column with a satisfaction score (detected).")
@click.option(
    "--touchpoints",
    multiple=True,
    metavar="A,B,...",
    help="Customer-facing activities, comma-separated (repeatable).",
)
@click.option("--top", type=click.IntRange(0), help="Bottleneck findings to report (default 5).")
@click.option(
    "--model", type=click.Path(dir_okay=False), metavar="BPMN", help="Documented model: workload per lane."
)
@format_option("human", "json")
@output_option
def bottlenecks(log: str, **kwargs: object) -> int:
    """Find where cases wait (ranked by total delay), rework, SLA breaches, and customer KPIs."""
    from procmine.io.output import write_text_atomic
    from procmine.pipeline.bottlenecks import build_options, run
    from procmine.renderers import render

    read = pop_log_options(kwargs)
    options = build_options(
        sla=kwargs["sla"],
        max_sla_breach=kwargs["max_sla_breach"],
        segments=kwargs["segments"],
        satisfaction=kwargs["satisfaction"],
        touchpoints=kwargs["touchpoints"],
        top=kwargs["top"],
    )
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
