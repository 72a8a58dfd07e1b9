"""L028 option-to-complete: every case can still reach the end, whatever it did so far.

Checked on the process's Petri-net translation: a set of states the case can never leave, with no end
among them (a loop without a way out). Deadlocks are reported by ``no-deadlock``, not here.
"""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule
from procmine.lint.soundness_messages import issue, name, path_text, problems


def check(ctx: LintContext) -> Iterator[Issue]:
    for process, problem in problems(ctx, "livelock"):
        others = [e for e in problem.elements if e != problem.element_id]
        also = f" (with {', '.join(others[:5])})" if others else ""
        yield issue(
            ctx,
            process,
            problem,
            f"cases that reach {name(ctx, problem.element_id)}{also} can never complete: "
            f"the loop has no way out; example: {path_text(problem)}",
        )


RULE = Rule(
    code="L028",
    name="option-to-complete",
    preset="recommended",
    severity=Severity.ERROR,
    description="Every case can always still reach an end event (no loop without exit).",
    check=check,
    advice="Give the loop an exit: a gateway branch that leads on to an end event.",
)
