"""``procmine inspect``: read a log and report what was read — the log summary, the data-quality
accounting and how often each activity occurs. Never prints to stdout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from procmine import progress
from procmine.findings import Report
from procmine.io.logs import read_log
from procmine.model.log import ACTIVITY, CASE, EventLog


def run(path: str | Path, **log_options: Any) -> Report:
    """``log_options`` are ``read_log``'s keyword arguments (``cli.options.LOG_OPTION_NAMES``)."""
    with progress.step(f"reading {path}"):
        log = read_log(path, **log_options)
    return build_report(log, log_options)


def build_report(log: EventLog, log_options: dict[str, Any] | None = None) -> Report:
    parameters = {name: value for name, value in (log_options or {}).items()}
    return Report(
        command="inspect",
        parameters=parameters,
        log=log.summary(),
        sections={"activities": activity_counts(log)},
    )


def activity_counts(log: EventLog) -> list[dict[str, Any]]:
    """Per activity: events, cases that contain it, and the share of all cases; sorted by name."""
    events = log.events
    total_cases = events[CASE].nunique()
    grouped = events.groupby(ACTIVITY, observed=True)[CASE].agg(["size", "nunique"])
    return [
        {
            "activity": str(activity),
            "events": int(row["size"]),
            "cases": int(row["nunique"]),
            "case_share": float(row["nunique"]) / total_cases if total_cases else 0.0,
        }
        for activity, row in sorted(grouped.iterrows(), key=lambda item: str(item[0]))
    ]
