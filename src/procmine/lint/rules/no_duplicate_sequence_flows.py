"""L011 no-duplicate-sequence-flows: two flows with the same ends and condition double every token."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule


def check(ctx: LintContext) -> Iterator[Issue]:
    first: dict[tuple[str, str, str], str] = {}
    for flow in ctx.flows():
        key = (flow.source_id, flow.target_id, (flow.condition or "").strip())
        if key in first:
            yield Issue(
                flow.id,
                f"sequence flow {flow.id} duplicates {first[key]} ({flow.source_id} -> {flow.target_id})",
            )
        else:
            first[key] = flow.id


RULE = Rule(
    code="L011",
    name="no-duplicate-sequence-flows",
    preset="correctness",
    severity=Severity.WARNING,
    description="No two sequence flows share source, target and condition.",
    check=check,
    advice="Delete the duplicate flow.",
)
