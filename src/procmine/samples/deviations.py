"""The ground truth of the sample: what departs from the documented model, and how often it really did.

``INJECTED`` says what the simulation was told to do (names, dates, target shares); ``injected_summary``
measures what a given event log actually contains, from the canonical columns procmine reads
(``case_id``, ``activity``, ``timestamp``, ``start_timestamp``). Tests of the analyses compare their
findings with these figures, so both must be exact and free of any procmine analysis code.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from procmine.model.log import ACTIVITY, CASE, START, TIMESTAMP
from procmine.samples.calendar import TIMEZONE
from procmine.samples.process import (
    CALL_BACK,
    CLASSIFY,
    INVESTIGATE,
    LETTER,
    LETTER_ABOLISHED,
    PROPOSE,
    REWORK_SHARE,
)
from procmine.timefmt import iso_utc

if TYPE_CHECKING:
    import pandas as pd

LONG_WAIT_SECONDS = 3 * 86400  # a case whose waits add up to more than this "waited long"


@dataclass(frozen=True)
class Deviation:
    """One known departure of the sample from its documented model."""

    kind: str  # undocumented_step | outdated_step | skipped_step | bottleneck | rework
    description: str
    activity: str | None = None  # the activity concerned (None for the bottleneck: see source/target)
    in_model: bool = True  # whether the documented model contains the activity (or allows the behaviour)
    target_share: float | None = None  # share of cases the simulation aims at
    after: str | None = None  # undocumented step: the activity it follows
    last_day: date | None = None  # outdated step: the last day it was still done
    mostly_channel: str | None = None  # skipped step: the channel where it is mostly skipped
    source: str | None = None  # bottleneck: the handover source -> target
    target: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["last_day"] = self.last_day.isoformat() if self.last_day else None
        return data


INJECTED: dict[str, Deviation] = {
    "undocumented_step": Deviation(
        "undocumented_step",
        f'"{CALL_BACK}" after "{PROPOSE}", not in the documented model',
        activity=CALL_BACK,
        in_model=False,
        target_share=0.25,
        after=PROPOSE,
    ),
    "outdated_step": Deviation(
        "outdated_step",
        f'"{LETTER}" is documented but was no longer done after 30 June 2026',
        activity=LETTER,
        last_day=LETTER_ABOLISHED - timedelta(days=1),
    ),
    "skipped_step": Deviation(
        "skipped_step",
        f'"{CLASSIFY}" is skipped in some cases, mostly in chats',
        activity=CLASSIFY,
        target_share=0.15,
        mostly_channel="chat",
    ),
    "bottleneck": Deviation(
        "bottleneck",
        f'cases wait days between "{CLASSIFY}" and "{INVESTIGATE}" (specialist backlog: the one specialist '
        "takes investigations in the order they come, so the wait grows with the work waiting): the largest "
        "total waiting time of all handovers",
        source=CLASSIFY,
        target=INVESTIGATE,
    ),
    "rework": Deviation(
        "rework",
        f'"{PROPOSE}" is repeated when the customer rejects a proposal (a documented loop)',
        activity=PROPOSE,
        target_share=REWORK_SHARE,
    ),
}


def injected_summary(events: pd.DataFrame, channel_column: str | None = None) -> dict[str, Any]:
    """What the log really contains of each injected deviation, as plain JSON-able data.

    ``events`` has procmine's canonical columns (one row per activity instance, UTC timestamps); the
    channel column is found by name (``Channel`` or ``channel``) unless given.
    """
    ev = _in_case_order(events)
    cases = sorted(ev[CASE].unique().tolist())
    total = len(cases)

    def cases_with(activity: str) -> set[str]:
        return set(ev.loc[ev[ACTIVITY] == activity, CASE].tolist())

    proposals = ev.loc[ev[ACTIVITY] == PROPOSE, CASE].value_counts()

    def share(n: int) -> float:
        return round(n / total, 4) if total else 0.0

    with_call_back = sorted(cases_with(CALL_BACK))
    without_classify = sorted(set(cases) - cases_with(CLASSIFY))
    reworked = sorted(proposals[proposals > 1].index.tolist())
    without_letter = sorted(set(cases) - cases_with(LETTER))
    handovers = handover_waits(ev)
    top, runner_up = handovers[0], handovers[1]
    summary: dict[str, Any] = {
        "cases": total,
        "events": len(ev),
        "undocumented_step": {
            "activity": CALL_BACK,
            "cases": len(with_call_back),
            "share": share(len(with_call_back)),
            "occurrences": int((ev[ACTIVITY] == CALL_BACK).sum()),
            "case_ids": with_call_back,
        },
        "outdated_step": _outdated_step(ev, without_letter),
        "skipped_step": {
            "activity": CLASSIFY,
            "cases": len(without_classify),
            "share": share(len(without_classify)),
            "by_channel": _by_channel(ev, without_classify, channel_column),
            "case_ids": without_classify,
        },
        "bottleneck": {
            **top,
            "runner_up": runner_up,
            "ratio_to_runner_up": round(top["total_wait"] / runner_up["total_wait"], 2),
            "top_handovers": handovers[:5],
        },
        "rework": {
            "activity": PROPOSE,
            "cases": len(reworked),
            "share": share(len(reworked)),
            "repetitions": int(sum(int(proposals[c]) - 1 for c in reworked)),
            "case_ids": reworked,
        },
    }
    satisfaction = next((c for c in ("Satisfaction", "satisfaction") if c in ev.columns), None)
    if satisfaction is not None:
        summary["satisfaction"] = _satisfaction_gap(ev, satisfaction, set(with_call_back))
    return summary


def _outdated_step(ev: pd.DataFrame, without_letter: list[str]) -> dict[str, Any]:
    letters = ev[ev[ACTIVITY] == LETTER]
    cutoff = datetime(LETTER_ABOLISHED.year, LETTER_ABOLISHED.month, LETTER_ABOLISHED.day, tzinfo=TIMEZONE)
    return {
        "activity": LETTER,
        "last_day": INJECTED["outdated_step"].last_day.isoformat(),  # type: ignore[union-attr]
        "occurrences": len(letters),
        "occurrences_after_last_day": int((letters[TIMESTAMP] >= cutoff).sum()),
        "last_occurrence": iso_utc(letters[TIMESTAMP].max()) if len(letters) else None,
        "cases_without": len(without_letter),
        "case_ids_without": without_letter,
    }


def _by_channel(ev: pd.DataFrame, case_ids: list[str], channel_column: str | None) -> dict[str, int]:
    """Cases of ``case_ids`` by their channel (empty when the log has no channel column)."""
    channel = channel_column or next((c for c in ("Channel", "channel") if c in ev.columns), None)
    counts: dict[str, int] = {}
    if channel is not None:
        first = ev.groupby(CASE, sort=True)[channel].first()
        for case_id in case_ids:
            value = first[case_id]
            key = "(missing)" if value is None or value != value else str(value)  # None or NaN
            counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def _satisfaction_gap(ev: pd.DataFrame, column: str, called_back: set[str]) -> dict[str, Any]:
    """Mean scores of the groups the simulation treats differently: call-backs and long waits."""
    same_case = ev[CASE].eq(ev[CASE].shift(-1))
    waits = (ev[START].shift(-1) - ev[TIMESTAMP]).dt.total_seconds().where(same_case, 0.0)
    waited = waits.groupby(ev[CASE], sort=True).sum()
    score = ev.groupby(CASE, sort=True)[column].first().astype(float)
    long_wait = waited > LONG_WAIT_SECONDS
    call_back = score.index.isin(sorted(called_back))

    def mean(mask: Any) -> float | None:
        return round(float(score[mask].mean()), 2) if mask.any() else None

    return {
        "mean": round(float(score.mean()), 2),
        "with_call_back": mean(call_back),
        "without_call_back": mean(~call_back),
        "long_wait_days": LONG_WAIT_SECONDS // 86400,
        "with_long_wait": mean(long_wait.to_numpy()),
        "without_long_wait": mean(~long_wait.to_numpy()),
        "cases_with_long_wait": int(long_wait.sum()),
    }


def handover_waits(events: pd.DataFrame) -> list[dict[str, Any]]:
    """Waits per directly-following pair (start of the next minus completion of the previous activity),
    largest total first; durations in seconds."""
    ev = _in_case_order(events)
    same_case = ev[CASE].eq(ev[CASE].shift(-1))
    waits = (ev[START].shift(-1) - ev[TIMESTAMP]).dt.total_seconds()
    pairs = ev.assign(target=ev[ACTIVITY].shift(-1), wait=waits)[same_case]
    grouped = pairs.groupby([ACTIVITY, "target"], sort=True)["wait"].agg(["count", "sum", "mean"])
    grouped = grouped.sort_values("sum", ascending=False, kind="stable")
    return [
        {
            "source": str(source),
            "target": str(target),
            "count": int(row["count"]),
            "total_wait": round(float(row["sum"]), 1),
            "mean_wait": round(float(row["mean"]), 1),
        }
        for (source, target), row in grouped.iterrows()
    ]


def _in_case_order(events: pd.DataFrame) -> pd.DataFrame:
    """Events by case and start; a log without start times counts waits from completion to completion."""
    if START not in events.columns or events[START].isna().any():
        start = events[START].fillna(events[TIMESTAMP]) if START in events.columns else events[TIMESTAMP]
        events = events.assign(**{START: start})
    return events.sort_values([CASE, START, TIMESTAMP], kind="stable")
