"""L018 sub-process-blank-start-event: a sub-process is started by its incoming flow, not by a trigger."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe, is_blank


def check(ctx: LintContext) -> Iterator[Issue]:
    for _process, sub, content in ctx.scopes():
        if sub is None or sub.triggered_by_event:
            continue
        for node in content:
            if node.type == "startEvent" and not is_blank(node):
                yield Issue(
                    node.id, f"{describe(node)} in sub-process {sub.id} has a trigger; it must be blank"
                )


RULE = Rule(
    code="L018",
    name="sub-process-blank-start-event",
    preset="correctness",
    severity=Severity.ERROR,
    description="Start events inside (non-event) sub-processes are blank.",
    check=check,
    advice="Remove the event definition, or make the sub-process an event sub-process.",
)
