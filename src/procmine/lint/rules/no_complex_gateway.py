"""L016 no-complex-gateway: complex gateways have no clear semantics for readers or conformance checks."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.nodes():
        if node.type == "complexGateway":
            yield Issue(node.id, f"{describe(node)} is a complex gateway")


RULE = Rule(
    code="L016",
    name="no-complex-gateway",
    preset="all",
    severity=Severity.ERROR,
    description="No complex gateways.",
    check=check,
    advice="Express the rule with exclusive, inclusive and parallel gateways.",
)
