"""The conformance block: which process was checked, fitness and precision, and what became of each task."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    out.append(
        f"Fitness    {_num(conf.fitness)} (alignments); {conf.fitting_share:.0%} of "
        f"{conf.cases:,} cases fit perfectly; {conf.variants:,} variants"
    )
    if isinstance(model, DocumentedModel) and model.other_processes:
        elsewhere = model.other_processes
        names = ", ".join(f"{a!r} ({p})" for a, p in elsewhere.activities.items())
        out.append(
            f"Elsewhere  {elsewhere.events_set_aside:,} events set aside, documented in other pools: {names}"
        )
    if conf.precision is not None:
        out.append(f"Precision  {_num(conf.precision)}")
    if conf.fallback.variants:
        fallback = conf.fallback
        out.append(
            f"Fallback   {fallback.variants} variants ({fallback.cases:,} cases) scored by token replay"
        )
    period = conf.recent_period
    if period:
        out.append(f"Recent     {period.start[:10]} .. {period.end[:10]} ({period.how})")
    out.extend(_task_table(conf.tasks))
    for a in conf.activities:
        if not a.documented:
            out.append(f"  not in model: {a.activity} ({a.cases:,} cases)")
    out.extend(_match_hints(conf.matching))
    return out


def _task_table(tasks: list[TaskRow]) -> list[str]:
    if not tasks:
        return []
    width = max(len(t.task) for t in tasks)
    out = [f"Tasks      {'':<{width}}  executed   skipped  out of order  last seen"]
    for t in tasks:
        last = (t.last_seen or "never")[:10]
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


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
