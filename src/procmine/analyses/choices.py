"""Skips at a choice: when an alignment skips one branch of an exclusive choice, any other branch would
have done as well, so the skip belongs to the choice, not to the branch the search happened to take.

An optimal alignment that needs a model move on "Release A" (the case has no release step at all) could as
well have moved on "Release B" .. "Release E": same cost, same marking afterwards. Reporting "Release A
skipped" would single out one branch by a tie-break. So for every run of consecutive model moves of an
alignment, all sets of visible tasks that lead from the marking before the run to the marking after it with
as many visible steps (silent steps free) are listed; tasks in every such set were skipped for sure, the
others form a choice of which none was done ("none of Release A-E").
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from procmine.adapter.compiled_net import Unsafe

if TYPE_CHECKING:
    from procmine.adapter.aligner import TraceAlignment
    from procmine.adapter.compiled_net import CompiledNet

MAX_STATES = 5_000  # per run of model moves; beyond it the alignment's own tasks are taken as they are


@dataclass
class SkippedTasks:
    certain: list[str] = field(default_factory=list)  # tasks every equally good alignment skips
    choices: list[frozenset[str]] = field(default_factory=list)  # none of these was done (one was needed)


def skipped_tasks(net: CompiledNet, alignment: TraceAlignment) -> SkippedTasks:
    """The tasks an alignment skips (visible model moves), with the skips at choices grouped. ``net``
    labels transitions with the model's task names."""
    try:
        return _skipped(net, alignment)
    except Unsafe:
        return _skipped(net.counted(), alignment)


def _skipped(net: CompiledNet, alignment: TraceAlignment) -> SkippedTasks:
    out = SkippedTasks()
    marking = net.encode(net.initial_vector)
    run_start, run_labels = marking, []
    for move in alignment.moves:
        t = net.index_of[move.transition_id] if move.transition_id is not None else None
        if move.kind == "model":
            if net.label_of[t] >= 0:  # type: ignore[index]
                run_labels.append(net.labels[net.label_of[t]])  # type: ignore[index]
            marking = net.fire(marking, t)  # type: ignore[arg-type]
            continue
        if run_labels:
            _classify(net, run_start, marking, run_labels, out)
            run_labels = []
        if t is not None:
            marking = net.fire(marking, t)
        run_start = marking
    if run_labels:
        _classify(net, run_start, marking, run_labels, out)
    return out


def _classify(net: CompiledNet, start: object, end: object, labels: list[str], out: SkippedTasks) -> None:
    """Each task the run skipped, with the tasks that could replace it alone (same cost, same marking
    after the run): none means a certain skip, some mean a skip at a choice among them all."""
    options = _alternatives(net, start, end, len(labels))
    own = frozenset(labels)
    if options is None or own not in options:
        out.certain.extend(labels)
        return
    for label in labels:
        rest = own - {label}
        group = {label} | {x for option in options if rest <= option for x in option - rest}
        if len(group) == 1:
            out.certain.append(label)
        elif frozenset(group) not in out.choices:
            out.choices.append(frozenset(group))


def _alternatives(net: CompiledNet, start: object, end: object, visible: int) -> set[frozenset[str]] | None:
    """The sets of task labels of the runs from ``start`` to ``end`` with exactly ``visible`` visible
    steps; None when there are more states than ``MAX_STATES`` to look at."""
    first = (start, frozenset(), 0)
    seen, queue, found = {first}, deque([first]), set()
    while queue:
        marking, labels, count = queue.popleft()
        if count == visible and marking == end:
            found.add(labels)
        for t in net.enabled(marking):
            label = net.label_of[t]
            if label >= 0 and count == visible:
                continue
            after = net.fire(marking, t)
            if after is None:
                continue
            state = (after, labels | {net.labels[label]}, count + 1) if label >= 0 else (after, labels, count)
            if state not in seen:
                if len(seen) >= MAX_STATES:
                    return None
                seen.add(state)
                queue.append(state)
    return found
