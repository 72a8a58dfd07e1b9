"""L004 no-implicit-split: several unconditional flows out of a task or event fork in parallel, unseen."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import PLAIN_TASK_TYPES, Issue, LintContext, Rule, describe, has_condition
from procmine.model.bpmn import EVENT_TYPES


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.nodes():
        if node.type not in PLAIN_TASK_TYPES and node.type not in EVENT_TYPES:
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
    description="Tasks and events do not fork into several unconditional flows; use a gateway.",
    check=check,
    advice="Model the split with an explicit parallel (or exclusive) gateway.",
)
