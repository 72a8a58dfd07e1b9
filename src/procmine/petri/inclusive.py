"""Pair inclusive splits with the inclusive joins that close them, so the join waits for exactly the
branches the split started (BPMN's OR-join semantics, exact for block-structured models).

A split S and a join J are paired when every outgoing flow of S leads, without passing S or J again, to
exactly one incoming flow of J, and these are all different and cover J's incoming flows. The split then
records which combination it started (a memo place per combination) and the join consumes that memo
together with the tokens of exactly those branches. Unpaired joins fall back to an approximation that
the translation names in a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations

from procmine.model.bpmn import BpmnModel

MAX_INCLUSIVE_BRANCHES = 8  # 2**8 - 1 = 255 silent transitions for one inclusive gateway at most


def branch_combinations(flows: list[str], default: str | None) -> list[tuple[str, ...]]:
    """Every combination of outgoing flows an inclusive split may start: any non-empty set of the
    conditional ones, or the default flow alone. Above MAX_INCLUSIVE_BRANCHES: one or all (see docs)."""
    optional = [f for f in flows if f != default]
    if len(optional) > MAX_INCLUSIVE_BRANCHES:
        subsets = [(f,) for f in optional] + [tuple(optional)]
    else:
        subsets = [c for k in range(1, len(optional) + 1) for c in combinations(optional, k)]
    if default is not None:
        subsets.append((default,))
    return subsets


def pair_joins(
    model: BpmnModel, outgoing: Mapping[str, list[str]], incoming: Mapping[str, list[str]]
) -> dict[str, tuple[str, dict[str, str]]]:
    """join id -> (split id, split outgoing flow -> join incoming flow), for the pairs that match."""
    joins = [
        n for n in model.nodes.values() if n.type == "inclusiveGateway" and len(incoming.get(n.id, [])) > 1
    ]
    splits = [
        n for n in model.nodes.values() if n.type == "inclusiveGateway" and len(outgoing.get(n.id, [])) > 1
    ]
    pairs: dict[str, tuple[str, dict[str, str]]] = {}
    for join in joins:
        join_inputs = set(incoming[join.id])
        for split in splits:
            mapping = {}
            for flow in outgoing[split.id]:
                reached = _reached_inputs(model, outgoing, flow, split.id, join.id)
                if len(reached) != 1:
                    break
                mapping[flow] = next(iter(reached))
            else:
                if len(set(mapping.values())) == len(mapping) and set(mapping.values()) == join_inputs:
                    pairs[join.id] = (split.id, mapping)
                    break
    return pairs


def _reached_inputs(
    model: BpmnModel, outgoing: Mapping[str, list[str]], flow: str, split: str, join: str
) -> set[str]:
    """The incoming flows of ``join`` reachable from ``flow`` without passing ``split`` or ``join``."""
    reached, seen, stack = set(), set(), [flow]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        target = model.flows[current].target_id
        if target == join:
            reached.add(current)
        elif target != split:
            stack.extend(outgoing.get(target, []))
    return reached
