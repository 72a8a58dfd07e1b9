"""L019 event-sub-process-typed-start-event: an event sub-process needs a trigger to ever start."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe, is_blank


def check(ctx: LintContext) -> Iterator[Issue]:
    for _process, sub, content in ctx.scopes():
        if sub is None or not sub.triggered_by_event:
            continue
        for node in content:
            if node.type == "startEvent" and is_blank(node):
                yield Issue(node.id, f"{describe(node)} of event sub-process {sub.id} has no trigger")


RULE = Rule(
    code="L019",
    name="event-sub-process-typed-start-event",
    preset="correctness",
    severity=Severity.ERROR,
    description="Start events of event sub-processes have a trigger (message, timer, error, ...).",
    check=check,
    advice="Give the start event the trigger that starts the event sub-process.",
)
