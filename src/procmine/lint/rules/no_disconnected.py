"""L003 no-disconnected: a flow node without any sequence flow is never reached and leads nowhere."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.nodes():
        if not ctx.runs_without_flows(node) and not ctx.incoming(node) and not ctx.outgoing(node):
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
