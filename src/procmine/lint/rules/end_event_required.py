"""L002 end-event-required: every process and sub-process says where it ends."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule


def check(ctx: LintContext) -> Iterator[Issue]:
    for process, sub, content in ctx.scopes():
        if not content or (sub is not None and sub.type == "adHocSubProcess"):
            continue
        if not any(n.type == "endEvent" for n in content):
            if sub is None:
                yield Issue(process.id, f'process "{process.display_name}" has no end event', process.line)
            else:
                yield Issue(sub.id, f'sub-process "{sub.label or sub.id}" has no end event')


RULE = Rule(
    code="L002",
    name="end-event-required",
    preset="recommended",
    severity=Severity.ERROR,
    description="Every process and sub-process has an end event.",
    check=check,
    advice="Add an end event, so readers (and procmine) know when a case is done.",
)
