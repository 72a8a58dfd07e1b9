"""A discovered model made tidy without changing what it allows: fewer gateways, named start and end.

Miners build models from nested blocks, which leaves gateways a reader does not need. Each step below keeps
the model's behaviour (the same traces, the same concurrency):

- a gateway with one incoming and one outgoing flow passes the token on: it is removed;
- a split feeding a split of the same kind (exclusive or parallel) that nothing else feeds is one split:
  ``XOR(a, XOR(b, c)) = XOR(a, b, c)``, and likewise for parallel splits, and for joins in the other
  direction; a join never merges with a split (a gateway that joins and forks is harder to read);
- two flows out of an exclusive gateway to the same element are one choice.

The start and end events get names, and the elements are numbered again in order from the start.
"""

from __future__ import annotations

from collections import Counter

from procmine.model.bpmn import BpmnModel, Node, SequenceFlow

MERGEABLE = ("exclusiveGateway", "parallelGateway")
START_NAME, END_NAME = "Start", "End"
NEAREST = 8
_ID_PREFIX = {"startEvent": "StartEvent", "endEvent": "EndEvent"}


def tidy(model: BpmnModel) -> BpmnModel:
    """The same process with the redundant gateways gone, events named and ids renumbered."""
    while (
        _pass_through(model)
        or _merge_nested(model, splits=True)
        or _merge_nested(model, splits=False)
        or _same_choice(model)
    ):
        pass
    for node in model.nodes.values():
        if node.type == "startEvent" and not node.name:
            node.name = START_NAME
        elif node.type == "endEvent" and not node.name:
            node.name = END_NAME
        if node.is_gateway:
            node.gateway_direction = _direction(node)
    return renumber(model)


def _direction(node: Node) -> str | None:
    ins, outs = len(node.incoming), len(node.outgoing)
    if ins > 1 and outs > 1:
        return "Mixed"
    return "Diverging" if outs > 1 else "Converging" if ins > 1 else None


def _pass_through(model: BpmnModel) -> bool:
    for node in list(model.nodes.values()):
        if node.is_gateway and len(node.incoming) == 1 and len(node.outgoing) == 1:
            inflow, outflow = model.flows[node.incoming[0]], model.flows[node.outgoing[0]]
            _drop_flow(model, outflow)
            if inflow.source_id == outflow.target_id:
                _drop_flow(model, inflow)  # a gateway alone on a cycle: nothing to connect
            else:
                _retarget(model, inflow, outflow.target_id)
            _drop_node(model, node)
            return True
    return False


def _merge_nested(model: BpmnModel, splits: bool) -> bool:
    """A split fed only by a split of the same kind hands its outgoing flows to that split (``splits``);
    a join feeding only a join of the same kind hands that join its incoming flows (otherwise)."""
    for node in list(model.nodes.values()):
        wide, narrow = (node.outgoing, node.incoming) if splits else (node.incoming, node.outgoing)
        if node.type not in MERGEABLE or len(wide) < 2 or len(narrow) != 1:
            continue
        link = model.flows[narrow[0]]
        other = model.nodes.get(link.source_id if splits else link.target_id)
        if other is None or other is node or other.type != node.type:
            continue
        if len(other.incoming if splits else other.outgoing) > 1:
            continue  # the other one joins (or forks): merging would make a gateway that does both
        _drop_flow(model, link)
        move = _resource if splits else _retarget
        for flow_id in list(wide):
            move(model, model.flows[flow_id], other.id)
        _drop_node(model, node)
        return True
    return False


def _same_choice(model: BpmnModel) -> bool:
    """Two flows from one exclusive gateway to the same element: one of them is enough."""
    for node in model.nodes.values():
        if node.type != "exclusiveGateway":
            continue
        seen: set[str] = set()
        for flow_id in node.outgoing:
            target = model.flows[flow_id].target_id
            if target in seen:
                _drop_flow(model, model.flows[flow_id])
                return True
            seen.add(target)
    return False


def _drop_flow(model: BpmnModel, flow: SequenceFlow) -> None:
    model.nodes[flow.source_id].outgoing.remove(flow.id)
    model.nodes[flow.target_id].incoming.remove(flow.id)
    del model.flows[flow.id]
    for process in model.processes:
        if flow.id in process.flow_ids:
            process.flow_ids.remove(flow.id)


def _drop_node(model: BpmnModel, node: Node) -> None:
    del model.nodes[node.id]
    for process in model.processes:
        if node.id in process.node_ids:
            process.node_ids.remove(node.id)


def _retarget(model: BpmnModel, flow: SequenceFlow, target_id: str) -> None:
    model.nodes[flow.target_id].incoming.remove(flow.id)
    flow.target_id = target_id
    model.nodes[target_id].incoming.append(flow.id)


def _resource(model: BpmnModel, flow: SequenceFlow, source_id: str) -> None:
    model.nodes[flow.source_id].outgoing.remove(flow.id)
    flow.source_id = source_id
    model.nodes[source_id].outgoing.append(flow.id)


def renumber(model: BpmnModel) -> BpmnModel:
    """New ids in breadth-first order from the start events (successors by name, then type): the same model
    always gets the same ids, without gaps (StartEvent_1, Activity_1..., Gateway_1..., Flow_1...)."""
    order = _breadth_first(model)
    numbers: Counter = Counter()
    ids: dict[str, str] = {}
    for node in order:
        prefix = _ID_PREFIX.get(node.type, "Gateway" if node.is_gateway else "Activity")
        numbers[prefix] += 1
        ids[node.id] = f"{prefix}_{numbers[prefix]}"
    rank = {node.id: k for k, node in enumerate(order)}
    flows = sorted(model.flows.values(), key=lambda f: (rank[f.source_id], rank[f.target_id], f.id))
    flow_ids = {f.id: f"Flow_{k}" for k, f in enumerate(flows, start=1)}
    out = BpmnModel(path=model.path, processes=model.processes, has_di=model.has_di)
    for node in order:
        node.id = ids[node.id]
        node.incoming = sorted((flow_ids[f] for f in node.incoming), key=_flow_number)
        node.outgoing = sorted((flow_ids[f] for f in node.outgoing), key=_flow_number)
        out.nodes[node.id] = node
    for flow in flows:
        flow.id, flow.source_id, flow.target_id = flow_ids[flow.id], ids[flow.source_id], ids[flow.target_id]
        out.flows[flow.id] = flow
    for process in model.processes:
        process.node_ids = [n.id for n in order if n.process_id == process.id]
        process.flow_ids = [f.id for f in flows if f.process_id == process.id]
    return out


def _flow_number(flow_id: str) -> int:
    return int(flow_id.rsplit("_", 1)[1])


def _breadth_first(model: BpmnModel) -> list[Node]:
    """Nodes in breadth-first order from the start events; successors ordered by name, type and the names
    of the nearest named elements after and before them (so unnamed gateways get a stable order too)."""
    succ = {n.id: [model.flows[f].target_id for f in n.outgoing] for n in model.nodes.values()}
    pred = {n.id: [model.flows[f].source_id for f in n.incoming] for n in model.nodes.values()}
    first = {
        n.id: (n.name, n.type, (), ())
        if n.name
        else ("", n.type, _nearest_names(model, n.id, succ), _nearest_names(model, n.id, pred))
        for n in model.nodes.values()
    }
    keys = _refined(first, succ, pred)
    rest = sorted(model.nodes.values(), key=lambda n: (keys[n.id], n.id))
    queue = [n for n in rest if n.type == "startEvent"]
    order: list[Node] = []
    seen: set[str] = set()
    while len(order) < len(rest):
        if not queue:
            queue = [next(n for n in rest if n.id not in seen)]
        node = queue.pop(0)
        if node.id in seen:
            continue
        seen.add(node.id)
        order.append(node)
        queue.extend(
            sorted((model.nodes[t] for t in succ[node.id] if t not in seen), key=lambda n: keys[n.id])
        )
    return order


def _refined(
    first: dict[str, tuple], succ: dict[str, list[str]], pred: dict[str, list[str]]
) -> dict[str, int]:
    """Ranks that tell apart nodes whose own keys tie (gateways between the same named elements): each
    round ranks a node by its rank and the sorted ranks of its successors and predecessors, until no new
    distinction appears (colour refinement). Ranks come from sorting, never from ``hash()`` (salted per
    process), so the same model gets the same ranks in every run, whatever order its nodes came in."""
    rank = _ranks(first)
    while True:
        signature = {
            n: (r, tuple(sorted(rank[t] for t in succ[n])), tuple(sorted(rank[p] for p in pred[n])))
            for n, r in rank.items()
        }
        refined = _ranks(signature)
        if len(set(refined.values())) == len(set(rank.values())):
            return refined
        rank = refined


def _ranks(keys: dict[str, tuple]) -> dict[str, int]:
    order = {key: k for k, key in enumerate(sorted(set(keys.values())))}
    return {n: order[key] for n, key in keys.items()}


def _nearest_names(model: BpmnModel, start: str, edges: dict[str, list[str]]) -> tuple[str, ...]:
    """The names of the named elements reached first from ``start`` (through unnamed ones) along ``edges``
    (the first ``NEAREST`` of them in name order: enough to tell gateways apart, cheap on a flower model)."""
    names: set[str] = set()
    seen = {start}
    frontier = list(edges[start])
    while frontier:
        node_id = frontier.pop()
        if node_id in seen:
            continue
        seen.add(node_id)
        node = model.nodes[node_id]
        if node.name:
            names.add(f"{node.type}:{node.name}")
        else:
            frontier.extend(edges[node_id])
    return tuple(sorted(names)[:NEAREST])
