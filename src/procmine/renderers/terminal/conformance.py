"""The conformance block: which process was checked, fitness and precision, and what became of each task."""

from __future__ import annotations

from typing import TYPE_CHECKING

from procmine.renderers.shares import ratio_text, share_text
from procmine.sections.conformance import ConformanceSection, NameMatching, TaskRow
from procmine.sections.model import DocumentedModel

if TYPE_CHECKING:
    from procmine.findings import Report


def lines(report: Report) -> list[str]:
    conf = report.section(ConformanceSection)
    if conf is None:
        return []
    model = report.model
    out = []
    if isinstance(model, DocumentedModel):
        out.append(
            f"Model      {model.path} — process {model.process_name!r} "
            f"({model.tasks} tasks, {model.selected_by})"
        )
    out.extend(_fitness(conf))
    if isinstance(model, DocumentedModel) and model.other_processes:
        elsewhere = model.other_processes
        names = ", ".join(f"{a!r} ({p})" for a, p in elsewhere.activities.items())
        out.append(
            f"Elsewhere  {elsewhere.events_set_aside:,} events set aside, documented in other pools: {names}"
        )
    if conf.precision is not None:
        out.append(f"Precision  {ratio_text(conf.precision)} (escaping edges over the alignments)")
    elif conf.precision_note:
        out.append(f"Precision  not given: {conf.precision_note}")
    for choice in conf.choices:
        cases = f"{choice.cases:,} case{'' if choice.cases == 1 else 's'}"
        out.append(f"Choice     none of {', '.join(choice.tasks)} in {cases}")
    period = conf.recent_period
    if period:
        out.append(f"Recent     {period.start[:10]} .. {period.end[:10]} ({period.how})")
    out.extend(_task_table(conf.tasks))
    for a in conf.activities:
        if not a.documented:
            out.append(f"  not in model: {a.activity} ({a.cases:,} cases)")
    out.extend(_match_hints(conf.matching))
    return out


def _fitness(conf: ConformanceSection) -> list[str]:
    """The fitness line, and what it covers when some variants could not be aligned within the limits."""
    cover = conf.coverage
    reasons = ", ".join(f"{n} {reason}" for reason, n in cover.reasons.items()) or "none"
    if conf.fitness is None or conf.fitting_share is None:
        return [f"Fitness    not computed: no variant aligned within the limits ({reasons})"]
    out = [
        f"Fitness    {ratio_text(conf.fitness)} (optimal alignments); "
        f"{share_text(conf.fitting_share)} of the aligned cases fit perfectly; "
        f"{conf.variants:,} variants, {conf.cases:,} cases"
    ]
    if cover.variants_not_aligned:
        low, high = cover.fitness_bounds or (None, None)
        out.append(
            f"Coverage   {cover.variants_aligned:,} of {conf.variants:,} variants aligned "
            f"({share_text(cover.share_of_cases or 0, 1)} of cases); "
            f"{cover.variants_not_aligned:,} not aligned ({reasons}): "
            f"the fitness of all cases lies between {ratio_text(low)} and {ratio_text(high)}"
        )
    return out


def _task_table(tasks: list[TaskRow]) -> list[str]:
    if not tasks:
        return []
    width = max(len(t.task) for t in tasks)
    out = [f"Tasks      {'':<{width}}  executed   skipped  out of order  last seen"]
    for t in tasks:
        # no date for an executed task: the log has no timestamps ("never" would say it was not done)
        last = t.last_seen[:10] if t.last_seen else "n/a" if t.cases_executed else "never"
        out.append(
            f"  {t.task:<{width + 8}}  {t.cases_executed:>8,}  {t.cases_skipped:>8,}  "
            f"{t.cases_out_of_order:>12,}  {last}"
        )
    return out


def _match_hints(matching: NameMatching) -> list[str]:
    """Model tasks no log activity matched, with the closest log names: often a renamed step."""
    out = []
    for item in matching.unmatched_tasks:
        if item.suggestions:
            best = ", ".join(f"{s.name!r} ({s.score:.0f}%)" for s in item.suggestions[:3])
            out.append(f"  task {item.task!r} matches no activity; closest: {best} (fix with --map)")
        else:
            out.append(f"  task {item.task!r} matches no activity in the log")
    return out
