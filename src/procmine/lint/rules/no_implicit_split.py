"""L004 no-implicit-split: unconditional flows out of an activity or event fork in parallel, unseen."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import STEP_TYPES, Issue, LintContext, Rule, describe, has_condition


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.nodes():
        if node.type not in STEP_TYPES:
            continue
        plain = [f for f in ctx.outgoing(node) if not has_condition(f) and f.id != node.default_flow]
        if len(plain) > 1:
            yield Issue(
                node.id,
                f"{describe(node)} splits implicitly into {len(plain)} parallel flows",
                metrics={"flows": len(plain)},
            )


RULE = Rule(
    code="L004",
    name="no-implicit-split",
    preset="recommended",
    severity=Severity.ERROR,
    description="Activities and events do not fork into several unconditional flows; use a gateway.",
    check=check,
    advice="Model the split with an explicit parallel (or exclusive) gateway.",
)
