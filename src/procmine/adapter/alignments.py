"""Optimal alignments with r4pm (Rust), once per trace variant, in parallel, with a time cap per trace.

Why this shape: pm4py's A* aligner spends minutes on a real log because it aligns in Python and has a long
tail per variant. r4pm computes the same optimal alignments in Rust (same standard cost function as pm4py:
log and model moves 10,000, silent moves 1, synchronous moves 0, so costs and fitness are comparable one to
one). Variants are aligned once each; worker processes share the work because the Rust call holds the GIL.
A variant whose search exceeds the time cap (or the state cap) is not aligned: the caller falls back to
token replay for it and reports that it did.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from procmine.adapter.netspec import NetSpec

FIRST_PASS_STATES = 200_000  # per trace; nearly every real variant needs far fewer
MOVE_COST = 10_000  # pm4py's STD_MODEL_LOG_MOVE_COST
SILENT_COST = 1
COST_FUNCTION = {
    "log_move_cost": MOVE_COST,
    "model_move_cost": MOVE_COST,
    "sync_move_cost": 0,
    "silent_move_cost": SILENT_COST,
}


@dataclass(frozen=True)
class Move:
    kind: str  # "sync" | "log" | "model" (model moves include silent transitions; see is_silent)
    event_index: int | None  # position in the trace (sync and log moves)
    transition_id: str | None  # our transition id (sync and model moves)


@dataclass
class TraceAlignment:
    """One variant's optimal alignment, or why there is none (``failure``)."""

    cost: int | None
    moves: tuple[Move, ...] = ()
    states: int = 0
    failure: str | None = None  # "time cap", "state cap", or the engine's error


def empty_trace_cost(net: NetSpec) -> int:
    """Cost of the cheapest run through the model with no log at all (pm4py's "best worst cost")."""
    from r4pm.bindings.conformance.case_centric import alignments as r4

    r4net, _ = net.to_r4pm()
    return int(r4.align_empty_trace(r4net, {"cost_fn": COST_FUNCTION})["cost"])


def align_traces(
    net: NetSpec,
    traces: Sequence[tuple[str, ...]],
    *,
    processes: int | None = None,
    time_cap: float | None = 10.0,
    first_pass_states: int | None = None,
) -> list[TraceAlignment]:
    """Align each trace (an activity sequence, normally one per variant) against ``net``.

    Two passes. First, all traces in one r4pm call (the net is converted once, r4pm spreads the traces over
    its threads), each search capped at ``first_pass_states`` states (default ``FIRST_PASS_STATES``).
    Then the few traces that hit that cap
    are aligned one by one in ``processes`` worker processes without a state cap, each given up after
    ``time_cap`` seconds (None: never) with ``failure="time cap"``.
    """
    if not traces:
        return []
    r4net, back = net.to_r4pm()
    results = _align_all(r4net, traces, first_pass_states or FIRST_PASS_STATES)
    retry = [i for i, r in enumerate(results) if r.get("failure") == "state cap"]
    if retry:
        options = {"cost_fn": COST_FUNCTION, "max_states": None}
        workers = max(1, min(processes or _cores(), len(retry)))
        if time_cap is None and workers == 1:
            second = [_align_one(r4net, list(traces[i]), options) for i in retry]
        else:
            second = _Pool(r4net, options, workers, time_cap).run([traces[i] for i in retry])
        for index, result in zip(retry, second, strict=True):
            results[index] = result
    return [_convert(r, back) for r in results]


def _align_all(r4net: dict[str, Any], traces: Sequence[tuple[str, ...]], max_states: int) -> list[dict]:
    """One r4pm ``align_variants`` call over an activity projection holding each distinct trace once."""
    import polars as pl
    import r4pm
    from r4pm.bindings.conformance.case_centric import alignments as r4
    from r4pm.bindings.core.event_data.case_centric.utils import activity_projection

    distinct = list(dict.fromkeys(tuple(t) for t in traces))
    cases = [f"{i:09d}" for i, trace in enumerate(distinct) for _ in trace]
    frame = pl.DataFrame(
        {
            "case:concept:name": cases,
            "concept:name": [a for trace in distinct for a in trace],
            "time:timestamp": _ticks(len(cases)),
        }
    )
    log_id = r4pm.import_item_from_df("EventLog", frame)
    projection_id = activity_projection.log_to_activity_projection(log_id)
    try:
        answers = r4.align_variants(
            r4net, projection_id, {"cost_fn": COST_FUNCTION, "max_states": max_states}
        )
    finally:
        r4pm.remove_item(projection_id)
        r4pm.remove_item(log_id)
    by_trace: dict[tuple[str, ...], dict] = {}
    for answer in answers:
        result = answer["result"]
        if "Ok" in result:
            by_trace[tuple(answer["activities"])] = result["Ok"]
        else:
            error = str(result.get("Err"))
            by_trace[tuple(answer["activities"])] = {
                "failure": "state cap" if "LimitReached" in error else error[:200]
            }
    empty = [t for t in distinct if not t]
    if empty:  # a projection has no empty traces; align it on its own
        by_trace[()] = _align_one(r4net, [], {"cost_fn": COST_FUNCTION, "max_states": max_states})
    return [dict(by_trace[tuple(t)]) for t in traces]


def _ticks(n: int) -> Any:
    """n strictly increasing timestamps, one second apart (the projection orders events by time)."""
    import polars as pl

    return (pl.int_range(0, n, eager=True) * 1_000_000).cast(pl.Datetime("us"))


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _align_one(r4net: dict[str, Any], trace: list[str], options: dict[str, Any]) -> dict[str, Any]:
    from r4pm.bindings.conformance.case_centric import alignments as r4

    try:
        return r4.align_trace(r4net, trace, options)
    except Exception as exc:  # r4pm reports search failures as exceptions
        text = str(exc)
        return {"failure": "state cap" if "LimitReached" in text else text[:200]}


def _convert(result: dict[str, Any], back: dict[str, str]) -> TraceAlignment:
    if "failure" in result:
        return TraceAlignment(cost=None, failure=result["failure"])
    moves = []
    for move in result["moves"]:
        ((kind, body),) = move.items()
        transition = back.get(body["transition"]) if "transition" in body else None
        short = {"SyncMove": "sync", "LogMove": "log", "ModelMove": "model"}[kind]
        moves.append(Move(short, body.get("trace_event_index"), transition))
    return TraceAlignment(cost=int(result["cost"]), moves=tuple(moves), states=int(result["states_visited"]))


def _worker(conn: Connection, r4net: dict[str, Any], options: dict[str, Any]) -> None:
    """Align the traces sent in batches; answer one message per trace, so the parent can time each one."""
    while True:
        batch = conn.recv()
        if batch is None:
            return
        for index, trace in batch:
            conn.send((index, _align_one(r4net, list(trace), options)))


@dataclass
class _Slot:
    process: Any
    conn: Connection
    batch: deque  # indexes sent and not yet answered, in order
    since: float = 0.0  # when the trace now being aligned started


class _Pool:
    """Worker processes fed small batches; a worker stuck on one trace beyond the cap is replaced."""

    def __init__(self, r4net: dict[str, Any], options: dict[str, Any], workers: int, time_cap: float | None):
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self.ctx = multiprocessing.get_context(method)
        self.r4net, self.options, self.workers, self.time_cap = r4net, options, workers, time_cap

    def _start(self) -> _Slot:
        parent, child = self.ctx.Pipe()
        process = self.ctx.Process(target=_worker, args=(child, self.r4net, self.options), daemon=True)
        process.start()
        child.close()
        return _Slot(process, parent, deque())

    def run(self, traces: Sequence[tuple[str, ...]]) -> list[dict[str, Any]]:
        results: list[dict[str, Any] | None] = [None] * len(traces)
        # longest first: the long tail starts early instead of holding up the end
        pending = deque(sorted(range(len(traces)), key=lambda i: -len(traces[i])))
        slots = [self._start() for _ in range(self.workers)]
        try:
            while pending or any(s.batch for s in slots):
                for slot in slots:
                    if not slot.batch and pending:
                        size = max(1, min(64, len(pending) // (4 * len(slots))))
                        batch = [pending.popleft() for _ in range(min(size, len(pending)))]
                        slot.batch.extend(batch)
                        slot.since = time.monotonic()
                        slot.conn.send([(i, traces[i]) for i in batch])
                busy = [s for s in slots if s.batch]
                timeout = None
                if self.time_cap is not None:
                    timeout = max(0.0, min(s.since + self.time_cap for s in busy) - time.monotonic())
                ready = wait([s.conn for s in busy], timeout)
                for slot in busy:
                    if slot.conn in ready:
                        self._receive(slot, results)
                slots = [self._replace_if_stuck(s, results, pending) for s in slots]
        finally:
            for slot in slots:
                self._stop(slot)
        return [r if r is not None else {"failure": "worker lost"} for r in results]

    def _receive(self, slot: _Slot, results: list[dict[str, Any] | None]) -> None:
        try:
            while slot.batch and slot.conn.poll():
                index, result = slot.conn.recv()
                results[index] = result
                slot.batch.remove(index)
                slot.since = time.monotonic()
        except (EOFError, OSError):  # the worker died (e.g. out of memory): its trace fails, the rest retry
            if slot.batch:
                results[slot.batch.popleft()] = {"failure": "worker died"}

    def _replace_if_stuck(self, slot: _Slot, results: list, pending: deque) -> _Slot:
        alive = slot.process.is_alive()
        stuck = (
            bool(slot.batch) and self.time_cap is not None and time.monotonic() - slot.since > self.time_cap
        )
        if not slot.batch or (alive and not stuck):
            return slot
        if stuck and results[slot.batch[0]] is None:
            results[slot.batch.popleft()] = {"failure": "time cap"}
        pending.extendleft(reversed(slot.batch))  # the rest of its batch goes back in the queue
        slot.batch.clear()
        self._stop(slot, force=True)
        return self._start()

    @staticmethod
    def _stop(slot: _Slot, force: bool = False) -> None:
        if force or slot.batch:
            slot.process.kill()
        else:
            try:
                slot.conn.send(None)
            except OSError:
                slot.process.kill()
        slot.process.join(timeout=5)
        slot.conn.close()
