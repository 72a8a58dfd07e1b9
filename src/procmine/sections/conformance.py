"""The ``conformance`` section (``procmine check``, ``audit``): alignment-based fitness, precision, what
happened to each documented task and each logged activity, and how names were matched."""

from __future__ import annotations

from dataclasses import dataclass

from procmine.sections.base import Section, doc


@dataclass(kw_only=True)
class AlignmentLimits(Section):
    time_cap_seconds: float | None = doc("--time-cap: CPU seconds one variant may take (None: no cap).")
    time_budget_seconds: float | None = doc("--time-budget: seconds for all variants (None: no budget).")
    max_states: int = doc("Search states one variant may take (--limit alignment-states).")


@dataclass(kw_only=True)
class Coverage(Section):
    variants_aligned: int = doc("Variants aligned within the limits: the figures cover these.")
    variants_not_aligned: int = doc("Variants a limit stopped: left out of every figure, never estimated.")
    cases_aligned: int = doc("Cases of the aligned variants.")
    cases_not_aligned: int = doc("Cases of the variants not aligned.")
    share_of_cases: float | None = doc("cases_aligned over all cases (None: no case).")
    reasons: dict[str, int] = doc(
        "Variants not aligned by the limit that stopped them (time cap, state cap...)."
    )
    limits: AlignmentLimits = doc("The limits the alignments ran under.")
    fitness_bounds: list[float] | None = doc(
        "When variants are not aligned: the lowest and highest log fitness over all cases that their unknown "
        "costs allow (None: every variant aligned, the fitness is exact)."
    )


@dataclass(kw_only=True)
class ChoiceRow(Section):
    tasks: list[str] = doc("The tasks of an exclusive choice of which none was done where one was needed.")
    cases: int = doc("Cases with that skip (reported at the choice: no branch is counted as skipped).")


@dataclass(kw_only=True)
class FitnessBand(Section):
    low: float = doc("Lowest fitness in the band.", key="from")
    high: float = doc("Fitness the band goes up to (excluded; the last band is exactly 1).", key="to")
    cases: int = doc("Cases whose fitness is in the band.")


@dataclass(kw_only=True)
class CaseScore(Section):
    case_id: str = doc("The case.")
    fitness: float = doc("Its trace fitness (0..1).")


@dataclass(kw_only=True)
class FitnessCount(Section):
    fitness: float = doc("A case fitness, to 4 decimals.")
    cases: int = doc("Aligned cases with that fitness.")


@dataclass(kw_only=True)
class CaseFitness(Section):
    histogram: list[FitnessBand] = doc("Cases per fitness band of 0.1, and exactly 1 on its own.")
    worst_cases: list[CaseScore] = doc("The least fitting aligned cases (at most 10), worst first.")
    values: list[FitnessCount] = doc(
        "Aligned cases per distinct fitness, lowest first: what `audit --previous` tests a change of "
        "fitness on (Mann-Whitney U)."
    )


@dataclass(kw_only=True)
class RecentPeriod(Section):
    start: str = doc("Start of the period in which documented steps must still happen (ISO, UTC).")
    end: str = doc("Its end: the log's last event.")
    how: str = doc("How the period was chosen (--recent-period, or the last quarter of the log's span).")


@dataclass(kw_only=True)
class Thresholds(Section):
    min_fitness: float | None = doc("--min-fitness (None: not given).")
    max_skip_share: float = doc("--max-skip-share: skips tolerated before a skipped_step finding.")
    max_order_share: float = doc("--max-order-share: reversals tolerated before an order_violation finding.")


@dataclass(kw_only=True)
class ModelRelations(Section):
    computed: bool = doc("Whether the net's state space was small enough to read the relations off.")
    reason: str | None = doc("Why not, when not computed.")
    states: int = doc("Markings explored.")
    mandatory_tasks: list[str] = doc("Tasks fired in every complete run of the model.")


@dataclass(kw_only=True)
class MatchedName(Section):
    task: str = doc("The documented task's name.")
    activity: str = doc("The log activity it was matched with.")
    how: str = doc("mapped (--map), exact, or normalised (equal once case and punctuation are ignored).")


@dataclass(kw_only=True)
class Suggestion(Section):
    name: str = doc("A similar name on the other side.")
    score: float = doc("Its similarity (0..100).")


@dataclass(kw_only=True)
class UnmatchedName(Section):
    task: str | None = doc("The documented task no activity matched.", default=None, omit_none=True)
    activity: str | None = doc("The log activity no task matched.", default=None, omit_none=True)
    suggestions: list[Suggestion] = doc("Similar names on the other side, most similar first.")


@dataclass(kw_only=True)
class AmbiguousName(Section):
    task: str = doc("A documented task's name ...")
    activities: list[str] = doc("... equal to each of these log activities once normalised.")


@dataclass(kw_only=True)
class NameMatching(Section):
    matched: list[MatchedName] = doc("Task and activity pairs, by task name.")
    unmatched_tasks: list[UnmatchedName] = doc("Documented tasks no log activity matched.")
    unmatched_activities: list[UnmatchedName] = doc("Log activities no documented task matched.")
    ambiguous: list[AmbiguousName] = doc("Task names that match several activities once normalised.")


@dataclass(kw_only=True)
class TaskRow(Section):
    task: str = doc("The documented task's name.")
    element_ids: list[str] = doc("Its element ids in the model file.")
    activity: str | None = doc("The log activity it was matched with.")
    mandatory: bool | None = doc(
        "Fired in every complete run of the model; null when the state space was too large to tell."
    )
    cases_executed: int = doc("Cases with a synchronous move on the task.")
    cases_skipped: int = doc(
        "Cases with a model move on the task and no occurrence of its activity (skips of a whole choice are "
        "counted in `choices`, not here)."
    )
    cases_out_of_order: int = doc("Cases with a model move on the task and a log move of its activity.")
    model_moves: int = doc("Model moves on the task over all cases.")
    first_seen: str | None = doc("First time its activity occurs in the log (ISO, UTC).")
    last_seen: str | None = doc("Last time its activity occurs in the log (ISO, UTC).")
    skip_share: float | None = doc(
        "cases_skipped over the aligned cases (None when no case was aligned).", default=None
    )


@dataclass(kw_only=True)
class ActivityRow(Section):
    activity: str = doc("The log activity.")
    documented: bool = doc("Whether a documented task matches it.")
    tasks: list[str] = doc("The documented tasks matched with it.")
    cases: int = doc("Cases in which it occurs.")
    events: int = doc("Its events.")
    cases_inserted: int = doc("Cases with a log move of the activity not explained by an out-of-order task.")
    log_moves: int = doc("Log moves on the activity over all cases.")
    first_seen: str | None = doc("Its first event (ISO, UTC).")
    last_seen: str | None = doc("Its last event (ISO, UTC).")


@dataclass(kw_only=True)
class ConformanceSection(Section):
    NAME = "conformance"

    method: str = doc("How fitness was computed.")
    cost_function: dict[str, int] = doc("Alignment costs: log_move, model_move, silent_move, sync_move.")
    cases: int = doc("Cases checked.")
    variants: int = doc("Variants (each aligned once, within the limits).")
    fitness: float | None = doc(
        "1 - total alignment cost / total worst-case cost over the aligned cases (pm4py's log_fitness, "
        "silent steps free; None: no variant aligned)."
    )
    average_trace_fitness: float | None = doc("Mean trace fitness over the aligned cases.")
    fitting_cases: int = doc("Aligned cases that follow the documented model exactly (trace fitness 1).")
    fitting_share: float | None = doc("Their share of the aligned cases.")
    coverage: Coverage = doc(
        "Which share of the log the alignment figures cover, and why the rest is left out."
    )
    precision: float | None = doc("Precision: escaping edges over the alignments (None: not given).")
    precision_method: str | None = doc("How precision was computed (None: not given).")
    precision_note: str | None = doc("Why precision is not given (None: it is).")
    case_fitness: CaseFitness = doc("The distribution of trace fitness over the cases.")
    recent_period: RecentPeriod | None = doc("The period of outdated_step's 'not since' (None: empty log).")
    thresholds: Thresholds = doc("The thresholds the findings were judged by.")
    model_relations: ModelRelations = doc(
        "Mandatory tasks and the documented order, read off the net's state space (skipped_step and "
        "order_violation need them)."
    )
    matching: NameMatching = doc("How documented task names were matched with log activities.")
    tasks: list[TaskRow] = doc("One row per documented task (by name), sorted by name.")
    choices: list[ChoiceRow] = doc("Exclusive choices skipped as a whole, most cases first.")
    activities: list[ActivityRow] = doc("One row per log activity, sorted by name.")

    def task(self, name: str) -> TaskRow | None:
        return next((t for t in self.tasks if t.task == name), None)
