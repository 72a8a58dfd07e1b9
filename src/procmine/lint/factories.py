"""Rule factories: families of lint rules that differ only in data (bpmnlint's ``checkDiscouragedNodeType``).

A rule module of such a family is its metadata and one call here, so the check is written once and every
member reports the same way. Each rule still lives in its own module under ``procmine.lint.rules``.
"""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe, scope_issue, type_words


def discouraged_node_type(
    node_type: str, *, code: str, name: str, preset: str, severity: Severity, advice: str
) -> Rule:
    """A rule reporting every flow node of ``node_type`` (e.g. ``complexGateway``) as discouraged."""
    noun = type_words(node_type)

    def check(ctx: LintContext) -> Iterator[Issue]:
        for node in ctx.nodes():
            if node.type == node_type:
                yield Issue(node.id, f"{describe(node)}: {noun}s are discouraged")

    description = f"No {noun}s."
    return Rule(code, name, preset, severity, description, check, advice)


def event_required(
    event_type: str, *, code: str, name: str, preset: str, severity: Severity, advice: str
) -> Rule:
    """A rule reporting each process and sub-process with content but no event of ``event_type``; ad-hoc
    sub-processes must have none (BPMN 2.0, 10.3.5). The rule modules' docstrings say why."""
    noun = type_words(event_type)

    def check(ctx: LintContext) -> Iterator[Issue]:
        for process, sub, content in ctx.scopes():
            if not content or (sub is not None and sub.type == "adHocSubProcess"):
                continue
            if not any(n.type == event_type for n in content):
                yield scope_issue(process, sub, f"has no {noun}")

    description = f"Every process and sub-process has {_article(noun)} {noun}."
    return Rule(code, name, preset, severity, description, check, advice)


def _article(noun: str) -> str:
    return "an" if noun[0] in "aeiou" else "a"
