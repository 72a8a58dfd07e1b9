"""Figures per quarter and per month, and the change of the latest period against the one before.

A case belongs to the period in which it ended (its last event): a quarterly audit reports the cases closed
in the quarter, and a throughput time is only known once a case has ended. Periods are calendar quarters and
months in UTC. A period the log covers only in part (the log starts after it began or stops before it ended)
is flagged ``partial``, because its counts are not comparable with a full one.

Per period: cases, events, median / p90 / mean throughput time (seconds), SLA breach rate when an SLA is
given, and mean fitness and share of conforming cases when per-case fitness is given (from the conformance
check). ``change`` compares the last period with the previous one (absolute and relative difference).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from procmine.model.log import CASE, START, TIMESTAMP

if TYPE_CHECKING:
    import pandas as pd

    from procmine.model.log import EventLog

METRICS = (
    "cases",
    "events",
    "throughput_median",
    "throughput_p90",
    "throughput_mean",
    "sla_breach_rate",
    "mean_fitness",
    "conforming_share",
)


def case_table(log: EventLog) -> pd.DataFrame:
    """One row per case: first moment (start times included), last completion, events, throughput (s)."""
    ev = log.events
    first = ev[TIMESTAMP]
    if START in ev.columns:
        first = ev[START].where(ev[START].notna() & (ev[START] < ev[TIMESTAMP]), ev[TIMESTAMP])
    frame = ev[[CASE]].assign(first=first, last=ev[TIMESTAMP])
    cases = frame.groupby(CASE, sort=True, observed=True).agg(
        started=("first", "min"), ended=("last", "max"), events=("last", "size")
    )
    cases["throughput"] = (cases["ended"] - cases["started"]).dt.total_seconds()
    return cases


def period_figures(
    log: EventLog,
    *,
    sla_seconds: float | None = None,
    case_fitness: Mapping[str, float] | None = None,
    conforming_at: float = 1.0,
) -> dict[str, Any]:
    """The ``periods`` section of the report (see the module docstring)."""
    cases = case_table(log)
    if case_fitness is not None:
        cases["fitness"] = cases.index.map(lambda c: case_fitness.get(c))
    first, last = _span(log)
    out: dict[str, Any] = {"basis": "case end", "timezone": "UTC"}
    for name, freq in (("quarters", "Q"), ("months", "M")):
        out[name] = _by_period(cases, freq, first, last, sla_seconds, conforming_at)
    out["change"] = change(out["quarters"]) if len(out["quarters"]) > 1 else None
    out["granularity"] = "quarter"
    out["throughput_histogram"] = histogram(cases["throughput"])
    return out


def histogram(values: pd.Series, bins: int = 20) -> list[dict[str, Any]]:
    """Equal-width bins from 0 to the 99th percentile; the last bin also holds the slowest 1 %, so one
    extreme case does not squash the chart (its upper edge is then the maximum)."""
    values = values.dropna()
    if values.empty:
        return []
    top = float(values.quantile(0.99)) or float(values.max()) or 1.0
    width = top / bins
    index = (values // width).clip(upper=bins - 1).astype(int)
    counts = index.value_counts().reindex(range(bins), fill_value=0)
    edges = [i * width for i in range(bins + 1)]
    edges[-1] = max(edges[-1], float(values.max()))
    return [{"low": edges[i], "high": edges[i + 1], "count": int(counts[i])} for i in range(bins)]


def _span(log: EventLog) -> tuple[Any, Any]:
    ev = log.events
    if not len(ev):
        return None, None
    first = ev[TIMESTAMP].min()
    if START in ev.columns and ev[START].notna().any():
        first = min(first, ev[START].min())
    return first, ev[TIMESTAMP].max()


def _by_period(
    cases: pd.DataFrame, freq: str, first: Any, last: Any, sla: float | None, conforming_at: float
) -> list[dict[str, Any]]:
    if cases.empty:
        return []
    naive = cases["ended"].dt.tz_convert("UTC").dt.tz_localize(None)
    key = naive.dt.to_period(freq)
    rows = []
    for period, group in cases.groupby(key, sort=True, observed=True):
        start = period.start_time.tz_localize("UTC")
        end = (period + 1).start_time.tz_localize("UTC")
        tp = group["throughput"]
        row: dict[str, Any] = {
            "period": _label(period, freq),
            "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "end": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "partial": bool(first > start or last < end - _one_day()),
            "cases": len(group),
            "events": int(group["events"].sum()),
            "throughput_median": float(tp.median()),
            "throughput_p90": float(tp.quantile(0.9)),
            "throughput_mean": float(tp.mean()),
            "sla_breach_rate": float((tp > sla).mean()) if sla is not None else None,
            "mean_fitness": None,
            "conforming_share": None,
        }
        if "fitness" in group and group["fitness"].notna().any():
            known = group["fitness"].dropna().astype(float)
            row["mean_fitness"] = float(known.mean())
            row["conforming_share"] = float((known >= conforming_at - 1e-9).mean())
        rows.append(row)
    return rows


def _one_day() -> Any:
    import pandas as pd

    return pd.Timedelta(days=1)


def _label(period: Any, freq: str) -> str:
    return f"{period.year}-Q{period.quarter}" if freq == "Q" else f"{period.year}-{period.month:02d}"


def change(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The last period against the one before: per metric previous, current, delta and relative delta."""
    previous, current = rows[-2], rows[-1]
    out: dict[str, Any] = {"period": current["period"], "previous": previous["period"]}
    for metric in METRICS:
        before, now = previous.get(metric), current.get(metric)
        if before is None or now is None:
            out[metric] = None
            continue
        out[metric] = {
            "previous": before,
            "current": now,
            "delta": now - before,
            "relative": (now - before) / before if before else None,
        }
    out["partial"] = bool(current["partial"] or previous["partial"])
    return out
