"""The customer lens: how segments (channel, customer type, product...) fare, what customers say
(satisfaction scores), and how often they are touched and handed from one person to the next.

Deviations come from outside (the conformance analysis) as a mapping case id -> deviation kinds (an empty
collection for a conforming case), so this module needs no model and no conformance internals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from procmine.analyses import counted
from procmine.analyses import satisfaction as sat
from procmine.analyses import segments as seg
from procmine.analyses.case_groups import CaseGroups, Deviations
from procmine.engine import times
from procmine.errors import InputError
from procmine.findings import Finding
from procmine.model.log import CANONICAL, CASE

if TYPE_CHECKING:
    from procmine.analyses.bottlenecks import Timing

MISSING = "(missing)"


def analyse_customer(
    timing: Timing,
    *,
    segments: list[str] | None = None,
    satisfaction_column: str | None = None,
    touchpoints: list[str] | None = None,
    deviations: Deviations | None = None,
    breach_target: float | None = None,
    bottlenecks: list[dict[str, Any]] | None = None,
    min_sample: int = sat.MIN_SAMPLE,
) -> tuple[dict[str, Any], list[Finding]]:
    """The ``customer`` section and its ``satisfaction_gap`` findings.

    ``breach_target``: the throughput-time SLA in seconds (None when no SLA was set).
    ``bottlenecks``: the ranked handovers (for "cases through the bottleneck score lower").
    The cases are split into groups (``CaseGroups``: one entry per case) only when some attribute is
    tested or scores are compared.
    """
    log = timing.log
    attrs, names = _case_attributes(log, list(segments or []), satisfaction_column)
    column = sat.detect_column(attrs, satisfaction_column)
    scores = sat.scores(attrs[column]) if column else None
    for name in segments or []:
        if name not in names:
            raise InputError("--segment", f"no case attribute {name!r} in the log (have: {_names(names)})")
    tested = list(segments) if segments else seg.candidates(attrs, exclude={column})
    needed = bool(tested) or column is not None
    groups = CaseGroups.of(timing, breach_target, deviations) if needed else None
    scale = sat.scale_range(column, scores) if column and scores is not None else None
    selection = seg.select(attrs, tested, groups, scores, scale) if groups else seg.Selection([], [], [])
    chosen = list(segments) if segments else selection.shown
    tables = {name: segment_table(groups, attrs[name], scores) for name in chosen} if groups else {}
    section: dict[str, Any] = {
        "min_sample": min_sample,
        "segments": {
            "detected": not segments,
            "columns": chosen,
            "by_column": tables,
            "more": [] if segments else selection.more,
            "tested": [t.to_dict() for t in selection.tests],
            "max_shown": seg.MAX_SHOWN,
            "min_group": seg.MIN_GROUP,
        },
        "satisfaction": None,
        "touchpoints": touchpoint_summary(timing, touchpoints) if touchpoints else None,
    }
    findings: list[Finding] = []
    if column and scores is not None and groups is not None:
        section["satisfaction"], findings = sat.analyse(
            timing,
            column,
            scores,
            deviations=deviations,
            groups=groups,
            bottlenecks=bottlenecks or [],
            min_sample=min_sample,
        )
    return section, findings


def _case_attributes(
    log: Any, segments: list[str], satisfaction_column: str | None
) -> tuple[pd.DataFrame, list[str]]:
    """The case attributes the lens may use, and the names of all of them. When the log lives in the
    engine only these come back, one row per case: the columns named, those whose name may say "score",
    and those with few enough distinct values to be a segment (no row at all when there is none)."""
    if log.has_frame or log.store is None:
        attrs = case_attributes(log.events, log.case_attributes)
        return attrs, list(attrs.columns)
    from procmine.engine import cases
    from procmine.engine.db import connect

    con = connect(log)
    names = cases.case_attribute_names(con, log.case_attributes)
    counts = cases.distinct_values(con, [n for n in names if n not in segments and n != satisfaction_column])
    wanted = [
        n
        for n in names
        if n not in counts or sat.may_be_score(n) or seg.MIN_VALUES <= counts[n] <= seg.MAX_VALUES + 1
    ]
    if not wanted:
        return pd.DataFrame(), names
    return cases.case_attribute_table(con, wanted), names


def case_attributes(events: pd.DataFrame, known: list[str]) -> pd.DataFrame:
    """One row per case (indexed by case id) with its case-level columns.

    The reader names the case-level columns (one value per case, missing or not, checked on every row);
    the events are sorted by case id, so each case's first row holds its values. When the reader named
    none, columns that never vary within a case are taken."""
    names = [c for c in known if c in events.columns]
    if names:
        first = _first_rows(events[CASE])
        return pd.DataFrame(
            {name: events[name].to_numpy()[first] for name in names},
            index=pd.Index(events[CASE].to_numpy()[first], name=CASE),
        )
    others = [c for c in events.columns if c not in CANONICAL]
    if not others:
        return pd.DataFrame(index=pd.Index(sorted(events[CASE].unique()), name=CASE))
    varying = events.groupby(CASE)[others].nunique(dropna=True).max()
    names = [c for c in others if varying[c] <= 1]
    return events.groupby(CASE, sort=True)[names].first()


def _first_rows(case: pd.Series) -> np.ndarray:
    """Positions where a new case begins in a frame sorted by case id."""
    if not len(case):
        return np.zeros(0, dtype=np.int64)
    ids = pa.array(case, type=pa.string(), from_pandas=True)
    changed = pc.not_equal(ids[1:], ids[:-1]).to_numpy(zero_copy_only=False)
    return np.concatenate([[0], np.flatnonzero(changed) + 1])


def segment_table(groups: CaseGroups, values: pd.Series, scores: pd.Series | None) -> list[dict[str, Any]]:
    labels = pd.Series(groups.align(values), dtype=object)
    labels = labels.where(labels.notna(), MISSING).astype(str).to_numpy(dtype=object)
    codes, uniques = pd.factorize(labels)
    score = None if scores is None else groups.align(scores).astype(float)
    total = len(labels)
    out = []
    for k, value in enumerate(uniques):
        inside = codes == k
        n = int(inside.sum())
        throughput = pd.Series(groups.throughput[inside])
        row: dict[str, Any] = {
            "value": value,
            "cases": n,
            "share": n / total,
            "median_throughput": float(throughput.median()),
            "p90_throughput": float(throughput.quantile(0.9)),
        }
        if groups.breached is not None:
            hits = int(groups.breached[inside].sum())
            row.update(sla_breaches=hits, sla_breach_rate=hits / n)
        if groups.known is not None and groups.deviating is not None:
            known = int(groups.known[inside].sum())
            deviating = int((groups.deviating & groups.known)[inside].sum())
            row.update(deviating_cases=deviating, deviating_share=deviating / known if known else None)
        if score is not None:
            mine = score[inside]
            mine = mine[~np.isnan(mine)]
            row.update(satisfaction_n=len(mine), satisfaction_mean=float(mine.mean()) if len(mine) else None)
        out.append(row)
    return sorted(out, key=lambda r: (-r["cases"], r["value"]))


def touchpoint_summary(timing: Timing, activities: list[str]) -> dict[str, Any]:
    """Touchpoints per case and the hand-offs between people the customer experiences (counted per value
    in the engine: the figures are those of the per-case columns, ``analyses.counted``)."""
    known = set(timing.activities["activity"])
    present = [a for a in activities if a in known]
    pairs = times.touchpoint_counts(timing.con, present)
    touches = counted.distribution((t, n) for t, _, n in pairs)
    handoffs = counted.distribution((h, n) for _, h, n in pairs)
    cases = sum(touches.values())
    with_handoff = cases - handoffs.get(0, 0)
    by_activity = timing.activities.set_index("activity")["executions"]
    return {
        "activities": list(activities),
        "unknown": [a for a in activities if a not in known],
        "cases": cases,
        "cases_without": touches.get(0, 0),
        "per_case": counted.describe(touches),
        "by_activity": {a: int(by_activity[a]) for a in present},
        "handoffs": None
        if not timing.log.has_resources
        else {
            "total": sum(h * n for h, n in handoffs.items()),
            "cases_with_handoff": with_handoff,
            "share_of_cases": with_handoff / cases if cases else None,
            "per_case": counted.describe(handoffs),
        },
    }


def _names(names: list[str]) -> str:
    return ", ".join(map(str, names)) or "none"
