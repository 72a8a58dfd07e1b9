"""L009 fake-join: several flows into an activity or event do not wait for each other."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import STEP_TYPES, Issue, LintContext, Rule, describe


def check(ctx: LintContext) -> Iterator[Issue]:
    for node in ctx.nodes():
        if node.type not in STEP_TYPES:
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
    description="Activities and events have at most one incoming flow; merge with a gateway.",
    check=check,
    advice="Put an exclusive gateway (merge) or a parallel gateway (wait for all) in front of it.",
)
