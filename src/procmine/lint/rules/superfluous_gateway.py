"""L007 superfluous-gateway: a gateway with one way in and one way out does nothing."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.nodes():
        if node.is_gateway and len(ctx.incoming(node)) == 1 and len(ctx.outgoing(node)) == 1:
            yield Issue(
                node.id, f"{describe(node)} is superfluous: it has only one incoming and one outgoing flow"
            )


RULE = Rule(
    code="L007",
    name="superfluous-gateway",
    preset="recommended",
    severity=Severity.WARNING,
    description="Gateways have more than one incoming or outgoing flow.",
    check=check,
    advice="Delete the gateway and connect its neighbours directly.",
)
