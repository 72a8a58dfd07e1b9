"""L001 start-event-required: every process and sub-process says where it starts."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule


def check(ctx: LintContext) -> Iterator[Issue]:
    for process, sub, content in ctx.scopes():
        if not content or (sub is not None and sub.type == "adHocSubProcess"):
            continue  # an empty pool has nothing to start; ad-hoc sub-processes must not have start events
        if not any(n.type == "startEvent" for n in content):
            if sub is None:
                yield Issue(process.id, f'process "{process.display_name}" has no start event', process.line)
            else:
                yield Issue(sub.id, f'sub-process "{sub.label or sub.id}" has no start event')


RULE = Rule(
    code="L001",
    name="start-event-required",
    preset="recommended",
    severity=Severity.ERROR,
    description="Every process and sub-process has a start event.",
    check=check,
    advice="Add a start event, so readers (and procmine) know where a case begins.",
)
