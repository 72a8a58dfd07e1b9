"""L029 no-dead-tasks: every task (and every other step) can happen in some case.

Checked on the process's Petri-net translation, only when its whole state space was explored: an element
none of whose transitions can ever fire. Such a step shows up as "never executed" in every audit.
"""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule
from procmine.lint.soundness_messages import issue, name, problems


def check(ctx: LintContext) -> Iterator[Issue]:
    for process, problem in problems(ctx, "dead"):
        node = ctx.node(problem.element_id or "")
        if node is not None and not (node.is_task or node.type in ("endEvent", "subProcess", "callActivity")):
            continue  # dead gateways and events follow from a dead task or a deadlock, reported there
        yield issue(
            ctx, process, problem, f"{name(ctx, problem.element_id)} can never happen: no case reaches it"
        )


RULE = Rule(
    code="L029",
    name="no-dead-tasks",
    preset="recommended",
    severity=Severity.ERROR,
    description="Every task and end event can be reached by some case (no dead steps).",
    check=check,
    advice="Fix the gateway or deadlock that blocks the way to it, or delete the step.",
)
