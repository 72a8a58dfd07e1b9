"""A process's spine: the longest path of sequence flows from a start event to an end event, loops left out.

Laid out by dot as it comes, a model's start event lands wherever the crossings are fewest, often at the
bottom of the picture under a loop's long return flow, and the main line climbs across the page in steps.
Drawn with its spine weighted and in one group, a model reads as BPMN diagrams are drawn by hand: from the
start on the left to the end on the right along one straight line, with the branches above and below it.
"""

from __future__ import annotations

from collections.abc import Iterable

from procmine.renderers.svg.dot_layout import Link

SPINE_WEIGHT = 8  # how hard dot pulls the spine's flows straight (other flows weigh 1)


def spine(links: Iterable[Link], starts: list[str], ends: list[str]) -> list[Link]:
    """The flows of the longest path (in flows) from one of ``starts`` to one of ``ends`` over the flows
    that close no loop (found by a depth-first search from the starts, in the order given); [] when no end
    can be reached."""
    outgoing: dict[str, list[Link]] = {}
    for link in links:
        outgoing.setdefault(link.source, []).append(link)
    order, loops = _search(outgoing, starts)
    best: dict[str, tuple[int, Link | None]] = {s: (0, None) for s in starts}
    for node in order:
        if node not in best:
            continue
        for link in outgoing.get(node, []):
            if link.id not in loops and best.get(link.target, (-1, None))[0] < best[node][0] + 1:
                best[link.target] = (best[node][0] + 1, link)
    reached = [e for e in ends if e in best and best[e][1] is not None]
    if not reached:
        return []
    node, path = max(reached, key=lambda e: best[e][0]), []
    while (step := best[node][1]) is not None:
        path.append(step)
        node = step.source
    return path[::-1]


def _search(outgoing: dict[str, list[Link]], starts: list[str]) -> tuple[list[str], set[str]]:
    """The nodes reachable from ``starts`` in topological order of the flows that close no loop, and the ids
    of the flows that do (they lead back to a node still on the search's path)."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    finished: list[str] = []
    loops: set[str] = set()
    for start in starts:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(outgoing.get(start, [])))]
        while stack:
            node, rest = stack[-1]
            link = next(rest, None)
            if link is None:
                state[node] = 2
                finished.append(node)
                stack.pop()
            elif state.get(link.target) == 1:
                loops.add(link.id)
            elif link.target not in state:
                state[link.target] = 1
                stack.append((link.target, iter(outgoing.get(link.target, []))))
    return finished[::-1], loops
