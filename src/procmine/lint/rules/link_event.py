"""L023 link-event: each named link throw event has exactly one matching catch event in its scope.

The name is the one on the link definition (``<linkEventDefinition name="...">``), compared exactly, as
engines pair links: the event's own label does not count, however alike the two events are named, and
names that differ only in spaces or line breaks are different links (the message shows them escaped).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe
from procmine.model.bpmn import Node


def check(ctx: LintContext) -> Iterator[Issue]:
    for _process, _sub, content in ctx.scopes():
        links = [n for n in content if n.is_event and "linkEventDefinition" in n.event_definitions]
        by_name: dict[str, list[Node]] = {}
        for node in links:
            name = node.link_definition_name or ""
            if not name.strip():
                yield Issue(node.id, f"link {describe(node)} has no link name")
            else:
                by_name.setdefault(name, []).append(node)
        for name, events in sorted(by_name.items()):
            yield from _pairing(name, events)


def _pairing(name: str, events: list[Node]) -> Iterator[Issue]:
    """What is wrong with the throws and catches of one link name."""
    quoted = json.dumps(name, ensure_ascii=False)  # line breaks and quotes visible, on one line
    catches = [n for n in events if n.type == "intermediateCatchEvent"]
    throws = [n for n in events if n.type == "intermediateThrowEvent"]
    if not catches:
        for node in throws:
            yield Issue(node.id, f"no link catch event named {quoted} in the scope of {describe(node)}")
    elif len(catches) > 1:
        for node in catches:
            yield Issue(node.id, f"{len(catches)} link catch events are named {quoted} in one scope")
    if not throws:
        for node in catches:
            yield Issue(node.id, f"no link throw event named {quoted} leads to {describe(node)}")


RULE = Rule(
    code="L023",
    name="link-event",
    preset="correctness",
    severity=Severity.ERROR,
    description="Link events are named, and each name pairs throws with exactly one catch in its scope.",
    check=check,
    advice="Give the link a name shared by its throw and catch events, in the same process or sub-process.",
)
