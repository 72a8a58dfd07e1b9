"""The soundness rules' shared part: which problems they report, at which element, with which example path.

Each soundness rule (``no-deadlock``, ``option-to-complete``...) is one kind of problem of the Petri-net
exploration plus the sentence that explains it; ``soundness_rule`` builds the rule from those two.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from procmine.findings import Severity
from procmine.lint.base import Issue, LintContext, Rule, describe
from procmine.model.bpmn import Process
from procmine.petri.soundness import Problem


def problems(ctx: LintContext, kind: str) -> Iterator[tuple[Process, Problem]]:
    """Each problem of ``kind`` in each translatable process, once per element.

    Problems at elements the translation only approximates (its warnings: inclusive joins, complex
    gateways, unreachable starts...) are left out: they may be artefacts of the approximation, and
    ``conformance-checkable`` already names those elements.
    """
    for process in ctx.model.processes:
        if not ctx.model.nodes_of(process):
            continue
        result = ctx.soundness(process)
        translation = ctx.translation(process)
        if result is None or isinstance(translation, Exception):
            continue
        approximated = {w.element_id for w in translation.warnings}
        seen: set[str | None] = set()
        for problem in result.of_kind(kind):
            if problem.element_id in approximated or problem.element_id in seen:
                continue
            seen.add(problem.element_id)
            yield process, problem


def name(ctx: LintContext, element_id: str | None) -> str:
    node = ctx.node(element_id or "")
    if node is not None:
        return describe(node)
    flow = ctx.flow(element_id or "")
    if flow is not None:
        return f"sequence flow {flow.id}"
    return element_id or "an element"


def path_text(problem: Problem) -> str:
    return " > ".join(problem.path) if problem.path else "right after the start"


def issue(ctx: LintContext, process: Process, problem: Problem, message: str) -> Issue:
    element_id = problem.element_id or process.id
    line = None if ctx.line_of(element_id) is not None else process.line
    return Issue(
        element_id,
        message,
        line,
        metrics={"example_path": list(problem.path), "process": process.id},
    )


def soundness_rule(
    problem_kind: str,
    message: Callable[[LintContext, Problem], str | None],
    *,
    code: str,
    name: str,
    description: str,
    advice: str,
) -> Rule:
    """A rule reporting each ``problem_kind`` problem (see ``problems``) with ``message``'s sentence.

    ``message`` returns None for a problem the rule leaves to another one (say, a dead gateway that only
    follows from a dead task). Soundness rules are in the recommended preset, as errors.
    """

    def check(ctx: LintContext) -> Iterator[Issue]:
        for process, problem in problems(ctx, problem_kind):
            text = message(ctx, problem)
            if text is not None:
                yield issue(ctx, process, problem, text)

    return Rule(
        code=code,
        name=name,
        preset="recommended",
        severity=Severity.ERROR,
        description=description,
        check=check,
        advice=advice,
    )
