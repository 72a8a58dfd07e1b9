"""L006 no-implicit-end: a flow node without outgoing flow swallows tokens silently."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe, only_definition


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.nodes():
        if node.type == "endEvent" or ctx.runs_without_flows(node):
            continue
        if node.type == "intermediateThrowEvent" and only_definition(node, "linkEventDefinition"):
            continue  # leads on through its link catch event
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
