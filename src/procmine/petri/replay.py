"""Does a net accept a trace? Exact search over markings, silent transitions included.

Used by the tests of the translation (which traces a BPMN construct allows) and available to lint for
example paths. Not for large logs: conformance uses optimal alignments in the adapter layer.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence

from procmine.petri.net import Marking, PetriNet, Place, enabled, fire, freeze


def accepts(
    net: PetriNet,
    initial: Mapping[Place, int],
    final: Mapping[Place, int],
    trace: Sequence[str],
    *,
    max_states: int = 200_000,
    max_tokens: int | None = None,
) -> bool:
    """True when firing transitions from ``initial`` can produce exactly ``trace`` and end in ``final``.

    Markings with more than ``max_tokens`` tokens (default: trace length + 8) are not explored, so nets
    whose silent transitions add tokens still give an answer.
    """
    bound = max_tokens if max_tokens is not None else len(trace) + 8
    target = freeze(final)
    start = (freeze(initial), 0)
    seen = {start}
    queue: deque[tuple[Marking, int]] = deque([(dict(initial), 0)])
    while queue:
        marking, position = queue.popleft()
        if position == len(trace) and freeze(marking) == target:
            return True
        for transition in enabled(net, marking):
            if transition.label is None:
                step = position
            elif position < len(trace) and transition.label == trace[position]:
                step = position + 1
            else:
                continue
            after = fire(net, transition, marking)
            if sum(after.values()) <= bound:
                _visit(seen, queue, after, step, max_states)
    return False


def language(
    net: PetriNet,
    initial: Mapping[Place, int],
    final: Mapping[Place, int],
    *,
    max_length: int = 8,
    max_states: int = 200_000,
) -> set[tuple[str, ...]]:
    """Every visible trace of at most ``max_length`` labels that ends in ``final`` (markings of more than
    ``max_length + 8`` tokens are not explored)."""
    target = freeze(final)
    found: set[tuple[str, ...]] = set()
    start = (freeze(initial), ())
    seen = {start}
    queue: deque[tuple[Marking, tuple[str, ...]]] = deque([(dict(initial), ())])
    while queue:
        marking, trace = queue.popleft()
        if freeze(marking) == target:
            found.add(trace)
        for transition in enabled(net, marking):
            longer = trace if transition.label is None else (*trace, transition.label)
            if len(longer) > max_length:
                continue
            after = fire(net, transition, marking)
            if sum(after.values()) <= max_length + 8:
                _visit(seen, queue, after, longer, max_states)
    return found


def _visit(seen: set, queue: deque, marking: Marking, progress: object, max_states: int) -> None:
    """Queue (marking, progress) unless it was seen; a search past ``max_states`` states is refused."""
    key = (freeze(marking), progress)
    if key not in seen:
        if len(seen) >= max_states:
            raise RuntimeError(f"state space over {max_states} states")
        seen.add(key)
        queue.append((marking, progress))
