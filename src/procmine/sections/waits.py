"""The ``waits`` section: every long wait, classified as an internal queue or a wait on someone else."""

from __future__ import annotations

from dataclasses import dataclass

from procmine.sections.base import Section, doc


@dataclass(frozen=True)
class QueueEvidence(Section):
    waits: int = doc("Waits tested: each with the number of cases already waiting for the same step.")
    rho: float | None = doc("Spearman's rank correlation between that number and the wait.")
    p_value: float | None = doc("One-sided p value of rho > 0.")
    q_value: float | None = doc("p value adjusted for all the handovers tested (Benjamini-Hochberg).")
    few_waiting: int | None = doc(
        "At most this many others were in progress at the step when the third of arrivals that found the "
        "fewest arrived ..."
    )
    wait_when_few: float | None = doc("... and their median wait (seconds).")
    many_waiting: int | None = doc(
        "At least this many were in progress when the third that found the most arrived ..."
    )
    wait_when_many: float | None = doc("... and their median wait (seconds).")


@dataclass(frozen=True)
class WaitRow(Section):
    source: str = doc("The step after which the work waits (with a model: the predecessor that enabled it).")
    target: str = doc("The step the work waits for.")
    count: int = doc("Waits measured.")
    cases: int = doc("Cases that waited here.")
    median: float = doc("Median wait (seconds).")
    p90: float = doc("90th percentile of the wait (seconds).")
    mean: float = doc("Mean wait (seconds).")
    total: float = doc("Sum of all waits (seconds).")
    max: float = doc("Longest wait (seconds).")
    overlaps: int = doc("Waits where the step began before the work was ready (parallel work): counted as 0.")
    share_of_case_time: float | None = doc("total / the summed throughput time of all cases.")
    per_affected_case: float = doc("total / cases: the wait one affected case pays here (seconds).")
    share_of_affected_case_time: float | None = doc(
        "total / the summed throughput time of the cases that waited here."
    )
    kind: str = doc(
        "queue: an internal queue (the wait grows with the work waiting); outside: a wait on a "
        "customer, partner or timer, by the model or --external; no_queueing: no evidence of a "
        "queue; not_tested: too few waits to tell."
    )
    reason: str = doc("Why, in words.")
    evidence: QueueEvidence | None = doc("The queueing test (null for waits the model puts outside).")

    def is_material(self) -> bool:
        """An internal queue worth a warning (a P001 bottleneck of severity warning): it takes
        ``MATERIAL_SHARE`` of all case time or more, in at least ``MATERIAL_CASES`` cases."""
        share = self.share_of_case_time or 0.0
        return self.kind == "queue" and share >= MATERIAL_SHARE and self.cases >= MATERIAL_CASES


MATERIAL_SHARE = 0.10  # a queue taking this share of all case time or more is a bottleneck warning
MATERIAL_CASES = 5  # a wait seen in fewer cases is only "info": no claims on tiny samples


@dataclass(frozen=True)
class WaitsSection(Section):
    NAME = "waits"

    basis: str = doc(
        "'documented model': each wait runs from the completion of the step's predecessor in "
        "the model; 'previous event': from the event before it in the case."
    )
    min_waits: int = doc("Waits a handover needs for the queueing test.")
    min_rho: float = doc("The correlation a queue needs (besides q < alpha).")
    alpha: float = doc("Significance level of the queueing test, after adjustment.")
    external: list[str] = doc("Activities named with --external: the waits before them are on others.")
    queues: int = doc("Handovers classified as internal queues.")
    summary: str = doc("What the classification found, in one sentence.")
    handovers: list[WaitRow] = doc("Handovers with a wait, largest total wait first (at most 100).")
