"""L017 no-inclusive-gateway: inclusive (OR) joins are hard to read; some teams forbid them."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.nodes():
        if node.type == "inclusiveGateway":
            yield Issue(node.id, f"{describe(node)} is an inclusive gateway")


RULE = Rule(
    code="L017",
    name="no-inclusive-gateway",
    preset="all",
    severity=Severity.ERROR,
    description="No inclusive gateways.",
    check=check,
    advice="Use exclusive and parallel gateways where the combinations are known.",
)
