"""L028 option-to-complete: every case can still reach the end, whatever it did so far.

Checked on the process's Petri-net translation: a set of states the case can never leave, with no end
among them (a loop without a way out). Deadlocks are reported by ``no-deadlock``, not here.
"""

from __future__ import annotations

from procmine.lint.base import LintContext
from procmine.lint.soundness_messages import name, path_text, soundness_rule
from procmine.petri.soundness import Problem


def message(ctx: LintContext, problem: Problem) -> str:
    others = [e for e in problem.elements if e != problem.element_id]
    also = f" (with {', '.join(others[:5])})" if others else ""
    return (
        f"cases that reach {name(ctx, problem.element_id)}{also} can never complete: "
        f"the loop has no way out; example: {path_text(problem)}"
    )


RULE = soundness_rule(
    "livelock",
    message,
    code="L028",
    name="option-to-complete",
    description="Every case can always still reach an end event (no loop without exit).",
    advice="Give the loop an exit: a gateway branch that leads on to an end event.",
)
