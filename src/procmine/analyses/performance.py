"""The bottleneck analysis as one call: times, bottlenecks, rework, SLA, resources and the customer lens.

``procmine bottlenecks`` and the audit report both call ``analyse``; it returns the ``performance`` and
``customer`` report sections and their findings, and never prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from procmine.analyses import bottlenecks, resources, waits
from procmine.analyses.case_groups import Deviations
from procmine.analyses.customer import analyse_customer
from procmine.analyses.model_paths import ModelPaths, model_paths
from procmine.analyses.rework import analyse_rework
from procmine.analyses.satisfaction import MIN_SAMPLE
from procmine.analyses.sla import DEFAULT_MAX_BREACH, SlaTargets, analyse_sla
from procmine.findings import Finding
from procmine.sections.customer import CustomerSection
from procmine.sections.performance import PerformanceSection

if TYPE_CHECKING:
    from procmine.model.bpmn import BpmnModel
    from procmine.model.log import EventLog
    from procmine.sections.waits import WaitsSection


@dataclass(frozen=True)
class PerformanceOptions:
    top: int = 5  # bottleneck findings
    sla: SlaTargets = field(default_factory=SlaTargets)
    max_sla_breach: float = DEFAULT_MAX_BREACH
    segments: tuple[str, ...] = ()  # empty: detect low-cardinality case attributes
    satisfaction: str | None = None  # empty: detect a score column
    touchpoints: tuple[str, ...] = ()
    min_sample: int = MIN_SAMPLE
    external: tuple[str, ...] = ()  # activities whose wait is on a customer, partner or timer


@dataclass
class PerformanceResult:
    performance: PerformanceSection
    customer: CustomerSection
    findings: list[Finding]
    waits: WaitsSection

    @property
    def sla_breached(self) -> bool:
        """True when a breach rate is above the tolerated one (exit code 1)."""
        return any(f.kind == "sla_breach" for f in self.findings)


def analyse(
    log: EventLog,
    options: PerformanceOptions | None = None,
    *,
    model: BpmnModel | None = None,
    deviations: Deviations | None = None,
    names: Mapping[str, str] | None = None,
    process_id: str | None = None,
) -> PerformanceResult:
    """``model`` (optional) gives lanes for the workload per lane, and the predecessors of each task and
    the waits it puts on others (``model_paths``); ``names`` maps its task names to log activities (the
    check's matching; default: equal names), ``process_id`` is the process checked. ``deviations``
    (optional, from the conformance analysis) maps case id -> deviation kinds, empty for a conforming case
    (or ``VariantKinds``: the kinds per variant, each case's variant read only if the customer lens splits
    the cases)."""
    options = options or PerformanceOptions()
    timing = bottlenecks.measure(log)
    try:
        paths = _paths(model, names, set(timing.activities["activity"]), process_id)
        waits.prepare(timing, paths)
        wait_section = waits.classify(timing, waits.by_target(timing), paths, options.external)
        ranked = bottlenecks.queue_ranking(wait_section)
        findings = bottlenecks.bottleneck_findings(wait_section, options.top, timing.file)
        rework, rework_findings = analyse_rework(timing, paths)
        findings += rework_findings
        sla_section, breach_target = None, None
        if options.sla:
            sla_section, sla_findings = analyse_sla(timing, options.sla, options.max_sla_breach)
            breach_target = options.sla.case
            findings += sla_findings
        performance = _performance_section(log, timing, ranked, rework, sla_section, model, options)
        customer, customer_findings = analyse_customer(
            timing,
            segments=list(options.segments),
            satisfaction_column=options.satisfaction,
            touchpoints=list(options.touchpoints),
            deviations=deviations,
            breach_target=breach_target,
            bottlenecks=ranked[: options.top],
            min_sample=options.min_sample,
        )
    finally:
        timing.con.close()
    return PerformanceResult(
        performance,
        CustomerSection.from_dict(customer),
        findings + customer_findings,
        wait_section,
    )


def _performance_section(
    log: EventLog,
    timing: bottlenecks.Timing,
    ranked: list[dict[str, Any]],
    rework: dict[str, Any],
    sla_section: dict[str, Any] | None,
    model: BpmnModel | None,
    options: PerformanceOptions,
) -> PerformanceSection:
    top = ranked[0] if ranked else None
    return PerformanceSection.from_dict(
        {
            "time_basis": "start_and_complete" if log.has_start_times else "complete_only",
            "cases": timing.case_count,
            "throughput": timing.throughput,
            "throughput_bins": timing.throughput_bins,
            "bottlenecks": ranked[: options.top],
            "handovers": bottlenecks.handover_table(timing),
            "handovers_total": len(timing.handovers),
            "activities": bottlenecks.activity_table(timing),
            "rework": rework,
            "sla": sla_section,
            "resources": {
                "workload": resources.workload(timing),
                "lanes": resources.lane_workload(timing, model),
                "handovers": resources.resource_handovers(timing),
            },
            "queue": resources.queue_growth(timing, top["source"], top["target"]) if top else None,
        }
    )


def _paths(
    model: BpmnModel | None, names: Mapping[str, str] | None, activities: set[str], process_id: str | None
) -> ModelPaths | None:
    if model is None:
        return None
    if names is None:
        names = {n.label: n.label for n in model.tasks() if n.label in activities}
    return model_paths(model, names, process_id)
