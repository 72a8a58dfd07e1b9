"""L010 label-required: tasks, events, deciding gateways and conditional flows carry a name.

Names are what an auditor reads and what procmine matches against the activities of an event log, so an
unnamed task is one procmine cannot check conformance for.
"""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe, has_condition
from procmine.model.bpmn import SUBPROCESS_TYPES

_UNLABELLED_GATEWAYS = ("parallelGateway", "eventBasedGateway")


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.nodes():
        if node.label or node.type in SUBPROCESS_TYPES or node.type in _UNLABELLED_GATEWAYS:
            continue
        if node.is_gateway and len(ctx.outgoing(node)) <= 1:
            continue  # a joining gateway needs no question
        yield Issue(node.id, f"{describe(node)} has no label")
    for flow in ctx.flows():
        if has_condition(flow) and not (flow.name or "").strip():
            yield Issue(flow.id, f"conditional sequence flow {flow.id} has no label")
    for process in ctx.model.processes:
        if process.participant_id and not (process.participant_name or "").strip():
            yield Issue(process.participant_id, f"pool {process.participant_id} has no label")
        for lane in process.lanes:
            if not (lane.name or "").strip():
                yield Issue(lane.id, f"lane {lane.id} has no label", lane.line)


RULE = Rule(
    code="L010",
    name="label-required",
    preset="recommended",
    severity=Severity.ERROR,
    description="Tasks, events, forking gateways, conditional flows, pools and lanes have a label.",
    check=check,
    advice="Name the element as the business calls it (for tasks: the activity name in the event log).",
)
