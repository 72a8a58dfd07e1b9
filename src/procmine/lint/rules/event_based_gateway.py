"""L021 event-based-gateway: an event-based gateway chooses between at least two unconditional events."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe, has_condition


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.nodes():
        if node.type != "eventBasedGateway":
            continue
        outgoing = ctx.outgoing(node)
        if len(outgoing) < 2:
            yield Issue(
                node.id, f"{describe(node)} has {len(outgoing)} outgoing flow(s); it needs at least 2"
            )
        for flow in outgoing:
            if has_condition(flow):
                yield Issue(
                    flow.id, f"sequence flow {flow.id} out of {describe(node)} must not have a condition"
                )


RULE = Rule(
    code="L021",
    name="event-based-gateway",
    preset="recommended",
    severity=Severity.ERROR,
    description="Event-based gateways have two or more outgoing flows, none conditional.",
    check=check,
    advice="Lead each outgoing flow to the catch event (or receive task) that decides the path.",
)
