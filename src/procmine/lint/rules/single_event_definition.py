"""L015 single-event-definition: an event with several triggers is ambiguous to readers and engines."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.nodes():
        if node.is_event and len(node.event_definitions) > 1:
            kinds = ", ".join(d.removesuffix("EventDefinition") for d in node.event_definitions)
            yield Issue(
                node.id, f"{describe(node)} has {len(node.event_definitions)} event definitions ({kinds})"
            )


RULE = Rule(
    code="L015",
    name="single-event-definition",
    preset="recommended",
    severity=Severity.ERROR,
    description="Events have at most one event definition.",
    check=check,
    advice="Split the event into one event per trigger, behind an event-based gateway if needed.",
)
