"""L005 no-implicit-start: a flow node without incoming flow starts tokens of its own."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe, only_definition
from procmine.model.bpmn import ACTIVITY_TYPES


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.nodes():
        if node.type in ("startEvent", "boundaryEvent") or node.triggered_by_event:
            continue
        if ctx.in_ad_hoc(node) or (node.type in ACTIVITY_TYPES and node.is_for_compensation):
            continue  # ad-hoc content runs in any order, compensation handlers when compensated
        if node.type == "intermediateCatchEvent" and only_definition(node, "linkEventDefinition"):
            continue
        if not ctx.incoming(node):
            yield Issue(node.id, f"{describe(node)} has no incoming flow: it is an implicit start")


RULE = Rule(
    code="L005",
    name="no-implicit-start",
    preset="recommended",
    severity=Severity.ERROR,
    description="Only start events (and boundary events) begin a flow.",
    check=check,
    advice="Connect the element to the flow before it, or begin with a start event.",
)
