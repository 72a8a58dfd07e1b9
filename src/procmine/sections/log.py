"""The report's ``log`` block: what was read from the event log, and what reading it cost."""

from __future__ import annotations

from dataclasses import dataclass

from procmine.sections.base import Section, doc


@dataclass(kw_only=True)
class ColumnsUsed(Section):
    case: str = doc("The source column of the case id.")
    activity: str = doc("The source column of the activity.")
    timestamp: str | None = doc(
        "The source column of the (completion) timestamp; None for an order-only log (events ordered by "
        "the file, or by the `order` column)."
    )
    start: str | None = doc("The source column of the start timestamp, if any.")
    resource: str | None = doc("The source column of the resource, if any.")
    lifecycle: str | None = doc("The source column of the lifecycle transition, if any.")
    order: str | None = doc(
        "--order: the column giving the order of a case's events in an order-only log.",
        default=None,
        omit_none=True,
    )


@dataclass(kw_only=True)
class ReadingCost(Section):
    rows_read: int = doc("Rows (events) read from the file.")
    rows_used: int = doc("Rows used (lifecycle start rows merged into their completion count as used).")
    rows_dropped: int = doc("Rows not used: the sum of dropped.")
    dropped: dict[str, int] = doc("Rows not used, by reason.")
    lifecycle_pairs: int | None = doc("Start/complete pairs merged into one activity instance.", default=None)
    rows_set_aside: int | None = doc(
        "Rows with another lifecycle transition: the sum of set_aside.", default=None
    )
    set_aside: dict[str, int] | None = doc(
        "Lifecycle transitions other than start and complete (schedule, assign...), by transition: kept out "
        "of the pairing, not executions of an activity, not dropped.",
        default=None,
    )
    out_of_order_cases: int | None = doc("Cases with events out of time order in the file.", default=None)
    future_events: int | None = doc("Events later than the moment of reading.", default=None)
    single_event_cases: int | None = doc("Cases with a single event.", default=None)
    timezone: str | None = doc("How timestamps without an offset were read.", default=None)
    notes: list[str] | None = doc("Further remarks on the data.", default=None)


@dataclass(kw_only=True)
class LogSection(Section):
    path: str = doc("The log file, as given.")
    format: str = doc("csv, xes or parquet.")
    cases: int = doc("Cases read.")
    events: int = doc("Events used.")
    activities: int = doc("Distinct activities.")
    first_timestamp: str | None = doc("The first event (a start, when the log has start times; ISO, UTC).")
    last_timestamp: str | None = doc("The last completion (ISO, UTC).")
    columns: ColumnsUsed = doc("Which source column fed each role.")
    case_attributes: list[str] | None = doc("Columns with one value per case.", default=None)
    quality: ReadingCost = doc("What reading the log cost and what looks wrong in it.")
