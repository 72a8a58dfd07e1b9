"""The discovery block: the mined model and its fit, the most frequent variants, the slowest handovers and
case throughput times."""

from __future__ import annotations

from typing import TYPE_CHECKING

from procmine.renderers.shares import ratio_text, share_text
from procmine.sections.discovery import DiscoverySection
from procmine.sections.statistics import Arc, ThroughputSection
from procmine.sections.variants import VariantsSection
from procmine.timefmt import duration

if TYPE_CHECKING:
    from procmine.findings import Report

SHOWN = 5


def lines(report: Report) -> list[str]:
    variants = report.section(VariantsSection)
    out = _discovery(report.section(DiscoverySection)) + _variants(variants)
    out += _waits(report.rows(Arc), variants.cases if variants else 0)
    tp = report.section(ThroughputSection)
    if tp and tp.seconds:
        s = tp.seconds
        out.append(
            f"Throughput median {duration(s.median)}, p90 {duration(s.p90)}, max {duration(s.max)} "
            f"({tp.cases:,} cases)"
        )
    return out


def _discovery(disc: DiscoverySection | None) -> list[str]:
    if disc is None:
        return []
    model, fit = disc.model, disc.fitness
    out = [
        f"Model      {disc.algorithm} miner on {disc.variants_used:,} variants "
        f"({share_text(disc.cases_used_share)} of cases): {model.tasks} tasks, {model.gateways} gateways"
    ]
    if fit:
        scope = _fitness_scope(fit.method, disc.fitness_cases_share)
        out.append(
            f"Fitness    {ratio_text(fit.log_fitness)} ({scope}); "
            f"{share_text(fit.fitting_cases_share)} of them fit perfectly"
        )
    out += _flower(disc) + _precision(disc)
    for reason, count in disc.filter.removed.items():
        if count:
            out.append(f"  filtered {count:,} events ({reason.replace('_', ' ')})")
    return out


def _fitness_scope(method: str, share: float) -> str:
    """How the fitness was measured and on which cases."""
    if method == "optimal alignments":
        return (
            "optimal alignments of every case"
            if share >= 1
            else (f"optimal alignments of the {share_text(share)} of cases aligned in time")
        )
    return f"{method} of " + (
        "every case" if share >= 1 else f"the {share_text(share)} of cases in the most frequent variants"
    )


def _flower(disc: DiscoverySection) -> list[str]:
    choice, tasks = disc.largest_choice, disc.model.tasks
    if not choice.flower:
        return []
    hint = "" if disc.precision else "; --precision measures how much more than the log it allows"
    return [
        f"  note     {choice.branches} of the {tasks} tasks are branches of one choice in a loop "
        f"(a 'flower'): the model accepts them in any order, so its fitness says little{hint}"
    ]


def _precision(disc: DiscoverySection) -> list[str]:
    prec = disc.precision
    if prec is None:
        return []
    if prec.value is None:
        return [f"Precision  not given: {prec.reason}"]
    covered = share_text(prec.cases_share)
    scope = "every variant" if prec.cases_share >= 1 else f"the variants of {covered} of cases"
    return [f"Precision  {ratio_text(prec.value)} (escaping edges over the optimal alignments of {scope})"]


def _variants(variants: VariantsSection | None) -> list[str]:
    if variants is None or not variants.top:
        return []
    reach = variants.variants_to_cover.get("80")
    reach_text = "?" if reach is None else f"{reach:,}"
    out = [f"Variants   {variants.total:,} ({reach_text} cover 80% of cases)"]
    for v in variants.top[:SHOWN]:
        path = " > ".join(v.activities)
        if len(path) > 90:
            path = path[:89] + "…"
        out.append(f"  {v.share:6.1%}  {v.cases:>7,}  {path}")
    return out


def _waits(arcs: list[Arc], cases: int) -> list[str]:
    """The longest median waits of handovers seen in at least 1 % of cases."""
    timed = [(a, a.wait_seconds.median) for a in arcs if a.wait_seconds.median is not None]
    if not timed:
        return []
    frequent = [(a, m) for a, m in timed if a.cases >= 0.01 * (cases or 1)] or timed
    out = ["Longest waits (median, handovers seen in >= 1% of cases)"]
    for a, median in sorted(frequent, key=lambda pair: (-pair[1], pair[0].source, pair[0].target))[:SHOWN]:
        out.append(f"  {duration(median):>8}  {a.source} -> {a.target} ({a.count:,}x)")
    return out
