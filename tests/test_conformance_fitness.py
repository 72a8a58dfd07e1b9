"""Fitness from procmine's alignments (r4pm, once per variant) equals pm4py's optimal-alignment fitness."""

from __future__ import annotations

import pandas as pd
import pytest

from procmine.adapter.alignments import align_traces, empty_trace_cost
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


def _ours(spec, traces, counts):
    alignments = align_traces(spec, traces, processes=1)
    deviations = variant_deviations(traces, alignments, {}, spec, {}, empty_trace_cost(spec))
    return alignments, fitness_figures(deviations, counts), deviations


def _compare_with_pm4py(pm4py, spec, traces, counts):
    from procmine.adapter.conformance import netspec_to_pm4py

    net, im, fm = netspec_to_pm4py(spec)
    df = _frame(traces, counts)
    theirs = pm4py.fitness_alignments(df, net, im, fm, multi_processing=False)
    diagnostics = pm4py.conformance_diagnostics_alignments(df, net, im, fm, multi_processing=False)
    alignments, figures, deviations = _ours(spec, traces, counts)
    assert figures["fitness"] == pytest.approx(theirs["log_fitness"], abs=1e-12)
    assert figures["average_trace_fitness"] == pytest.approx(theirs["average_trace_fitness"], abs=1e-12)
    assert 100 * figures["fitting_share"] == pytest.approx(theirs["percentage_of_fitting_traces"])
    # trace by trace: the same optimal cost and fitness (cases are in variant order in the frame)
    expanded = [(a, d) for a, d, n in zip(alignments, deviations, counts, strict=True) for _ in range(n)]
    for (alignment, deviation), their in zip(expanded, diagnostics, strict=True):
        assert alignment.cost == their["cost"]
        assert deviation.fitness == pytest.approx(their["fitness"], abs=1e-12)


def test_fitness_equals_pm4py_on_a_discovered_net(pm4py):
    from procmine.adapter.conformance import netspec_from_pm4py

    df = _frame([*TRACES[:2], ("A", "B", "D", "E")], [5, 3, 2])
    net, im, fm = pm4py.discover_petri_net_inductive(df)
    _compare_with_pm4py(pm4py, netspec_from_pm4py(net, im, fm), TRACES, COUNTS)


@pytest.mark.parametrize("build", [sequence_with_choice, parallel_with_loop])
def test_fitness_equals_pm4py_on_translated_bpmn(pm4py, tmp_path, build):
    from procmine.analyses.model_net import netspec_from_translation
    from procmine.io.bpmn import read_bpmn
    from procmine.petri.translate import translate

    spec = netspec_from_translation(translate(read_bpmn(build(tmp_path))))
    _compare_with_pm4py(pm4py, spec, TRACES, COUNTS)


def test_fitness_equals_pm4py_on_the_sample(pm4py, sample_logs):
    from procmine.analyses.alignment_stats import log_variants
    from procmine.analyses.model_net import netspec_from_translation
    from procmine.io.bpmn import read_bpmn
    from procmine.io.logs import read_log
    from procmine.petri.translate import translate

    spec = netspec_from_translation(translate(read_bpmn(sample_logs / "complaints_documented.bpmn")))
    variants = log_variants(read_log(sample_logs / "complaints.csv"))
    _compare_with_pm4py(pm4py, spec, variants.traces, variants.counts)


def test_a_variant_over_the_time_cap_falls_back_to_token_replay(tmp_path, monkeypatch):
    import time

    import procmine.adapter.alignments as alignments
    from tests.test_conformance_findings import cases_log

    log = cases_log([(["A", "B", "C", "E"], 3), (["A", "X", "D", "E"], 2)])
    normal = run_check(sequence_with_choice(tmp_path), log)
    assert normal.section.fallback.variants == 0
    original = alignments._align_one

    def slow(*args):  # the worker processes are forked, so they run this too
        time.sleep(30)
        return original(*args)

    monkeypatch.setattr(alignments, "_align_one", slow)
    monkeypatch.setattr(alignments, "FIRST_PASS_STATES", 1)  # every trace goes to the timed second pass
    capped = run_check(sequence_with_choice(tmp_path), log, time_cap=0.5)
    fallback = capped.section.fallback
    assert (fallback.variants, fallback.cases, fallback.reasons) == (2, 5, {"time cap": 2})
    assert set(capped.per_case["method"]) == {"token_replay"}
    # the fallback fitness is pm4py's token-replay fitness of the trace
    from procmine.adapter.conformance import token_replay_fitness
    from procmine.analyses.model_net import netspec_from_translation
    from procmine.io.bpmn import read_bpmn
    from procmine.petri.translate import translate

    spec = netspec_from_translation(translate(read_bpmn(tmp_path / "choice.bpmn")))
    expected = token_replay_fitness(spec, [("A", "X", "D", "E")])[0]
    assert capped.per_case["fitness"].min() == pytest.approx(expected)


def test_second_pass_in_worker_processes_gives_the_same_optimal_costs(pm4py):
    from procmine.adapter.conformance import netspec_from_pm4py

    df = _frame([*TRACES[:2], ("A", "B", "D", "E")], [5, 3, 2])
    spec = netspec_from_pm4py(*pm4py.discover_petri_net_inductive(df))
    first = align_traces(spec, TRACES)
    # a first-pass cap of one state sends every trace to the worker processes
    second = align_traces(spec, TRACES, first_pass_states=1, processes=2, time_cap=30)
    assert [a.cost for a in second] == [a.cost for a in first]
    assert all(a.failure is None for a in second)
