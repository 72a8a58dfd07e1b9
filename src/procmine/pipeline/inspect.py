"""``procmine inspect``: read a log and report what was read — the log summary, the data-quality
accounting and how often each activity occurs. Never prints to stdout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from procmine.findings import Report
from procmine.model.log import EventLog
from procmine.pipeline.inputs import log_section, read_event_log
from procmine.pipeline.outcome import Outcome
from procmine.sections.statistics import ActivityStats


def run(path: str | Path, log_options: dict[str, Any]) -> Outcome:
    """``log_options`` are ``read_log``'s keyword arguments (``cli.options.LOG_OPTION_NAMES``)."""
    log = read_event_log(path, log_options, engines=("duckdb", "spark"))
    return Outcome(build_report(log, log_options))


def build_report(log: EventLog, log_options: dict[str, Any] | None = None) -> Report:
    return Report(
        command="inspect",
        parameters=dict(log_options or {}),
        log=log_section(log),
        sections={"activities": activity_counts(log)},
    )


def activity_counts(log: EventLog) -> list[ActivityStats]:
    """The shared ``activities`` section (events, cases, case share, rework, start/end cases, service
    times), computed by the SQL engine like every other command's."""
    from procmine.analyses.statistics import activity_section
    from procmine.engine import dfg
    from procmine.engine.db import connect

    con = connect(log)
    try:
        return activity_section(con, dfg.start_activities(con), dfg.end_activities(con))
    finally:
        con.close()
