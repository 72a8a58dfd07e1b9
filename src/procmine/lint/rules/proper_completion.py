"""L031 proper-completion: when a case reaches its end, no work is left behind, and it ends only once.

Checked on the process's Petri-net translation (when its ends form one sink, i.e. only one branch at a time
is meant to reach an end): a state where the end is reached while a token is stuck elsewhere for good
(e.g. at a parallel join that waits for a branch the case never took), or the end is reached twice.
"""

from __future__ import annotations

from procmine.lint.base import LintContext
from procmine.lint.soundness_messages import name, path_text, soundness_rule
from procmine.petri.soundness import Problem


def message(ctx: LintContext, problem: Problem) -> str:
    if problem.reason == "twice":
        what = f"{name(ctx, problem.element_id)} ends the case a second time"
    else:
        what = f"the case reaches its end while work is left behind at {name(ctx, problem.element_id)}"
    return f"improper completion: {what}; example: {path_text(problem)}"


RULE = soundness_rule(
    "improper_completion",
    message,
    code="L031",
    name="proper-completion",
    description="A case that reaches its end leaves no work behind and ends only once.",
    advice="Join the parallel branches before the end event.",
)
