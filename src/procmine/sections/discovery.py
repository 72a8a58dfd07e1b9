"""The ``discovery`` section (``discover``): how the model was mined and how well it fits the log."""

from __future__ import annotations

from dataclasses import dataclass

from procmine.sections.base import Section, doc


@dataclass(kw_only=True)
class ReplayFitness(Section):
    log_fitness: float = doc(
        "Fitness of the log on the mined model: token replay's, or with --precision the alignments' "
        "(1 - total cost / total worst-case cost, as check computes it)."
    )
    average_trace_fitness: float = doc("Mean trace fitness.")
    fitting_cases_share: float = doc(
        "Share of cases that fit: replay without a missing or remaining token, or align without a deviation."
    )
    method: str = doc(
        "token replay (the most frequent variants), or optimal alignments (every variant aligned in time: "
        "with --precision).",
        default="token replay",
    )


@dataclass(kw_only=True)
class MinedModelPrecision(Section):
    value: float | None = doc("Precision of the mined model on the fitness's variants (None: not computed).")
    method: str = doc("How it was computed: escaping edges over the variants' optimal alignments.")
    reason: str | None = doc("Why there is no value, when there is none.")
    cases: int = doc("Cases of the variants whose alignments it counts.")
    cases_share: float = doc(
        "Their share of all cases (below 1 when some variants were not aligned in time)."
    )


@dataclass(kw_only=True)
class LargestChoice(Section):
    branches: int = doc("Branches of the mined model's widest exclusive (or inclusive) split.")
    in_loop: bool = doc("Whether that split sits on a loop (a branch leads back to it).")
    flower: bool = doc("On a loop with at least 10 branches and half the tasks: the model accepts any order.")


@dataclass(kw_only=True)
class MinedModelSize(Section):
    tasks: int = doc("Tasks of the mined model.")
    gateways: int = doc("Its gateways.")
    events: int = doc("Its events.")
    flows: int = doc("Its sequence flows.")


@dataclass(kw_only=True)
class EventFilterCounts(Section):
    events_before: int = doc("Events before --activities/--since/--until.")
    events_after: int = doc("Events after them.")
    removed: dict[str, int] = doc("Events removed, by the option that removed them.")


@dataclass(kw_only=True)
class DiscoverySection(Section):
    NAME = "discovery"

    algorithm: str = doc("The miner: inductive, heuristics or split.")
    mined_from: str = doc("What it was mined from: the variants, or the directly-follows graph (IMd).")
    parameters: dict[str, float] = doc("The miner's parameters (noise threshold...).")
    coverage: float = doc("--coverage: the share of cases whose most frequent variants were mined.")
    variants_used: int = doc("Variants mined from.")
    cases_used: int = doc("Their cases.")
    cases_used_share: float = doc("Their share of all cases.")
    fitness: ReplayFitness | None = doc("How well the mined model replays the log (None: not computed).")
    fitness_cases_share: float = doc(
        "Share of cases the fitness covers (token replay: the 100 most frequent variants at most; "
        "alignments: the variants aligned within the time budget)."
    )
    precision: MinedModelPrecision | None = doc(
        "How much more than the log the mined model allows (1: nothing more; near 0: almost any order)."
    )
    model: MinedModelSize = doc("The size of the mined model.")
    largest_choice: LargestChoice = doc(
        "Its widest choice: many tasks as branches of one loop accept any order."
    )
    filter: EventFilterCounts = doc("What --activities/--since/--until removed.")
