"""Queues and waits on others: which long waits are internal queues, and which wait on someone else.

A wait is an **internal queue** when work waits for the organisation's own people or machines. Then the wait
grows with the work already waiting: a case that arrives behind many others waits longer than one that finds
the step free. procmine measures, for every wait, how many cases were already waiting for the same step when
the work became ready, and tests per handover whether the wait grows with that number (Spearman's rank
correlation, one-sided, Benjamini-Hochberg adjusted over all handovers tested). A queue needs
``MIN_WAITS`` waits, a correlation of at least ``MIN_RHO`` and an adjusted p value below ``ALPHA``.

Every other long wait is a **wait on someone else**: the customer paying, a partner answering, a timer
running, a patient at home. The documented model says so directly (a receive task, a message or timer
catch event before the step, a task in a customer's or partner's lane or pool: see ``model_paths``), and so
does ``--external ACTIVITY``. A wait without queueing evidence is not called a bottleneck either: capacity
would not shorten it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from procmine.analyses import significance as sig
from procmine.engine import waits as wait_sql
from procmine.sections.waits import QueueEvidence, WaitRow, WaitsSection

if TYPE_CHECKING:
    from procmine.analyses.bottlenecks import Timing
    from procmine.analyses.model_paths import ModelPaths

MIN_WAITS = 30
MIN_RHO = 0.3
ALPHA = 0.05
ROWS = 100


def measure(timing: Timing, paths: ModelPaths | None) -> pd.DataFrame:
    """Every wait (``engine.waits``) with ``waiting``: the work in progress at the same step (waiting for
    it, or being worked on) when this one's work became ready. (One row per wait: ``classify`` reads the
    waits one step at a time instead, see ``by_target``.)"""
    prepare(timing, paths)
    frame = wait_sql.waits_frame(timing.con)
    frame["waiting"] = already_waiting(frame)
    return frame


def prepare(timing: Timing, paths: ModelPaths | None) -> None:
    """Build the waits in the engine (``engine.waits``), from the model's predecessors when it has them."""
    by_model = bool(paths and paths.predecessors)
    if by_model:
        wait_sql.set_predecessors(timing.con, paths.predecessors)  # type: ignore[union-attr]
    wait_sql.build_waits(timing.con, by_model)


def by_target(timing: Timing) -> Iterator[pd.DataFrame]:
    """The waits (``prepare`` built them) one target step at a time, in the order of ``measure``'s frame,
    with ``waiting``: a log of any size holds one step's waits in memory, not all of them."""
    for target in wait_sql.targets(timing.con):
        frame = wait_sql.target_waits(timing.con, target)
        frame["waiting"] = already_waiting(frame)
        yield frame


def already_waiting(frame: pd.DataFrame) -> np.ndarray:
    """Per wait: the work in progress at its step when it became ready: how many others became ready for
    the same step before it and were not done with it by then (waiting, or being worked on)."""
    out = np.zeros(len(frame), dtype=np.int64)
    joined_all = frame["joined"].to_numpy(dtype=float)
    left_all = np.maximum(frame["done_at"].to_numpy(dtype=float), joined_all)
    for idx in frame.groupby("target", sort=True).indices.values():
        joined, left = joined_all[idx], left_all[idx]
        begun = np.searchsorted(np.sort(joined), joined, "left")  # joined before t
        ended = np.searchsorted(np.sort(left), joined, "right")  # left by t (joined at t and left: not begun)
        instant = np.sort(joined[left == joined])
        ended -= np.searchsorted(instant, joined, "right") - np.searchsorted(instant, joined, "left")
        out[idx] = begun - ended
    return out


def classify(
    timing: Timing,
    waits: pd.DataFrame | Iterable[pd.DataFrame],
    paths: ModelPaths | None,
    external: Collection[str] = (),
) -> WaitsSection:
    """The ``waits`` section: every handover with a wait, classified, largest total wait first. ``waits``:
    ``measure``'s frame, or ``by_target``'s frames."""
    external = sorted(set(external))
    if isinstance(waits, pd.DataFrame):
        waits = [group for _, group in waits.groupby("target", sort=True)]
    parts, tested = [], {}
    for frame in waits:
        parts.append(_pair_stats(frame))
        pairs = frame.groupby(["source", "target"], sort=True, observed=True)
        tested.update({(str(s), str(t)): _evidence(g) for (s, t), g in pairs if len(g) >= MIN_WAITS})
    tested = dict(sorted(tested.items()))
    stats = _handover_stats(timing, parts)
    keys = [k for k, e in tested.items() if e.p_value is not None]
    adjusted = dict(zip(keys, sig.benjamini_hochberg([tested[k].p_value for k in keys]), strict=True))
    rows = []
    for item in stats.to_dict("records"):
        key = (item["source"], item["target"])
        evidence = tested.get(key)
        if evidence is not None and key in adjusted:
            evidence = QueueEvidence(**{**evidence.to_dict(), "q_value": adjusted[key]})
        kind, reason = _kind(item["target"], evidence, paths, external)
        shown = evidence if kind != "outside" else None
        rows.append(_row(item, kind, reason, shown, timing.total_throughput))
    queues = sum(1 for r in rows if r.kind == "queue")
    return WaitsSection(
        basis="documented model" if paths and paths.predecessors else "previous event",
        min_waits=MIN_WAITS,
        min_rho=MIN_RHO,
        alpha=ALPHA,
        external=external,
        queues=queues,
        summary=_summary(rows, queues),
        handovers=rows[:ROWS],
    )


def _pair_stats(frame: pd.DataFrame) -> pd.DataFrame:
    """Per handover (source, target) of ``frame``: count, median, mean, total, max, p90, overlaps."""
    pairs = frame.groupby(["source", "target"], sort=True, observed=True)
    stats = pairs["wait"].agg(["count", "median", "mean", "sum", "max"]).rename(columns={"sum": "total"})
    stats["p90"] = pairs["wait"].quantile(0.9)
    stats["overlaps"] = pairs["overlap"].sum()
    stats = stats.reset_index()
    return stats.astype({"source": str, "target": str})


def _handover_stats(timing: Timing, parts: list[pd.DataFrame]) -> pd.DataFrame:
    stats = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if stats.empty or not (stats["total"] > 0).any():
        return pd.DataFrame(columns=["source", "target"])
    affected = wait_sql.handover_cases_affected(timing.con)
    stats = stats.merge(affected, on=["source", "target"], how="left")
    stats = stats[stats["total"] > 0]
    return stats.sort_values(["total", "source", "target"], ascending=[False, True, True], kind="stable")


def _evidence(group: pd.DataFrame) -> QueueEvidence:
    waiting = group["waiting"].to_numpy(dtype=float)
    wait = group["wait"].to_numpy(dtype=float)
    test = sig.spearman_positive(waiting, wait)
    low, high = np.quantile(waiting, [1 / 3, 2 / 3])
    few, many = waiting <= low, waiting >= high
    return QueueEvidence(
        waits=len(group),
        rho=test.statistic,
        p_value=test.p_value,
        q_value=None,
        few_waiting=int(low),
        wait_when_few=float(np.median(wait[few])) if few.any() else None,
        many_waiting=int(np.ceil(high)),
        wait_when_many=float(np.median(wait[many])) if many.any() else None,
    )


def _kind(
    target: str, evidence: QueueEvidence | None, paths: ModelPaths | None, external: list[str]
) -> tuple[str, str]:
    if target in external:
        return "outside", "named with --external"
    if paths is not None and target in paths.waits_on_others:
        return "outside", f"the documented model has {paths.waits_on_others[target]}"
    if evidence is None or evidence.rho is None:
        return "not_tested", f"fewer than {MIN_WAITS} waits: too few to tell a queue"
    rho = f"{sig.rho_text(evidence.rho)}, {sig.p_text(evidence.q_value)}"
    if evidence.rho >= MIN_RHO and evidence.q_value is not None and evidence.q_value < ALPHA:
        return "queue", f"the wait grows with the cases already waiting ({rho})"
    significant = evidence.q_value is not None and evidence.q_value < ALPHA
    if significant and evidence.rho > 0:
        rho = f"{sig.rho_text(evidence.rho)}, below {MIN_RHO}; {sig.p_text(evidence.q_value)}"
        return "no_queueing", f"the wait grows only slightly with the cases already waiting ({rho})"
    if evidence.rho >= MIN_RHO:
        return "no_queueing", f"the wait is not shown to grow with the cases already waiting ({rho})"
    return "no_queueing", f"the wait does not grow with the cases already waiting ({rho})"


def _row(item: dict, kind: str, reason: str, evidence: QueueEvidence | None, case_time: float) -> WaitRow:
    total = float(item["total"])
    affected = float(item.get("affected_throughput") or 0.0)
    cases = int(item.get("cases") or 0)
    return WaitRow(
        source=str(item["source"]),
        target=str(item["target"]),
        count=int(item["count"]),
        cases=cases,
        median=float(item["median"]),
        p90=float(item["p90"]),
        mean=float(item["mean"]),
        total=total,
        max=float(item["max"]),
        overlaps=int(item["overlaps"]),
        share_of_case_time=total / case_time if case_time else None,
        per_affected_case=total / cases if cases else total,
        share_of_affected_case_time=total / affected if affected else None,
        kind=kind,
        reason=reason,
        evidence=evidence,
    )


def _summary(rows: list[WaitRow], queues: int) -> str:
    if not rows:
        return "No case waits between its steps."
    if not queues:
        # not "they wait on customers...": the test shows only that no wait grows with the work waiting
        return (
            "No wait shows queueing: none grows with the work already waiting, so more capacity is not "
            "shown to shorten any of them."
        )
    return (
        f"{queues} handover{'s' if queues != 1 else ''} show{'' if queues != 1 else 's'} queueing: "
        "the wait grows with the work already waiting."
    )
