"""L008 no-gateway-join-fork: a gateway that both merges and splits hides two decisions in one symbol."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.nodes():
        if not node.is_gateway:
            continue
        ins, outs = len(ctx.incoming(node)), len(ctx.outgoing(node))
        if ins > 1 and outs > 1:
            yield Issue(
                node.id,
                f"{describe(node)} both joins ({ins} incoming) and forks ({outs} outgoing)",
                metrics={"incoming": ins, "outgoing": outs},
            )


RULE = Rule(
    code="L008",
    name="no-gateway-join-fork",
    preset="recommended",
    severity=Severity.ERROR,
    description="A gateway either joins or forks, not both.",
    check=check,
    advice="Split it into a joining gateway followed by a forking one.",
)
