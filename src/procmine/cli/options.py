"""Options shared by several commands. Each group reaches the command as one typed parameter: the log
options as ``read`` (``read_log``'s keyword arguments), the conformance options as ``conformance``
(``ConformanceArgs``), the performance options as ``performance`` (``PerformanceArgs``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from procmine.analyses.performance import PerformanceOptions

LOG_OPTION_NAMES = (
    "case",
    "activity",
    "timestamp",
    "start",
    "resource",
    "lifecycle",
    "timezone",
    "timestamp_format",
    "order",
    "memory_limit",
    "database",
    "engine",
    "spark_master",
)


def _grouped(parameter: str, names: tuple[str, ...], build: Callable[..., Any]) -> Callable[..., Any]:
    """A decorator that hands the command ``parameter=build(**values of names)`` instead of the values."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def command(*args: Any, **kwargs: Any) -> Any:
            kwargs[parameter] = build(**{name: kwargs.pop(name) for name in names})
            return func(*args, **kwargs)

        return command

    return decorate


def log_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--case/--activity/--timestamp/--start/--resource/--lifecycle/--timezone/--timestamp-format/--order,
    given to the command as ``read``: a dict of ``read_log``'s keyword arguments; --memory-limit,
    --database, --engine and --spark-master say where the log is held and analysed."""
    func = _grouped("read", LOG_OPTION_NAMES, dict)(func)
    return _stack(func, [*_log_column_options(), limit_option, *_log_engine_options()])


def _log_column_options() -> list[Callable[..., Any]]:
    return [
        click.option("--case", metavar="COLUMN", help="Column with the case id (auto-detected by default)."),
        click.option("--activity", metavar="COLUMN", help="Column with the activity name."),
        click.option("--timestamp", metavar="COLUMN", help="Column with the (completion) timestamp."),
        click.option("--start", metavar="COLUMN", help="Column with the start timestamp, if any."),
        click.option("--resource", metavar="COLUMN", help="Column with the resource (who did it)."),
        click.option(
            "--lifecycle",
            metavar="COLUMN",
            help="Column with the lifecycle transition (start/complete), when detection is ambiguous.",
        ),
        click.option(
            "--timezone",
            default="UTC",
            show_default=True,
            metavar="TZ",
            help="Time zone of timestamps that carry no offset (e.g. Europe/Berlin).",
        ),
        click.option(
            "--timestamp-format",
            metavar="FORMAT",
            help="strftime format of the timestamps (detected when omitted), e.g. '%d.%m.%Y %H:%M'.",
        ),
        click.option(
            "--order",
            metavar="COLUMN",
            help="Order each case's events by this column (numbers, then text) and read no times: for "
            "logs without timestamps (without one, and without --order, the file's order is used).",
        ),
    ]


def _log_engine_options() -> list[Callable[..., Any]]:
    return [
        click.option(
            "--memory-limit",
            metavar="SIZE",
            help="Memory the log engine may use (e.g. 4GB); beyond it, it spills to disk. "
            "Default: a quarter of the machine's memory, at most 8GB.",
        ),
        click.option(
            "--database",
            metavar="FILE",
            type=click.Path(dir_okay=False),
            help="Keep the loaded log in this DuckDB file; the next command with the same file and log "
            "reuses it without reading the log again.",
        ),
        click.option(
            "--engine",
            type=click.Choice(["duckdb", "spark"]),
            help="Where the log is analysed: duckdb (default: embedded, spills to disk) or spark "
            "(Apache Spark, for logs past one machine; needs procmine[spark]).",
        ),
        click.option(
            "--spark-master",
            metavar="URL",
            help="Spark master for --engine spark (default local[*]: all cores of this machine).",
        ),
    ]


def input_file(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Callback of options naming an input file (--map, --previous, --config): refuse a FIFO, a device,
    a folder or a missing file now, before the run reads anything (opening a FIFO would block)."""
    from pathlib import Path

    from procmine.io.input_files import regular_file

    if value:
        path = Path(value)
        regular_file(path / "report.json" if _param.name == "previous" and path.is_dir() else path)
    return value


def _apply_limits(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> None:
    from procmine.io import limits

    limits.configure(values)


limit_option = click.option(
    "--limit",
    multiple=True,
    metavar="NAME=VALUE",
    expose_value=False,
    is_eager=True,  # before the callbacks that check --map, --previous, --config against file-size
    callback=_apply_limits,
    help="Raise a safety limit, e.g. log-size=16GB, xml-depth=200 (see docs/limits.md). Repeatable.",
)


def format_option(*formats: str, default: str = "human") -> Callable[..., Any]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(formats),
        default=default,
        show_default=True,
        help="Output format on stdout. Machine formats print nothing else there.",
    )


def output_option(func: Callable[..., Any] | None = None, *, default: str | None = None) -> Any:
    """-o/--output FOLDER; ``default`` names the folder used without it (``@output_option(default=...)``)."""
    said = f" (default: {default})" if default else ""

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        return click.option(
            "-o",
            "--output",
            metavar="FOLDER",
            type=click.Path(file_okay=False),
            help=f"Folder for the output files, created if missing{said}.",
        )(f)

    return decorate(func) if func is not None else decorate


def _stack(func: Callable[..., Any], options: list[Callable[..., Any]]) -> Callable[..., Any]:
    for option in reversed(options):
        func = option(func)
    return func


def split_commas(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """A repeatable option that also takes comma-separated lists: ``--x a,b --x c`` -> (a, b, c)."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


# --- options of the commands that check a log against the documented model (check, audit) ---


@dataclass(frozen=True)
class ConformanceArgs:
    """--process, --map, --min-fitness, --recent-period, --fail-on, --time-cap, --time-budget,
    --processes, --precision as given (None: not given)."""

    process: str | None
    mapping: str | None
    min_fitness: float | None
    recent_period: str | None
    fail_on: tuple[str, ...]
    time_cap: float | None = None
    time_budget: float | None = None
    processes: int | None = None
    precision: bool | None = None


CONFORMANCE_OPTION_NAMES = tuple(f.name for f in fields(ConformanceArgs))


def conformance_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--process, --map, --min-fitness, --recent-period, --fail-on and the alignment limits (check and
    audit, same defaults), given to the command as ``conformance`` (``ConformanceArgs``)."""
    func = _grouped("conformance", CONFORMANCE_OPTION_NAMES, ConformanceArgs)(func)
    return _stack(
        func,
        [
            click.option(
                "--process",
                metavar="ID|NAME",
                help="Process or pool of MODEL to check (default: the one whose tasks match the log best).",
            ),
            click.option(
                "--map",
                "mapping",
                type=click.Path(dir_okay=False),
                callback=input_file,
                metavar="MAPPING.csv",
                help="CSV of model task name,log activity name pairs, for names that differ.",
            ),
            click.option(
                "--min-fitness",
                type=click.FloatRange(0, 1),
                metavar="SHARE",
                help="Report low_fitness (and exit 1) when the log fitness is below this, e.g. 0.8.",
            ),
            click.option(
                "--recent-period",
                metavar="LENGTH|DATE",
                help="Period in which documented steps must still happen: 90d, 12w, 3m or a start date "
                "(default: the last quarter of the log's time span).",
            ),
            click.option(
                "--fail-on",
                metavar="KIND[,KIND]",
                multiple=True,
                callback=split_commas,
                help="Exit 1 when findings of these kinds exist (e.g. outdated_step,skipped_step; "
                "any: every warning or error). Repeatable.",
            ),
            *_alignment_options(),
        ],
    )


def _alignment_options() -> list[Callable[..., Any]]:
    return [
        click.option(
            "--time-cap",
            type=click.FloatRange(0, min_open=True),
            metavar="SECONDS",
            help="Give up aligning one variant after this much CPU time; it is then reported as not "
            "aligned (default: 10).",
        ),
        click.option(
            "--time-budget",
            type=click.FloatRange(0, min_open=True),
            metavar="SECONDS",
            help="Wall-clock time for all alignments together, most frequent variants first; the rest are "
            "reported as not aligned (default: 600).",
        ),
        click.option(
            "--processes",
            type=click.IntRange(1),
            metavar="N",
            help="Worker processes for alignments (default: all cores).",
        ),
        click.option(
            "--precision/--no-precision",
            default=None,
            help="Also compute precision, from the alignments (default: on).",
        ),
    ]


# --- options of the commands that measure times and the customer lens (bottlenecks, audit) ---


@dataclass(frozen=True)
class PerformanceArgs:
    """--sla, --max-sla-breach, --segment, --satisfaction, --touchpoints, --top as given."""

    sla: tuple[str, ...]
    max_sla_breach: float | None
    segments: tuple[str, ...]
    satisfaction: str | None
    touchpoints: tuple[str, ...]
    top: int | None
    external: tuple[str, ...] = ()

    def options(self) -> PerformanceOptions:
        """Over ``[tool.procmine.bottlenecks]`` and the defaults (``pipeline.bottlenecks.build_options``)."""
        from procmine.pipeline.bottlenecks import build_options

        return build_options(
            sla=self.sla,
            max_sla_breach=self.max_sla_breach,
            segments=self.segments,
            satisfaction=self.satisfaction,
            touchpoints=self.touchpoints,
            top=self.top,
            external=self.external,
        )


PERFORMANCE_OPTION_NAMES = tuple(f.name for f in fields(PerformanceArgs))


def performance_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--sla, --max-sla-breach, --segment, --satisfaction, --touchpoints, --top, --external (bottlenecks
    and audit), given to the command as ``performance`` (``PerformanceArgs``)."""
    func = _grouped("performance", PERFORMANCE_OPTION_NAMES, PerformanceArgs)(func)
    return _stack(
        func,
        [
            click.option(
                "--sla",
                "sla",
                multiple=True,
                metavar="DURATION|ACTIVITY=DURATION",
                help="Throughput-time target (5d, 36h) or a per-activity target ('Investigate issue=2d'). "
                "Repeatable.",
            ),
            click.option(
                "--max-sla-breach",
                type=click.FloatRange(0, 1),
                metavar="SHARE",
                help="Tolerated share of SLA breaches before exit code 1 (default: 0.1).",
            ),
            click.option(
                "--segment",
                "segments",
                multiple=True,
                metavar="COLUMN",
                help="Case attribute to split cases by (default: detected). Repeatable.",
            ),
            click.option(
                "--satisfaction",
                metavar="COLUMN",
                help="Case column with a satisfaction score (default: detected).",
            ),
            click.option(
                "--touchpoints",
                multiple=True,
                metavar="A,B,...",
                help="Customer-facing activities, comma-separated. Repeatable.",
            ),
            click.option(
                "--top",
                type=click.IntRange(0),
                metavar="N",
                help="Bottleneck findings to report (default: 5).",
            ),
            click.option(
                "--external",
                multiple=True,
                metavar="A,B,...",
                help="Activities whose wait is on a customer, partner or timer, not an internal queue "
                "(comma-separated). Repeatable.",
            ),
        ],
    )


def top_variants_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--top-variants",
        type=click.IntRange(0),
        metavar="N",
        help="Variants listed in the report (default: 20).",
    )(func)
