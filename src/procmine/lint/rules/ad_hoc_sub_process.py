"""L020 ad-hoc-sub-process: ad-hoc sub-processes have no start or end events (BPMN 2.0, 10.3.5)."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe


def check(ctx: LintContext) -> Iterator[Issue]:
    for _process, sub, content in ctx.scopes():
        if sub is None or sub.type != "adHocSubProcess":
            continue
        for node in content:
            if node.type in ("startEvent", "endEvent"):
                yield Issue(node.id, f"{describe(node)} is not allowed in ad-hoc sub-process {sub.id}")
            elif node.type == "intermediateCatchEvent" and not ctx.outgoing(node):
                yield Issue(node.id, f"{describe(node)} in ad-hoc sub-process {sub.id} has no outgoing flow")


RULE = Rule(
    code="L020",
    name="ad-hoc-sub-process",
    preset="correctness",
    severity=Severity.ERROR,
    description="Ad-hoc sub-processes contain no start or end events; their catch events lead somewhere.",
    check=check,
    advice="Remove the start and end events; connect intermediate catch events to what they trigger.",
)
