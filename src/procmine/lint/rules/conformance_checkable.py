"""L032 conformance-checkable: elements procmine cannot translate faithfully for conformance checking.

Authors see before an audit which parts of the model ``procmine check`` will approximate (the translation's
warnings) or cannot check at all (the translation failed), each by element and line.
"""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule


def check(ctx: LintContext) -> Iterator[Issue]:
    for process in ctx.model.processes:
        if not ctx.model.nodes_of(process):
            continue
        translation = ctx.translation(process)
        if isinstance(translation, Exception):
            cause = getattr(translation, "cause", None) or str(translation)
            yield Issue(
                process.id, f'process "{process.display_name}" cannot be checked: {cause}', process.line
            )
            continue
        for warning in translation.warnings:
            yield Issue(warning.element_id or process.id, warning.message, warning.line or None)


RULE = Rule(
    code="L032",
    name="conformance-checkable",
    preset="recommended",
    severity=Severity.WARNING,
    description="Every element can be translated faithfully for conformance checking (procmine check).",
    check=check,
    advice="Expect `procmine check` to approximate this element; use supported constructs if it matters.",
)
