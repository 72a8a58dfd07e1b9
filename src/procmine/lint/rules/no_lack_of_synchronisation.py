"""L030 no-lack-of-synchronisation: parallel branches are joined by a parallel gateway, not merged.

Checked on the process's Petri-net translation: a state with two tokens on one place. Typically an
exclusive gateway merges branches a parallel gateway split, so every step after it runs twice per case.
Tokens a non-interrupting boundary event adds (it may fire again and again, by design) and tokens that
meet only at an end event (each simply ends) are not a lack of synchronisation.
"""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule
from procmine.lint.soundness_messages import issue, name, path_text, problems


def check(ctx: LintContext) -> Iterator[Issue]:
    for process, problem in problems(ctx, "unsafe"):
        node = ctx.node(problem.element_id or "")
        if node is not None and (
            node.type == "endEvent" or (node.type == "boundaryEvent" and not node.cancel_activity)
        ):
            continue
        yield issue(
            ctx,
            process,
            problem,
            f"lack of synchronisation: two tokens pass {name(ctx, problem.element_id)} in one case, "
            f"so what follows runs twice; example: {path_text(problem)}",
        )


RULE = Rule(
    code="L030",
    name="no-lack-of-synchronisation",
    preset="recommended",
    severity=Severity.ERROR,
    description="Parallel branches are synchronised before they merge (no step runs twice by accident).",
    check=check,
    advice="Join parallel branches with a parallel gateway instead of an exclusive one.",
)
