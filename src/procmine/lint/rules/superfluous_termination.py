"""L022 superfluous-termination: a terminate end event where it is the only way out terminates nothing."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe
from procmine.model.bpmn import Node


def check(ctx: LintContext) -> Iterator[Issue]:
    for _process, _sub, content in ctx.scopes():
        ends = [n for n in content if not ctx.outgoing(n)]
        terminating = [n for n in ends if _terminates(n)]
        if len(terminating) != 1:
            continue
        if all(_terminates(n) or (n.triggered_by_event and _interrupting(ctx, n)) for n in ends):
            node = terminating[0]
            yield Issue(
                node.id, f"{describe(node)} is a superfluous termination: no other path is still running"
            )


def _terminates(node: Node) -> bool:
    return node.type == "endEvent" and "terminateEventDefinition" in node.event_definitions


def _interrupting(ctx: LintContext, sub: Node) -> bool:
    content = ctx.children.get((sub.process_id, sub.id), [])
    return any(n.type == "startEvent" and n.is_interrupting for n in content)


RULE = Rule(
    code="L022",
    name="superfluous-termination",
    preset="recommended",
    severity=Severity.WARNING,
    description="Terminate end events are used only where other paths may still be running.",
    check=check,
    advice="Use a plain end event.",
)
