"""L024 no-bpmndi: in a file with a diagram, every flow node and sequence flow is drawn.

A file without any diagram (generated models) is not reported: nothing is missing from a layout it never
had. An element left out of an existing diagram is invisible in every modelling tool, yet it still runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe


def check(ctx: LintContext) -> Iterator[Issue]:
    if not ctx.model.has_di:
        return
    for node in ctx.nodes():
        if node.bounds is None and not _inside_collapsed(ctx, node):
            yield Issue(node.id, f"{describe(node)} is not drawn in the diagram")
    for flow in ctx.flows():
        if not flow.waypoints:
            source = ctx.node(flow.source_id)
            if source is None or not _inside_collapsed(ctx, source):
                yield Issue(flow.id, f"sequence flow {flow.id} is not drawn in the diagram")


def _inside_collapsed(ctx: LintContext, node) -> bool:
    """Content of a collapsed sub-process is drawn on a diagram of its own, which some tools omit."""
    parent = ctx.parent(node)
    while parent is not None:
        if parent.is_expanded is False:
            return True
        parent = ctx.parent(parent)
    return False


RULE = Rule(
    code="L024",
    name="no-bpmndi",
    preset="recommended",
    severity=Severity.ERROR,
    description="In a file with a diagram, every flow node and sequence flow has a shape or an edge.",
    check=check,
    advice="Open the model in a modelling tool and lay out the missing element (or delete it).",
)
