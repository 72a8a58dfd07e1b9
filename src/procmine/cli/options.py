"""Options shared by the commands that read an event log, and the way they reach the log reader."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

LOG_OPTION_NAMES = ("case", "activity", "timestamp", "start", "resource", "timezone", "timestamp_format")


def log_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--case/--activity/--timestamp/--start/--resource/--timezone/--timestamp-format."""
    options = [
        click.option("--case", metavar="COLUMN", help="Column with the case id (auto-detected by default)."),
        click.option("--activity", metavar="COLUMN", help="Column with the activity name."),
        click.option("--timestamp", metavar="COLUMN", help="Column with the (completion) timestamp."),
        click.option("--start", metavar="COLUMN", help="Column with the start timestamp, if any."),
        click.option("--resource", metavar="COLUMN", help="Column with the resource (who did it)."),
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
    ]
    for option in reversed(options):
        func = option(func)
    return func


def pop_log_options(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Take the log options out of a command's kwargs, as keyword arguments for ``read_log``."""
    return {name: kwargs.pop(name) for name in LOG_OPTION_NAMES}


def format_option(*formats: str, default: str = "human") -> Callable[..., Any]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(formats),
        default=default,
        show_default=True,
        help="Output format on stdout. Machine formats print nothing else there.",
    )


def output_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-o",
        "--output",
        metavar="FOLDER",
        type=click.Path(file_okay=False),
        help="Folder for the output files (created if missing).",
    )(func)
