"""L029 no-dead-tasks: every task (and every other step) can happen in some case.

Checked on the process's Petri-net translation, only when its whole state space was explored: an element
none of whose transitions can ever fire. Such a step shows up as "never executed" in every audit.
"""

from __future__ import annotations

from procmine.lint.base import LintContext
from procmine.lint.soundness_messages import name, soundness_rule
from procmine.petri.soundness import Problem


def message(ctx: LintContext, problem: Problem) -> str | None:
    node = ctx.node(problem.element_id or "")
    if node is not None and not (node.is_task or node.type in ("endEvent", "subProcess", "callActivity")):
        return None  # dead gateways and events follow from a dead task or a deadlock, reported there
    return f"{name(ctx, problem.element_id)} can never happen: no case reaches it"


RULE = soundness_rule(
    "dead",
    message,
    code="L029",
    name="no-dead-tasks",
    description="Every task and end event can be reached by some case (no dead steps).",
    advice="Fix the gateway or deadlock that blocks the way to it, or delete the step.",
)
