"""L027 no-deadlock: no case can get stuck with work left (e.g. a parallel join after an exclusive split).

Checked on the process's Petri-net translation: a reachable state where nothing can happen any more, yet
tokens remain outside the end. The element reported is the one the stuck token waits for.
"""

from __future__ import annotations

from procmine.lint.base import LintContext
from procmine.lint.soundness_messages import name, path_text, soundness_rule
from procmine.petri.soundness import Problem


def message(ctx: LintContext, problem: Problem) -> str:
    node = ctx.node(problem.element_id or "")
    if node is not None and node.type == "parallelGateway" and len(node.incoming) > 1:
        what = f"{name(ctx, problem.element_id)} waits forever for a branch that never arrives"
    else:
        what = f"cases get stuck at {name(ctx, problem.element_id)}"
    return f"deadlock: {what}; example: {path_text(problem)}"


RULE = soundness_rule(
    "deadlock",
    message,
    code="L027",
    name="no-deadlock",
    description="No case gets stuck before the end (soundness, checked on the Petri net).",
    advice="Join the branches with the same kind of gateway that split them (exclusive with exclusive).",
)
