"""Optimal alignments of a log's variants, within limits: procmine's own search (``aligner``), once per
variant, in worker processes.

Limits (``Limits``): at most ``max_states`` search states per variant (memory), ``time_cap`` seconds of CPU
time per variant (CPU, not wall-clock, so that a busy machine gives up on the same variants as a quiet one),
``time_budget`` seconds (wall-clock) for all of them. Variants are handed out most frequent first, so when the
budget runs out the variants not yet aligned are the rarest ones. A variant that hits a limit has no
alignment (``TraceAlignment.failure`` says which limit, ``lower_bound`` what is known of its cost); nothing
is estimated in its place. Each search is deterministic and depends only on the net and the trace, so the
alignments are the same on any number of workers (unless a time limit is hit, which depends on the machine).
"""

from __future__ import annotations

import multiprocessing
import os
import select
import time
from array import array
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from multiprocessing.connection import Connection, wait
from typing import Any

from procmine.adapter.aligner import DEFAULT_MAX_STATES, Move, TraceAlignment, align
from procmine.adapter.compiled_net import CompiledNet
from procmine.adapter.marking_equation import MOVE_COST
from procmine.adapter.netspec import NetSpec

__all__ = ["MOVE_COST", "Limits", "Move", "TraceAlignment", "align_traces", "empty_trace_cost"]

PARALLEL_FROM = 32  # variants: below this, worker processes cost more than they save
WATCHDOG_GRACE = 30.0  # seconds past its deadline before a worker is presumed stuck and replaced
STARVED = 10  # a CPU-time cap may take this many times longer in wall time on a busy machine


@dataclass(frozen=True)
class Limits:
    time_cap: float | None = 10.0  # CPU seconds per variant (None: none)
    time_budget: float | None = None  # wall-clock seconds for all variants together (None: none)
    max_states: int = DEFAULT_MAX_STATES  # search states per variant
    processes: int | None = None  # worker processes (None: all cores)


def empty_trace_cost(net: NetSpec, limits: Limits = Limits()) -> int | None:
    """Cost of the cheapest run through the model with no log at all (pm4py's "best worst cost" without
    the log part): MOVE_COST per visible transition. None when the model cannot complete or a limit hit."""
    return align(CompiledNet(net), (), max_states=limits.max_states, cpu_deadline=_cpu_deadline(limits)).cost


def align_traces(
    net: NetSpec,
    traces: Sequence[tuple[str, ...]],
    limits: Limits = Limits(),
    done: Callable[[int], None] | None = None,
) -> list[TraceAlignment]:
    """One alignment per trace (activity sequences, most frequent first), in the traces' order.
    ``done(n)`` is called as alignments complete (for progress lines)."""
    if not traces:
        return []
    budget_end = time.monotonic() + limits.time_budget if limits.time_budget is not None else None
    compiled = CompiledNet(net)
    workers = max(1, min(limits.processes or available_cores(), len(traces) // 8 or 1))
    if workers == 1 or len(traces) < PARALLEL_FROM:
        return _in_process(compiled, traces, limits, budget_end, done)
    return _Pool(compiled, limits, budget_end, workers).run(traces, done)


def _cpu_deadline(limits: Limits) -> float | None:
    return time.thread_time() + limits.time_cap if limits.time_cap is not None else None


def _align_one(
    net: CompiledNet, trace: tuple[str, ...], limits: Limits, budget_end: float | None
) -> TraceAlignment:
    if budget_end is not None and time.monotonic() >= budget_end:
        return TraceAlignment(None, failure="time budget")
    result = align(
        net, trace, max_states=limits.max_states, deadline=budget_end, cpu_deadline=_cpu_deadline(limits)
    )
    if result.failure == "time cap" and budget_end is not None and time.monotonic() >= budget_end:
        result.failure = "time budget"
    return result


def _in_process(
    net: CompiledNet,
    traces: Sequence[tuple[str, ...]],
    limits: Limits,
    budget_end: float | None,
    done: Callable[[int], None] | None,
) -> list[TraceAlignment]:
    results = []
    for trace in traces:
        results.append(_align_one(net, trace, limits, budget_end))
        if done is not None:
            done(len(results))
    return results


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _worker(conn: Connection, net: CompiledNet, limits: Limits, budget_end: float | None) -> None:
    """Align the traces sent in batches; answer one message per trace, so the parent can time each one."""
    net.equation = None  # a HiGHS model of its own in this process
    packing = _Packing(net)
    while True:
        batch = conn.recv()
        if batch is None:
            return
        for index, trace in batch:
            conn.send((index, packing.pack(_align_one(net, trace, limits, budget_end))))


_KINDS = ("sync", "log", "model")
_EVENT_BITS = 30  # event positions below 2**30 (a case holds far fewer events)
_OTHER_FIELDS = tuple(f.name for f in fields(TraceAlignment) if f.name != "moves")  # sent as they are


class _Packing:
    """An alignment as sent from a worker: its moves as one 64-bit code each (transition, event position,
    kind) in a byte string. Unpickling one object per move cost the parent most of its time while the
    workers aligned; the parent turns codes back into moves through a cache, so equal moves are one
    object."""

    def __init__(self, net: CompiledNet):
        self.index_of = net.index_of
        self.kind_of = {kind: k for k, kind in enumerate(_KINDS)}
        self.moves = _Moves(net.transition_ids)

    def pack(self, result: TraceAlignment) -> tuple:
        index_of, kind_of = self.index_of, self.kind_of
        codes = array(
            "q",
            [
                (index_of[m.transition_id] + 1 if m.transition_id is not None else 0) << (_EVENT_BITS + 2)
                | (m.event_index + 1 if m.event_index is not None else 0) << 2
                | kind_of[m.kind]
                for m in result.moves
            ],
        )
        return codes.tobytes(), tuple(getattr(result, name) for name in _OTHER_FIELDS)

    def unpack(self, packed: tuple) -> TraceAlignment:
        raw, values = packed
        codes = array("q")
        codes.frombytes(raw)
        moves = tuple(map(self.moves.__getitem__, codes))
        return TraceAlignment(moves=moves, **dict(zip(_OTHER_FIELDS, values, strict=True)))


class _Moves(dict):
    """code -> its Move, made the first time the code is seen."""

    def __init__(self, transition_ids: list[str]):
        super().__init__()
        self.ids = transition_ids

    def __missing__(self, code: int) -> Move:
        transition, event = code >> (_EVENT_BITS + 2), (code >> 2) & ((1 << _EVENT_BITS) - 1)
        move = Move(
            _KINDS[code & 3], event - 1 if event else None, self.ids[transition - 1] if transition else None
        )
        self[code] = move
        return move


@dataclass
class _Slot:
    process: Any
    conn: Connection
    batch: deque  # indexes sent and not yet answered, in order
    since: float = 0.0  # when the trace now being aligned started
    poller: Any = None  # select.poll() on the connection where there is one: "more to read?" in one call

    def __post_init__(self) -> None:
        if hasattr(select, "poll"):
            self.poller = select.poll()
            self.poller.register(self.conn.fileno(), select.POLLIN)

    def readable(self) -> bool:
        """An answer (or the end of the pipe) is waiting; ``Connection.poll`` builds a selector per call,
        and it is asked once per alignment."""
        return bool(self.poller.poll(0)) if self.poller is not None else self.conn.poll()


class _Pool:
    """Worker processes fed small batches. Each search stops itself at its deadline; a worker that does
    not answer well past it (or dies, e.g. out of memory) is replaced and its trace reported as failed."""

    def __init__(self, net: CompiledNet, limits: Limits, budget_end: float | None, workers: int):
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self.ctx = multiprocessing.get_context(method)
        self.net, self.limits, self.budget_end, self.workers = net, limits, budget_end, workers
        self.packing = _Packing(net)
        cap = limits.time_cap * STARVED if limits.time_cap is not None else limits.time_budget
        self.patience = cap + WATCHDOG_GRACE if cap is not None else None

    def _start(self) -> _Slot:
        parent, child = self.ctx.Pipe()
        args = (child, self.net, self.limits, self.budget_end)
        process = self.ctx.Process(target=_worker, args=args, daemon=True)
        process.start()
        child.close()
        return _Slot(process, parent, deque())

    def run(
        self, traces: Sequence[tuple[str, ...]], done: Callable[[int], None] | None
    ) -> list[TraceAlignment]:
        results: list[TraceAlignment | None] = [None] * len(traces)
        pending = deque(range(len(traces)))  # most frequent first: a budget cuts the rarest variants
        slots = [self._start() for _ in range(self.workers)]
        try:
            while pending or any(s.batch for s in slots):
                self._dispatch(slots, pending, traces)
                busy = [s for s in slots if s.batch]
                timeout = None
                if self.patience is not None:
                    timeout = max(0.0, min(s.since + self.patience for s in busy) - time.monotonic())
                ready = wait([s.conn for s in busy], timeout)
                for slot in busy:
                    if slot.conn in ready:
                        self._receive(slot, results)
                if done is not None:
                    done(sum(r is not None for r in results))
                slots = [self._replace_if_stuck(s, results, pending) for s in slots]
        finally:
            for slot in slots:
                self._stop(slot)
        return [r if r is not None else TraceAlignment(None, failure="worker lost") for r in results]

    def _dispatch(self, slots: list[_Slot], pending: deque, traces: Sequence[tuple[str, ...]]) -> None:
        for slot in slots:
            if not slot.batch and pending:
                size = max(1, min(64, len(pending) // (4 * len(slots))))
                batch = [pending.popleft() for _ in range(min(size, len(pending)))]
                slot.batch.extend(batch)
                slot.since = time.monotonic()
                slot.conn.send([(i, traces[i]) for i in batch])

    def _receive(self, slot: _Slot, results: list[TraceAlignment | None]) -> None:
        try:
            while slot.batch and slot.readable():
                index, packed = slot.conn.recv()
                results[index] = self.packing.unpack(packed)
                slot.batch.remove(index)
                slot.since = time.monotonic()
        except (EOFError, OSError):  # the worker died (e.g. out of memory): its trace fails, the rest retry
            if slot.batch:
                results[slot.batch.popleft()] = TraceAlignment(None, failure="worker died")

    def _replace_if_stuck(self, slot: _Slot, results: list, pending: deque) -> _Slot:
        alive = slot.process.is_alive()
        stuck = (
            bool(slot.batch) and self.patience is not None and time.monotonic() - slot.since > self.patience
        )
        if not slot.batch or (alive and not stuck):
            return slot
        if results[slot.batch[0]] is None:
            results[slot.batch.popleft()] = TraceAlignment(
                None, failure="time cap" if stuck else "worker died"
            )
        pending.extendleft(reversed(slot.batch))  # the rest of its batch goes back in the queue
        slot.batch.clear()
        self._stop(slot, force=True)
        return self._start()

    @staticmethod
    def _stop(slot: _Slot, force: bool = False) -> None:
        """An idle worker is told to stop and left to exit by itself (it has nothing left to do; tearing
        down its copy of this process takes ~10 ms, which the check need not wait for: multiprocessing
        reaps it); a busy or stuck one is killed and waited for."""
        if not force and not slot.batch:
            try:
                slot.conn.send(None)
                slot.conn.close()
                return
            except OSError:
                pass
        slot.process.kill()
        slot.process.join(timeout=5)
        slot.conn.close()
