"""L025 no-duplicate-ids: an id used twice makes references ambiguous; tools pick one silently."""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule


def check(ctx: LintContext) -> Iterator[Issue]:
    for element_id, line in ctx.model.duplicate_ids:
        first = ctx.model.id_lines.get(element_id)
        where = f" (first used on line {first})" if first else ""
        yield Issue(element_id, f'id "{element_id}" is used more than once{where}', line or 1)


RULE = Rule(
    code="L025",
    name="no-duplicate-ids",
    preset="correctness",
    severity=Severity.ERROR,
    description="Every element id is unique in the file.",
    check=check,
    advice="Rename one of the elements; references to it must name the one meant.",
)
