"""L006 no-implicit-end: a flow node without outgoing flow swallows tokens silently."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe, only_definition
from procmine.model.bpmn import ACTIVITY_TYPES


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.nodes():
        if node.type == "endEvent" or node.triggered_by_event:
            continue
        if ctx.in_ad_hoc(node) or (node.type in ACTIVITY_TYPES and node.is_for_compensation):
            continue  # ad-hoc content runs in any order, compensation handlers when compensated
        if node.type == "intermediateThrowEvent" and only_definition(node, "linkEventDefinition"):
            continue
        if node.type == "boundaryEvent" and only_definition(node, "compensateEventDefinition"):
            continue
        if not ctx.outgoing(node):
            yield Issue(node.id, f"{describe(node)} has no outgoing flow: it is an implicit end")


RULE = Rule(
    code="L006",
    name="no-implicit-end",
    preset="recommended",
    severity=Severity.ERROR,
    description="Only end events end a flow.",
    check=check,
    advice="Connect the element to an end event.",
)
