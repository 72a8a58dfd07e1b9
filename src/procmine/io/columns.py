"""Which source column is the case id, the activity, the timestamp, the start time, the resource.

Names are compared after lower-casing and removing everything but letters and digits, so ``Case ID``,
``case_id`` and ``CaseID`` are one name. Candidates come in tiers: the XES / pm4py names first, then
the common names, then the domain names (``Ticket``, ``Complaint ID``). The first tier with a match
decides; two matches in the same tier are ambiguous, and the user must choose (exit 2, with the list
of columns that exist). A column named on the command line always wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from procmine.errors import InputError
from procmine.model.log import ColumnMapping

CANDIDATES: dict[str, tuple[tuple[str, ...], ...]] = {
    "case": (
        ("case:concept:name",),
        (
            "case_id",
            "case",
            "case number",
            "case no",
            "case key",
            "trace id",
            "trace",
            "process instance",
            "process instance id",
            "instance id",
        ),
        (
            "ticket",
            "ticket id",
            "ticket number",
            "complaint id",
            "order id",
            "incident id",
            "request id",
            "claim id",
            "application id",
        ),
    ),
    "activity": (
        ("concept:name",),
        (
            "activity",
            "activity name",
            "task",
            "task name",
            "step",
            "step name",
            "event",
            "event name",
            "action",
        ),
    ),
    "timestamp": (
        ("time:timestamp",),
        (
            "complete timestamp",
            "end timestamp",
            "completion timestamp",
            "complete time",
            "end time",
            "completion time",
            "end",
            "complete",
            "completed",
            "finished",
            "end date",
        ),
        ("timestamp", "time", "datetime", "date", "event time", "event timestamp"),
    ),
    "start": (
        ("start_timestamp", "time:start"),
        ("start time", "start", "start date", "started", "begin", "begin time"),
    ),
    "resource": (
        ("org:resource",),
        (
            "resource",
            "agent",
            "user",
            "user name",
            "performer",
            "employee",
            "assignee",
            "worker",
            "executor",
            "operator",
            "handler",
        ),
    ),
    "lifecycle": (
        ("lifecycle:transition",),
        ("lifecycle", "transition", "lifecycle transition", "event type"),
    ),
}
REQUIRED = ("case", "activity")
OPTION = {
    "case": "--case",
    "activity": "--activity",
    "timestamp": "--timestamp",
    "start": "--start",
    "resource": "--resource",
    "lifecycle": "--lifecycle",
    "order": "--order",
}
TIMED = ("timestamp", "start", "lifecycle")  # roles an order-only log (--order, or no timestamp) leaves out


def normalise(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


def detect_columns(
    columns: Sequence[str],
    source: str,
    overrides: dict[str, str | None] | None = None,
    skip: set[str] | frozenset[str] = frozenset(),
) -> ColumnMapping:
    """The mapping for a frame with these ``columns``; ``overrides`` maps role -> column name;
    ``skip`` names columns detection must not pick (they can still be named explicitly). Without a
    timestamp column (none found, or ``--order`` given) the log is order-only: no start or lifecycle
    column is used either, since pairing and durations need times."""
    overrides = {k: v for k, v in (overrides or {}).items() if v}
    if overrides.get("order") and any(overrides.get(role) for role in TIMED):
        named = next(OPTION[role] for role in TIMED if overrides.get(role))
        raise InputError(source, f"--order orders the events without times: it cannot go with {named}")
    chosen: dict[str, str | None] = {}
    for role, name in overrides.items():
        if name not in columns:
            raise InputError(source, f"no column {name!r} ({OPTION[role]}); columns are: {_listing(columns)}")
        chosen[role] = name
    taken = set(chosen.values()) | set(skip)
    for role in CANDIDATES:
        if role in chosen or (role in TIMED and "order" in chosen):
            continue
        chosen[role] = _detect(role, [c for c in columns if c not in taken], source, columns)
        if chosen[role]:
            taken.add(chosen[role])
    if chosen.get("timestamp") is None:  # order-only
        chosen["start"] = chosen["lifecycle"] = None
    for role in REQUIRED:
        if chosen.get(role) is None:
            raise InputError(
                source,
                f"no {role} column found (name it with {OPTION[role]}); columns are: {_listing(columns)}",
            )
    return ColumnMapping(
        case=chosen["case"],  # type: ignore[arg-type]
        activity=chosen["activity"],  # type: ignore[arg-type]
        timestamp=chosen.get("timestamp"),
        start=chosen.get("start"),
        resource=chosen.get("resource"),
        lifecycle=chosen.get("lifecycle"),
        order=chosen.get("order"),
    )


def _detect(role: str, free: list[str], source: str, columns: Sequence[str]) -> str | None:
    by_name: dict[str, list[str]] = {}
    for column in free:
        by_name.setdefault(normalise(column), []).append(column)
    for tier in CANDIDATES[role]:
        hits = [c for name in tier for c in by_name.get(normalise(name), [])]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            option = OPTION[role] or "--" + role
            raise InputError(
                source,
                f"ambiguous {role} column: {', '.join(repr(h) for h in hits)} all fit "
                f"(choose with {option}); columns are: {_listing(columns)}",
            )
    return None


def _listing(columns: Sequence[str], limit: int = 40) -> str:
    shown = ", ".join(repr(str(c)) for c in list(columns)[:limit])
    return shown + (f" and {len(columns) - limit} more" if len(columns) > limit else "")
