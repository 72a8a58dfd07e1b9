"""L030 no-lack-of-synchronisation: parallel branches are joined by a parallel gateway, not merged.

Checked on the process's Petri-net translation: a state with two tokens on one place. Typically an
exclusive gateway merges branches a parallel gateway split, so every step after it runs twice per case.
"""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule
from procmine.lint.soundness_messages import issue, name, path_text, problems


def check(ctx: LintContext) -> Iterator[Issue]:
    for process, problem in problems(ctx, "unsafe"):
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
