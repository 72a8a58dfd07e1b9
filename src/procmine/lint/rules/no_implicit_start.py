"""L005 no-implicit-start: a flow node without incoming flow starts tokens of its own."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe, only_definition


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.nodes():
        if node.type in ("startEvent", "boundaryEvent") or ctx.runs_without_flows(node):
            continue
        if node.type == "intermediateCatchEvent" and only_definition(node, "linkEventDefinition"):
            continue  # reached through its link throw event
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
