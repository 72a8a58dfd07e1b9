"""L023 link-event: each named link throw event has exactly one matching catch event in its scope."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe
from procmine.model.bpmn import Node


def check(ctx: LintContext) -> Iterator[Issue]:
    for _process, _sub, content in ctx.scopes():
        links = [n for n in content if n.is_event and "linkEventDefinition" in n.event_definitions]
        by_name: dict[str, list[Node]] = {}
        for node in links:
            if not (node.link_name or "").strip():
                yield Issue(node.id, f"link {describe(node)} has no link name")
            else:
                by_name.setdefault(node.link_name.strip(), []).append(node)
        for name, events in sorted(by_name.items()):
            catches = [n for n in events if n.type == "intermediateCatchEvent"]
            throws = [n for n in events if n.type == "intermediateThrowEvent"]
            if not catches:
                for node in throws:
                    yield Issue(
                        node.id, f'no link catch event named "{name}" in the scope of {describe(node)}'
                    )
            elif len(catches) > 1:
                for node in catches:
                    yield Issue(node.id, f'{len(catches)} link catch events are named "{name}" in one scope')
            if not throws:
                for node in catches:
                    yield Issue(node.id, f'no link throw event named "{name}" leads to {describe(node)}')


RULE = Rule(
    code="L023",
    name="link-event",
    preset="correctness",
    severity=Severity.ERROR,
    description="Link events are named, and each name pairs throws with exactly one catch in its scope.",
    check=check,
    advice="Give the link a name shared by its throw and catch events, in the same process or sub-process.",
)
