"""L014 single-blank-start-event: two blank start events in one scope start a case twice."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, is_blank, scope_issue


def check(ctx: LintContext) -> Iterator[Issue]:
    for process, sub, content in ctx.scopes():
        blank = [n.id for n in content if n.type == "startEvent" and is_blank(n)]
        if len(blank) > 1:
            text = f"has {len(blank)} blank start events: {', '.join(blank)}"
            yield scope_issue(process, sub, text, metrics={"blank_start_events": len(blank)})


RULE = Rule(
    code="L014",
    name="single-blank-start-event",
    preset="correctness",
    severity=Severity.ERROR,
    description="A process or sub-process has at most one blank start event.",
    check=check,
    advice="Keep one blank start event, or give the others a trigger (message, timer, ...).",
)
