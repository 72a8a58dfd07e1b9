"""L013 default-flow-required: when every way out is conditional and none is the default, a case can stall.

If no condition holds, BPMN engines raise an error and real cases wait; a default flow says what happens
otherwise. (bpmnlint has no such rule; it is the usual companion to ``conditional-flows``.)
"""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe, has_condition


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.nodes():
        if node.type in ("parallelGateway", "eventBasedGateway"):
            continue  # their flows carry no conditions
        outgoing = ctx.outgoing(node)
        if node.default_flow is not None or not outgoing:
            continue
        if all(has_condition(f) for f in outgoing):
            yield Issue(
                node.id,
                f"{describe(node)} has only conditional outgoing flows and no default flow",
                metrics={"conditional_flows": len(outgoing)},
            )


RULE = Rule(
    code="L013",
    name="default-flow-required",
    preset="all",
    severity=Severity.WARNING,
    description="A gateway or activity whose outgoing flows are all conditional has a default flow.",
    check=check,
    advice="Mark one outgoing flow as the default (taken when no condition holds).",
)
