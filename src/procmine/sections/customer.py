"""The ``customer`` section (``procmine bottlenecks``, ``audit``): segments (case attributes), satisfaction
scores and touchpoints. Groups are compared only when both hold at least ``min_sample`` scored cases."""

from __future__ import annotations

from dataclasses import dataclass

from procmine.sections.base import Section, doc


@dataclass(kw_only=True)
class SegmentRow(Section):
    value: str = doc("A value of the segment column.")
    cases: int = doc("Cases with that value.")
    share: float | None = doc("Their share of all cases.")
    median_throughput: float = doc("Their median throughput time, seconds.")
    p90_throughput: float = doc("Their 90th percentile throughput time, seconds.")
    sla_breaches: int | None = doc(
        "Of them, cases over the --sla target (with --sla).", default=None, omit_none=True
    )
    sla_breach_rate: float | None = doc("sla_breaches over cases.", default=None, present_with="sla_breaches")
    deviating_cases: int | None = doc(
        "Of them, cases that depart from the documented model (audit).", default=None, omit_none=True
    )
    deviating_share: float | None = doc(
        "deviating_cases over the cases checked.", default=None, present_with="deviating_cases"
    )
    satisfaction_n: int | None = doc("Of them, cases with a score.", default=None, omit_none=True)
    satisfaction_mean: float | None = doc("Their mean score.", default=None, present_with="satisfaction_n")


@dataclass(kw_only=True)
class SegmentTest(Section):
    column: str = doc("A case attribute with 2 to 12 values.")
    values: int = doc("Its distinct values.")
    throughput_p: float | None = doc("Kruskal-Wallis p value of throughput time across its groups.")
    throughput_q: float | None = doc("The same, adjusted for all tests made (Benjamini-Hochberg).")
    conformance_p: float | None = doc("Chi-square p value of deviating vs conforming cases across groups.")
    conformance_q: float | None = doc("The same, adjusted.")
    satisfaction_p: float | None = doc("Kruskal-Wallis p value of the satisfaction score across groups.")
    satisfaction_q: float | None = doc("The same, adjusted.")
    matters: bool = doc("Some q < alpha with a difference large enough to act on.")
    differs_in: list[str] = doc("What differs: throughput, conformance, satisfaction.")


@dataclass(kw_only=True)
class Segments(Section):
    detected: bool = doc("Whether the columns were detected (not given with --segment).")
    columns: list[str] = doc("The case attributes cases are split by (at most max_shown when detected).")
    by_column: dict[str, list[SegmentRow]] = doc("Column -> one row per value, most cases first.")
    more: list[str] = doc("Further attributes that matter, not shown (beyond max_shown).")
    tested: list[SegmentTest] = doc("Every candidate attribute and its tests.")
    max_shown: int = doc("Segments shown at most when detected.")
    min_group: int = doc("Cases a value needs to be compared.")


@dataclass(kw_only=True)
class Nps(Section):
    promoters: float | None = doc("Share of scores 9-10.")
    detractors: float | None = doc("Share of scores 0-6.")
    score: float = doc("Net promoter score: (promoters - detractors) x 100.")


@dataclass(kw_only=True)
class VariantScore(Section):
    variant: list[str] = doc("A variant's activities.")
    cases: int = doc("Its cases.")
    n: int = doc("Of them, cases with a score.")
    mean: float | None = doc("Their mean score.")
    median: float | None = doc("Their median score.")


@dataclass(kw_only=True)
class BandScore(Section):
    band: str = doc("Throughput-time quartile (Q1 fastest).")
    low: float = doc("Shortest throughput time in the band, seconds.", key="from")
    high: float = doc("Longest, seconds.", key="to")
    cases: int = doc("Cases in the band.")
    n: int = doc("Of them, cases with a score.")
    mean: float | None = doc("Their mean score.")
    median: float | None = doc("Their median score.")


@dataclass(kw_only=True)
class GroupComparison(Section):
    group: str = doc("The group of cases compared (e.g. 'deviating cases').")
    against: str = doc("The cases it is compared with.")
    kind: str = doc("What defines the group: deviation, bottleneck or sla.")
    deviation: str | None = doc(
        "The deviation kind (kind deviation, one kind).", default=None, omit_none=True
    )
    source: str | None = doc(
        "The bottleneck's source activity (kind bottleneck).", default=None, omit_none=True
    )
    target: str | None = doc(
        "The bottleneck's target activity (kind bottleneck).", default=None, omit_none=True
    )
    n: int = doc("Scored cases in the group.")
    rest_n: int = doc("Scored cases compared with.")
    mean: float | None = doc("The group's mean score.")
    rest_mean: float | None = doc("The others' mean score.")
    median: float | None = doc("The group's median score.")
    rest_median: float | None = doc("The others' median score.")
    gap: float | None = doc("rest_mean - mean (None: a group too small to compare).")
    p_value: float | None = doc("One-sided Mann-Whitney U p value (None: not tested).")
    test: str = doc("The test run, or why none was.")
    gap_found: bool = doc("Whether the group scores clearly lower (a satisfaction_gap finding).")


@dataclass(kw_only=True)
class Satisfaction(Section):
    column: str = doc("The case column with the score.")
    scale: str = doc("nps (0-10), csat (1-5), ces (1-7) or custom.")
    higher_is_better: bool = doc("Whether a higher score is better.")
    n: int = doc("Cases with a score.")
    mean: float | None = doc("Mean score.")
    median: float | None = doc("Median score.")
    nps: Nps | None = doc("The net promoter score (scale nps only).")
    min_sample: int = doc("Scored cases each group needs before it is compared.")
    min_gap: float = doc("The smallest mean gap reported (a tenth of the scale).")
    alpha: float = doc("Significance level of the test.")
    by_variant: list[VariantScore] = doc("Scores of the most frequent variants.")
    by_throughput_band: list[BandScore] = doc("Scores per throughput-time quartile.")
    comparisons: list[GroupComparison] = doc("Groups compared with the rest.")


@dataclass(kw_only=True)
class Spread(Section):
    mean: float | None = doc("Mean per case.")
    median: float | None = doc("Median per case.")
    p90: float | None = doc("90th percentile per case.")
    max: int | None = doc("Most in one case.")


@dataclass(kw_only=True)
class Handoffs(Section):
    total: int = doc("Touchpoints handled by another person than the one before.")
    cases_with_handoff: int = doc("Cases with at least one.")
    share_of_cases: float | None = doc("Their share of all cases.")
    per_case: Spread = doc("Hand-offs per case.")


@dataclass(kw_only=True)
class Touchpoints(Section):
    activities: list[str] = doc("The customer-facing activities (--touchpoints).")
    unknown: list[str] = doc("Those not in the log.")
    cases: int = doc("Cases.")
    cases_without: int = doc("Cases without any touchpoint.")
    per_case: Spread = doc("Touchpoints per case.")
    by_activity: dict[str, int] = doc("Activity -> its executions.")
    handoffs: Handoffs | None = doc("Hand-offs between people the customer meets (None: no resources).")


@dataclass(kw_only=True)
class CustomerSection(Section):
    NAME = "customer"

    min_sample: int = doc("Scored cases each compared group needs.")
    segments: Segments = doc("Cases split by case attributes.")
    satisfaction: Satisfaction | None = doc("Satisfaction scores (None: no score column).")
    touchpoints: Touchpoints | None = doc("Touchpoints per case (None: no --touchpoints).")
