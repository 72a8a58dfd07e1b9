"""The bottleneck analysis agrees with pm4py (performance DFG, service times, case durations) and finds the
injected bottleneck of the bundled sample."""

from __future__ import annotations

import statistics

import pytest

from procmine.analyses.performance import analyse
from procmine.io.logs import read_log
from procmine.model.log import ACTIVITY, CASE, START, TIMESTAMP


def as_pm4py(events, with_start: bool):
    columns = {CASE: "case:concept:name", ACTIVITY: "concept:name", TIMESTAMP: "time:timestamp"}
    if with_start:
        columns[START] = "start_timestamp"
    frame = events[list(columns)].rename(columns=columns)
    frame["case:concept:name"] = frame["case:concept:name"].astype(object)
    frame["concept:name"] = frame["concept:name"].astype(object)
    return frame


def assert_dfg_agrees(pm4py, result, frame, skip_overlaps: bool) -> int:
    """Every handover's count and wait figures equal pm4py's; returns how many pairs were compared."""
    perf, _, _ = pm4py.discover_performance_dfg(frame, perf_aggregation_key="all")
    counts = pm4py.discover_dfg(frame)[0]
    compared = 0
    for row in result.performance.to_dict()["handovers"]:
        key = (row["source"], row["target"])
        theirs = perf[key]
        if skip_overlaps and (row["overlaps"] or theirs["min"] < 0):
            continue  # overlapping work: procmine counts such a wait as 0, pm4py keeps it negative
        assert row["count"] == counts[key], key
        assert row["mean"] == pytest.approx(theirs["mean"], abs=1e-6), key
        assert row["median"] == pytest.approx(theirs["median"], abs=1e-6), key
        assert row["total"] == pytest.approx(theirs["sum"], abs=1e-3), key
        assert row["max"] == pytest.approx(theirs["max"], abs=1e-6), key
        compared += 1
    return compared


@pytest.fixture(scope="module")
def sample(sample_logs):
    path = sample_logs / "complaints.csv"
    if not path.exists():
        pytest.skip("sample_logs/complaints.csv not generated yet")
    log = read_log(path)
    return log, analyse(log)


def test_sample_injected_bottleneck_is_top_ranked(sample):
    from procmine.samples import INJECTED

    injected = (INJECTED["bottleneck"].source, INJECTED["bottleneck"].target)
    assert injected == ("Classify complaint", "Investigate issue")
    _, result = sample
    top = result.performance.to_dict()["bottlenecks"][0]
    assert (top["source"], top["target"]) == injected
    first = next(f for f in result.findings if f.code == "P001")
    assert (first.location.source, first.location.target) == injected
    assert first.metrics["rank"] == 1


def test_sample_customer_lens_with_the_injected_deviations(sample):
    """Deviations taken from the injection itself: call-backs (undocumented) and skipped classification."""
    from procmine.samples import INJECTED

    log, _ = sample
    ev = log.events
    called = set(ev.loc[ev[ACTIVITY] == INJECTED["undocumented_step"].activity, CASE])
    classified = set(ev.loc[ev[ACTIVITY] == INJECTED["skipped_step"].activity, CASE])
    deviations = {
        case: ({"undocumented_step"} if case in called else set())
        | ({"skipped_step"} if case not in classified else set())
        for case in ev[CASE].unique()
    }
    result = analyse(log, deviations=deviations)
    gaps = {f.metrics["group"] for f in result.findings if f.code == "X001"}
    assert "cases with undocumented step" in gaps  # customers called back are less satisfied
    skipped_only = {case: kinds & {"skipped_step"} for case, kinds in deviations.items()}
    segments = analyse(log, deviations=skipped_only).customer.to_dict()["segments"]["by_column"]["Channel"]
    for row in segments:
        cases = set(ev.loc[ev["Channel"] == row["value"], CASE])
        assert row["deviating_cases"] == len(cases - classified) and row["cases"] == len(cases)
    assert max(segments, key=lambda r: r["deviating_share"])["value"] == "chat"  # skipped mostly in chats


def test_sample_injected_rework_is_found(sample):
    _, result = sample
    rework = {a["activity"]: a for a in result.performance.to_dict()["rework"]["activities"]}
    assert 0.05 <= rework["Propose solution"]["rate"] <= 0.15  # injected in about 10 % of cases


def test_sample_agrees_with_pm4py_performance_dfg_and_service_time(pm4py, sample):
    log, result = sample
    frame = as_pm4py(log.events, with_start=True)
    compared = assert_dfg_agrees(pm4py, result, frame, skip_overlaps=True)
    assert compared >= len(result.performance.handovers) // 2
    for measure, field in (("mean", "mean"), ("median", "median"), ("sum", "total")):
        theirs = pm4py.get_service_time(
            frame, aggregation_measure=measure, start_timestamp_key="start_timestamp"
        )
        ours = {a["activity"]: a["service"][field] for a in result.performance.to_dict()["activities"]}
        assert ours == pytest.approx(theirs, abs=1e-3), measure


@pytest.mark.shared_data
def test_complete_only_log_agrees_with_pm4py(pm4py, shared_data):
    log = read_log(shared_data / "logs/pm4py/input_data/receipt.csv.gz")
    assert not log.has_start_times
    result = analyse(log)
    frame = as_pm4py(log.events, with_start=False)
    compared = assert_dfg_agrees(pm4py, result, frame, skip_overlaps=False)
    assert compared == len(result.performance.handovers)
    durations = sorted(pm4py.get_all_case_durations(frame))
    assert result.performance.to_dict()["throughput"]["total"] == pytest.approx(sum(durations), rel=1e-12)
    assert result.performance.to_dict()["throughput"]["median"] == pytest.approx(statistics.median(durations))
