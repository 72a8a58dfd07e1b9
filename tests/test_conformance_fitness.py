"""procmine's own optimal alignments against pm4py's (the reference): the same deviations per trace, the
same per-trace fitness, and pm4py's log fitness once pm4py's silent-step costs are left out; limits mark a
variant as not aligned instead of estimating it; workers do not change a single move."""

from __future__ import annotations

import pandas as pd
import pytest

from procmine.adapter.alignments import MOVE_COST, Limits, align_traces, empty_trace_cost
from procmine.analyses.alignment_stats import fitness_figures, variant_deviations
from tests.test_conformance_models import parallel_with_loop, run_check, sequence_with_choice

TRACES = [
    ("A", "B", "C", "E"),
    ("A", "C", "E"),
    ("B", "A", "D", "E"),
    ("A", "B", "X", "D", "E"),
    ("E",),
    ("A", "B", "C", "D", "E", "E"),
    ("A", "B", "C", "D", "D", "E"),
]
COUNTS = [5, 3, 2, 2, 1, 1, 1]


def _frame(traces, counts):
    rows, n = [], 0
    for trace, count in zip(traces, counts, strict=True):
        for _ in range(count):
            n += 1
            for i, a in enumerate(trace):
                rows.append(
                    (f"c{n:06d}", a, pd.Timestamp("2024-01-01", tz="UTC") + pd.Timedelta(minutes=n * 100 + i))
                )
    return pd.DataFrame(rows, columns=["case:concept:name", "concept:name", "time:timestamp"])


def _ours(spec, traces, counts, **limits):
    alignments = align_traces(spec, traces, Limits(processes=1, **limits))
    deviations = variant_deviations(traces, alignments, spec, {}, empty_trace_cost(spec))
    return alignments, fitness_figures(deviations, counts), deviations


def _compare_with_pm4py(pm4py, spec, traces, counts, reference=None):
    """``reference``: the net pm4py aligns against (default: the same net); its language must be equal."""
    from procmine.adapter.conformance import netspec_to_pm4py

    net, im, fm = reference or netspec_to_pm4py(spec)
    diagnostics = pm4py.conformance_diagnostics_alignments(
        _frame(traces, counts), net, im, fm, multi_processing=False
    )
    alignments, figures, deviations = _ours(spec, traces, counts)
    expanded = [(a, d) for a, d, n in zip(alignments, deviations, counts, strict=True) for _ in range(n)]
    for (alignment, deviation), their in zip(expanded, diagnostics, strict=True):
        assert alignment.cost == their["cost"] // MOVE_COST * MOVE_COST  # pm4py adds 1 per silent step
        assert deviation.fitness == pytest.approx(their["fitness"], abs=1e-12)
    # pm4py's log fitness, with its silent-step costs left out of costs and worst costs
    cost = sum(d["cost"] // MOVE_COST for d in diagnostics)
    worst = sum(d["bwc"] // MOVE_COST for d in diagnostics)
    assert figures["fitness"] == pytest.approx(1 - cost / worst, abs=1e-12)
    theirs = pm4py.fitness_alignments(_frame(traces, counts), net, im, fm, multi_processing=False)
    assert figures["average_trace_fitness"] == pytest.approx(theirs["average_trace_fitness"], abs=1e-12)
    assert 100 * figures["fitting_share"] == pytest.approx(theirs["percentage_of_fitting_traces"])
    assert figures["fitness"] >= theirs["log_fitness"]  # the silent steps only ever lower pm4py's figure
    assert figures["fitness"] - theirs["log_fitness"] < 0.01


def test_fitness_equals_pm4py_on_a_discovered_net(pm4py):
    from procmine.adapter.conformance import netspec_from_pm4py

    df = _frame([*TRACES[:2], ("A", "B", "D", "E")], [5, 3, 2])
    net, im, fm = pm4py.discover_petri_net_inductive(df)
    _compare_with_pm4py(pm4py, netspec_from_pm4py(net, im, fm), TRACES, COUNTS)


@pytest.mark.parametrize("build", [sequence_with_choice, parallel_with_loop])
@pytest.mark.parametrize("reduced", [False, True])
def test_fitness_equals_pm4py_on_translated_bpmn(pm4py, tmp_path, build, reduced):
    """pm4py aligns against the full translation; procmine's reduced net must give the same deviations."""
    from procmine.adapter.conformance import netspec_to_pm4py
    from procmine.analyses.model_net import netspec_from_translation
    from procmine.io.bpmn import read_bpmn
    from procmine.petri.translate import lean, translate

    translation = translate(read_bpmn(build(tmp_path)))
    full = netspec_from_translation(translation)
    spec = netspec_from_translation(lean(translation)) if reduced else full
    if reduced:
        assert sum(t.label is None for t in spec.transitions) < sum(t.label is None for t in full.transitions)
    _compare_with_pm4py(pm4py, spec, TRACES, COUNTS, reference=netspec_to_pm4py(full))


def test_fitness_equals_pm4py_on_the_sample(pm4py, sample_logs):
    from procmine.adapter.conformance import netspec_to_pm4py
    from procmine.analyses.alignment_stats import log_variants
    from procmine.analyses.model_net import netspec_from_translation
    from procmine.io.bpmn import read_bpmn
    from procmine.io.logs import read_log
    from procmine.petri.translate import lean, translate

    translation = translate(read_bpmn(sample_logs / "complaints_documented.bpmn"))
    variants = log_variants(read_log(sample_logs / "complaints.csv"))
    reference = netspec_to_pm4py(netspec_from_translation(translation))
    reduced = netspec_from_translation(lean(translation))
    _compare_with_pm4py(pm4py, reduced, variants.traces, variants.counts, reference)


def test_a_variant_beyond_the_limits_is_marked_not_aligned_never_estimated(tmp_path):
    from tests.test_conformance_findings import cases_log

    log = cases_log([(["A", "B", "C", "E"], 3), (["A", "X", "D", "D", "D", "E"], 2)])
    normal = run_check(sequence_with_choice(tmp_path), log)
    assert normal.section.coverage.variants_not_aligned == 0
    # a state cap too small for the deviating trace; the fitting one replays within it
    capped = run_check(sequence_with_choice(tmp_path), log, max_states=12)
    coverage = capped.section.coverage
    assert coverage.variants_not_aligned == 1 and coverage.cases_not_aligned == 2
    assert coverage.reasons == {"state cap": 1} and coverage.share_of_cases == pytest.approx(0.6)
    rows = [row for batch in capped.per_case.batches() for row in batch]
    per_case = pd.DataFrame(rows, columns=list(capped.per_case.COLUMNS))
    by_method = per_case.groupby("method")["case_id"].count().to_dict()
    assert by_method == {"alignment": 3, "not aligned": 2}
    assert per_case.loc[per_case["method"] == "not aligned", "fitness"].isna().all()
    assert per_case.loc[per_case["method"] == "not aligned", "deviations"].isna().all()
    # the figures cover the aligned cases only, and the bounds hold the figure over all cases
    assert capped.section.fitness == 1.0 and capped.section.fitting_share == 1.0
    low, high = coverage.fitness_bounds
    assert low <= normal.section.fitness <= high < 1.0


def test_workers_do_not_change_a_single_move(pm4py):
    from procmine.adapter.conformance import netspec_from_pm4py

    df = _frame([*TRACES[:2], ("A", "B", "D", "E")], [5, 3, 2])
    spec = netspec_from_pm4py(*pm4py.discover_petri_net_inductive(df))
    traces = [tuple(t) + suffix for t in TRACES for suffix in [(), ("A",), ("C", "B"), ("X", "E")]]
    alone = align_traces(spec, traces, Limits(processes=1))
    assert len(traces) >= 28  # enough for worker processes
    import procmine.adapter.alignments as alignments

    parallel = alignments._Pool(alignments.CompiledNet(spec), Limits(processes=2), None, 2).run(traces, None)
    assert [(a.cost, a.moves) for a in parallel] == [(a.cost, a.moves) for a in alone]
    assert all(a.failure is None for a in parallel)


def test_optimal_costs_equal_r4pm_on_sepsis(shared_data):
    """r4pm's Rust search (Dijkstra, no heuristic) as an independent check of the optimum, variant by
    variant, on a real log against its documented model."""
    r4 = pytest.importorskip("r4pm.bindings.conformance.case_centric.alignments")
    from procmine.analyses.alignment_stats import log_variants
    from procmine.analyses.model_net import netspec_from_translation
    from procmine.io.bpmn import read_bpmn
    from procmine.io.logs import read_log
    from procmine.petri.translate import lean, translate
    from tests.netspec_r4pm import to_r4pm

    folder = shared_data / "models" / "bpmn_with_logs" / "mannhardt_course"
    spec = netspec_from_translation(lean(translate(read_bpmn(folder / "sepsis.bpmn"))))
    traces = log_variants(
        read_log(shared_data / "logs" / "real" / "mannhardt_course" / "sepsis.csv.gz")
    ).traces
    traces = traces[::7]  # every seventh variant: about 120, a few seconds
    ours = align_traces(spec, traces, Limits(processes=1))
    net = to_r4pm(spec)
    costs = {
        "log_move_cost": MOVE_COST,
        "model_move_cost": MOVE_COST,
        "sync_move_cost": 0,
        "silent_move_cost": 0,
    }
    for trace, alignment in zip(traces, ours, strict=True):
        theirs = r4.align_trace(net, list(trace), {"cost_fn": costs, "max_states": 2_000_000})
        assert alignment.cost == theirs["cost"], trace


@pytest.mark.parametrize(
    "pairs",
    [
        {},  # every task carries its own name
        {"A": "a", "B": "b", "C": "c", "D": "d", "E": "e"},  # tasks matched to other log names
        {"A": "a", "B": "b", "C": "c", "D": "c", "E": "e"},  # C and D both carry "c": ambiguous
    ],
)
def test_the_tasks_done_synchronously_are_those_of_the_sync_moves(tmp_path, pairs):
    # A variant that fits reads its tasks off its activities (each activity's one task); where an activity
    # is carried by two tasks the moves say which one the alignment used.
    from tests.test_precision import _net

    spec = _net(sequence_with_choice, tmp_path)
    traces = [tuple(pairs.get(a, a) for a in trace) for trace in [*TRACES, ("A", "B", "D", "E")]]
    aligned = spec.relabelled(pairs)
    alignments = align_traces(aligned, traces, Limits(processes=1))
    assert sum(a.cost == 0 for a in alignments) >= 2
    deviations = variant_deviations(traces, alignments, spec, pairs, empty_trace_cost(aligned))
    task_of = {t.id: t.label for t in spec.transitions}
    for alignment, deviation in zip(alignments, deviations, strict=True):
        synced = {task_of[m.transition_id] for m in alignment.moves if m.kind == "sync"}
        assert deviation.synced == synced
