"""The conformance findings (codes C001-C007 in ``procmine.catalogue``): messages and advice, built from
computed evidence. Each names its subject in fields: ``task`` (the documented task), ``activity`` (its log
activity), ``source``/``target`` (an order).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from procmine import catalogue
from procmine.findings import Finding, Location, Severity, catalogued

KINDS = catalogue.kinds("conformance")
UNDOCUMENTED_WARNING_SHARE = 0.05  # below this share of cases an undocumented step is only "info"


@dataclass(frozen=True)
class TaskPlace:
    """Where a documented task sits in the model file: its first element (id, line) and all its ids."""

    file: str
    element_id: str | None = None
    line: int | None = None
    element_ids: tuple[str, ...] = field(default_factory=tuple)

    def location(self, task: str | None = None, activity: str | None = None) -> Location:
        return Location(
            file=self.file, line=self.line, element_id=self.element_id, activity=activity, task=task
        )


def _finding(
    kind: str,
    severity: Severity,
    message: str,
    location: Location,
    metrics: dict[str, Any],
    impact: float,
    advice: str,
) -> Finding:
    return catalogued(kind, severity, message, location, metrics, round(impact, 4), advice)


def never_executed(task: str, place: TaskPlace, suggestions: list[str]) -> Finding:
    hint = f" The log has similar names: {', '.join(repr(s) for s in suggestions)}." if suggestions else ""
    advice = (
        f"If the step is done under another name, map it with --map (model name,log name).{hint} "
        "Otherwise remove it from the documentation or find out why it is not done."
    )
    return _finding(
        "outdated_step",
        Severity.WARNING,
        f"documented step {task!r} is never executed in the log",
        place.location(task),
        {"cases_executed": 0, "similar_log_names": suggestions},
        1.0,
        advice,
    )


def not_since(
    task: str,
    activity: str,
    place: TaskPlace,
    last_seen: str,
    cases_before: int,
    expected_recent: float,
    period: dict,
    cases_since: int | None = None,
) -> Finding:
    day = last_seen[:10]
    if cases_since is None:
        why = f"none in the recent period from {period['start'][:10]}"
        evidence = {"expected_in_recent_period": round(expected_recent, 1)}
    else:
        why = (
            f"none of the {cases_since:,} cases started since then that ran long enough, where its earlier "
            f"rate predicts {expected_recent:,.0f}"
        )
        evidence = {"cases_since": cases_since, "expected_since": round(expected_recent, 1)}
    return _finding(
        "outdated_step",
        Severity.WARNING,
        f"documented step {task!r} has not been executed since {day} ({why})",
        place.location(task, activity),
        {
            "last_seen": last_seen,
            "cases_executed_before": cases_before,
            **evidence,
            "recent_period_start": period["start"],
        },
        1.0,
        f"Check whether {task!r} was retired on purpose around {day}; if so, update the documented model, "
        "otherwise find out why the step stopped.",
    )


def undocumented(
    activity: str,
    cases: int,
    total: int,
    after: str | None,
    after_share: float,
    log_file: str,
    suggestions: list[str],
) -> Finding:
    share = cases / total if total else 0.0
    where = f", typically after {after!r} ({after_share:.0%} of its occurrences)" if after else ""
    if after == "(case start)":
        where = f", typically at the start of a case ({after_share:.0%} of its occurrences)"
    severity = Severity.WARNING if share >= UNDOCUMENTED_WARNING_SHARE else Severity.INFO
    hint = (
        f" It resembles the documented {', '.join(repr(s) for s in suggestions)}: map it with --map."
        if suggestions
        else ""
    )
    return _finding(
        "undocumented_step",
        severity,
        f"{activity!r} happens in {cases:,} cases ({share:.1%}) but is not in the documented model{where}",
        Location(file=log_file, activity=activity),
        {
            "cases": cases,
            "share": share,
            "typically_after": after,
            "typically_after_share": after_share,
            "similar_model_names": suggestions,
        },
        share,
        f"Document {activity!r} in the model if it is part of the process, or stop it if it is not.{hint}",
    )


def skipped(
    task: str, activity: str | None, place: TaskPlace, cases_skipped: int, cases: int, threshold: float
) -> Finding:
    share = cases_skipped / cases
    return _finding(
        "skipped_step",
        Severity.WARNING,
        f"mandatory step {task!r} is skipped in {cases_skipped:,} of {cases:,} cases ({share:.1%})",
        place.location(task, activity),
        {"cases_skipped": cases_skipped, "cases": cases, "share": share, "threshold": threshold},
        share,
        f"Find out why {task!r} is left out (look at the skipping cases' attributes, e.g. channel); either "
        "enforce the step or document when it may be skipped.",
    )


def skipped_choice(
    tasks: list[str],
    places: list[TaskPlace],
    gateway: TaskPlace,
    cases_skipped: int,
    cases: int,
    threshold: float,
) -> Finding:
    """None of the branches of an exclusive choice was done, in more than the threshold of the cases,
    where the case's path through the model needs one of them. Reported at the choice, not at a branch."""
    share = cases_skipped / cases
    named = _listing(tasks)
    location = Location(file=gateway.file, line=gateway.line, element_id=gateway.element_id)
    return _finding(
        "skipped_step",
        Severity.WARNING,
        f"none of {named} is done in {cases_skipped:,} of {cases:,} cases ({share:.1%}) where the model "
        "needs one of them",
        location,
        {
            "cases_skipped": cases_skipped,
            "cases": cases,
            "share": share,
            "threshold": threshold,
            "tasks": list(tasks),
            "element_ids": sorted({e for p in places for e in p.element_ids}),
        },
        share,
        f"Find out why none of {named} is done in these cases (look at the cases' attributes and their last "
        "steps); either make the choice optional in the model or make sure one of its steps is done.",
    )


def _listing(names: list[str]) -> str:
    quoted = [repr(n) for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _some_of(names: list[str], shown: int = 3) -> str:
    """The first names, and how many more (all of them are in the finding's evidence): a message naming 27
    steps is not read. Four names are named: "and 1 other step" would save nothing."""
    if len(names) <= shown + 1:
        return ", ".join(repr(n) for n in names)
    return ", ".join(repr(n) for n in names[:shown]) + f" and {len(names) - shown:,} other steps"


def order_reversed(reversal: Any, place: TaskPlace, threshold: float) -> Finding:
    """The location's handover is the order seen in the log (the message's order), not the documented one."""
    task, others = reversal.task, _some_of(reversal.others)
    if reversal.too_early:
        what, documented = f"{task!r} happens before {others}", f"the model has {task!r} after"
        source, target = task, reversal.others[0]
    else:
        what, documented = f"{task!r} happens after {others}", f"the model has {task!r} before"
        source, target = reversal.others[0], task
    location = Location(
        file=place.file,
        line=place.line,
        element_id=place.element_id,
        activity=None,
        source=source,
        target=target,
        task=task,
    )
    return _finding(
        "order_violation",
        Severity.WARNING,
        f"{what} in {reversal.cases_reversed:,} of {reversal.cases_with_both:,} cases "
        f"({reversal.share:.1%}); "
        f"{documented} {'it' if len(reversal.others) == 1 else 'them'}",
        location,
        {
            "cases_reversed": reversal.cases_reversed,
            "cases_with_both": reversal.cases_with_both,
            "share": reversal.share,
            "threshold": threshold,
            "task": task,
            "other_tasks": list(reversal.others),
        },
        reversal.share,
        f"Check whether the documented position of {task!r} is still right; update the model or the way "
        "cases are worked.",
    )


def low_fitness(fitness: float, minimum: float, model_file: str) -> Finding:
    return _finding(
        "low_fitness",
        Severity.ERROR,
        f"the log fits the documented model with fitness {fitness:.3f}, below the minimum {minimum:.3f}",
        Location(file=model_file),
        {"fitness": fitness, "min_fitness": minimum},
        1 - fitness,
        "Look at the other conformance findings first: outdated, undocumented and skipped steps explain most "
        "of the gap; then update the model or the process.",
    )


def untranslated(warning: Any, model_file: str) -> Finding:
    return _finding(
        "untranslated_element",
        Severity.WARNING,
        f"{warning.element_type} {warning.element_id}: {warning.message}",
        Location(file=model_file, line=warning.line, element_id=warning.element_id),
        {"element_type": warning.element_type},
        0.0,
        "Conformance results near this element may be imprecise; simplify the element if you can.",
    )


def ambiguous(task: str, activities: list[str], place: TaskPlace) -> Finding:
    return _finding(
        "ambiguous_match",
        Severity.INFO,
        f"task {task!r} matches several log activities once case and punctuation are ignored: "
        + ", ".join(repr(a) for a in activities),
        place.location(task),
        {"activities": activities},
        0.0,
        "Say which one is meant in a mapping file (--map).",
    )
