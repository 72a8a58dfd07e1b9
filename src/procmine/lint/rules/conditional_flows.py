"""L012 conditional-flows: every flow out of a deciding element has a condition or is the default."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe, has_condition

DECIDING_GATEWAYS = ("exclusiveGateway", "inclusiveGateway")


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.nodes():
        outgoing = ctx.outgoing(node)
        deciding = (
            node.default_flow is not None
            or (node.type in DECIDING_GATEWAYS and len(outgoing) > 1)
            or any(has_condition(f) for f in outgoing)
        )
        if not deciding:
            continue
        for flow in outgoing:
            if not has_condition(flow) and flow.id != node.default_flow:
                yield Issue(flow.id, f"sequence flow {flow.id} out of {describe(node)} has no condition")


RULE = Rule(
    code="L012",
    name="conditional-flows",
    preset="recommended",
    severity=Severity.ERROR,
    description="Flows out of a deciding gateway or activity have a condition or are the default flow.",
    check=check,
    advice="Give the flow a condition, or mark it as the default flow.",
)
