"""L030 no-lack-of-synchronisation: parallel branches are joined by a parallel gateway, not merged.

Checked on the process's Petri-net translation: a state with two tokens on one place. Typically an
exclusive gateway merges branches a parallel gateway split, so every step after it runs twice per case.
Tokens a non-interrupting boundary event adds (it may fire again and again, by design) and tokens that
meet only on their way to an end event (nothing after the meeting point runs twice: each token simply
ends) are not a lack of synchronisation.
"""

from __future__ import annotations

from procmine.lint.base import LintContext
from procmine.lint.soundness_messages import name, path_text, soundness_rule
from procmine.model.bpmn import Node
from procmine.petri.soundness import Problem


def message(ctx: LintContext, problem: Problem) -> str | None:
    node = ctx.node(problem.element_id or "")
    if node is not None and (
        (node.type == "boundaryEvent" and not node.cancel_activity) or _only_ends_follow(ctx, node)
    ):
        return None
    return (
        f"lack of synchronisation: two tokens pass {name(ctx, problem.element_id)} in one case, "
        f"so what follows runs twice; example: {path_text(problem)}"
    )


def _only_ends_follow(ctx: LintContext, node: Node) -> bool:
    """Whatever the token does from ``node`` on, it only passes gateways into end events."""
    seen: set[str] = set()
    todo = [node]
    while todo:
        current = todo.pop()
        if current.id in seen:
            continue
        seen.add(current.id)
        if current.type == "endEvent":
            continue
        targets = [ctx.node(flow.target_id) for flow in ctx.outgoing(current)]
        if not current.is_gateway or not targets or None in targets:
            return False
        todo.extend(t for t in targets if t is not None)
    return True


RULE = soundness_rule(
    "unsafe",
    message,
    code="L030",
    name="no-lack-of-synchronisation",
    description="Parallel branches are synchronised before they merge (no step runs twice by accident).",
    advice="Join parallel branches with a parallel gateway instead of an exclusive one.",
)
