"""L026 no-dangling-references: sequence flows, defaults and boundary events point at elements that exist."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe


def check(ctx: LintContext) -> Iterator[Issue]:
    nodes, flows = ctx.model.nodes, ctx.model.flows
    for flow in ctx.flows():
        for role, ref in (("sourceRef", flow.source_id), ("targetRef", flow.target_id)):
            if not ref:
                yield Issue(flow.id, f"sequence flow {flow.id} has no {role}")
            elif ref not in nodes:
                yield Issue(flow.id, f'sequence flow {flow.id}: {role} "{ref}" names no flow node')
    for node in ctx.nodes():
        if node.default_flow and node.default_flow not in flows:
            yield Issue(node.id, f'{describe(node)}: default flow "{node.default_flow}" does not exist')
        elif node.default_flow and flows[node.default_flow].source_id != node.id:
            yield Issue(node.id, f'{describe(node)}: default flow "{node.default_flow}" does not leave it')
        if node.type == "boundaryEvent" and (not node.attached_to or node.attached_to not in nodes):
            yield Issue(
                node.id, f'{describe(node)} is attached to "{node.attached_to or ""}", which does not exist'
            )


RULE = Rule(
    code="L026",
    name="no-dangling-references",
    preset="correctness",
    severity=Severity.ERROR,
    description="sourceRef, targetRef, default and attachedToRef name existing elements.",
    check=check,
    advice="Point the reference at the intended element, or delete the element that refers to nothing.",
)
