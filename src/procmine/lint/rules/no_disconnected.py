"""L003 no-disconnected: a flow node without any sequence flow is never reached and leads nowhere."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.nodes():
        if node.triggered_by_event or node.is_for_compensation or ctx.in_ad_hoc(node):
            continue  # event sub-processes, compensation handlers and ad-hoc content are started otherwise
        if node.type == "boundaryEvent" and "compensateEventDefinition" in node.event_definitions:
            continue  # linked to its handler by an association, not a sequence flow
        if not ctx.incoming(node) and not ctx.outgoing(node):
            yield Issue(node.id, f"{describe(node)} is not connected to any sequence flow")


RULE = Rule(
    code="L003",
    name="no-disconnected",
    preset="recommended",
    severity=Severity.ERROR,
    description="Every flow node is connected by at least one sequence flow.",
    check=check,
    advice="Connect the element, or delete it if it is left over.",
)
