"""L027 no-deadlock: no case can get stuck with work left (e.g. a parallel join after an exclusive split).

Checked on the process's Petri-net translation: a reachable state where nothing can happen any more, yet
tokens remain outside the end. The element reported is the one the stuck token waits for.
"""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule
from procmine.lint.soundness_messages import issue, name, path_text, problems


def check(ctx: LintContext) -> Iterator[Issue]:
    for process, problem in problems(ctx, "deadlock"):
        node = ctx.node(problem.element_id or "")
        if node is not None and node.type == "parallelGateway" and len(node.incoming) > 1:
            what = f"{name(ctx, problem.element_id)} waits forever for a branch that never arrives"
        else:
            what = f"cases get stuck at {name(ctx, problem.element_id)}"
        yield issue(ctx, process, problem, f"deadlock: {what}; example: {path_text(problem)}")


RULE = Rule(
    code="L027",
    name="no-deadlock",
    preset="recommended",
    severity=Severity.ERROR,
    description="No case gets stuck before the end (soundness, checked on the Petri net).",
    check=check,
    advice="Join the branches with the same kind of gateway that split them (exclusive with exclusive).",
)
