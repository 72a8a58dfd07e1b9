"""L009 fake-join: several flows into a task or event do not wait for each other."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import PLAIN_TASK_TYPES, Issue, LintContext, Rule, describe
from procmine.model.bpmn import EVENT_TYPES


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.nodes():
        if node.type not in PLAIN_TASK_TYPES and node.type not in EVENT_TYPES:
            continue
        ins = len(ctx.incoming(node))
        if ins > 1:
            yield Issue(
                node.id,
                f"{describe(node)} has {ins} incoming flows: it does not join them, it runs once per token",
                metrics={"incoming": ins},
            )


RULE = Rule(
    code="L009",
    name="fake-join",
    preset="recommended",
    severity=Severity.WARNING,
    description="Tasks and events have at most one incoming flow; merge with a gateway.",
    check=check,
    advice="Put an exclusive gateway (merge) or a parallel gateway (wait for all) in front of it.",
)
