"""The customer lens on hand-built logs: segments, satisfaction by deviation, sample sizes, touchpoints."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from procmine.analyses.performance import PerformanceOptions, analyse
from procmine.analyses.satisfaction import lower_p_value
from procmine.analyses.sla import parse_sla
from procmine.errors import InputError
from tests.factories import make_log

H = 3600.0


def customer_log(cases: int = 80):
    """Odd cases come by web and take 2 h, even ones by phone and take 4 h. The first half deviates
    (skipped a step, the first 10 also an undocumented one) and scores 3-5; the second half conforms and
    scores 8-10."""
    rows, attributes, deviations = [], {}, {}
    for i in range(cases):
        case = f"c{i:03d}"
        web = i % 2 == 1
        rows += [
            (case, "Register", "2024-03-01 08:00", None, "ann"),
            (case, "Call", f"2024-03-01 {10 if web else 12}:00", None, "bob" if i % 4 else "ann"),
        ]
        deviating = i < cases // 2
        score = (3 + i % 3) if deviating else (8 + i % 3)
        attributes[case] = {"Channel": "web" if web else "phone", "Satisfaction": score, "Customer": case}
        deviations[case] = (
            ({"skipped_step"} | ({"undocumented_step"} if i < 10 else set())) if deviating else set()
        )
    return make_log(rows, attributes=attributes), deviations


def test_segments_detected_and_split():
    log, deviations = customer_log()
    result = analyse(log, PerformanceOptions(sla=parse_sla(["3h"])), deviations=deviations)
    seg = result.customer.to_dict()["segments"]
    assert seg["detected"] and seg["columns"] == ["Channel"]  # not the score, not the 80-valued Customer
    rows = {r["value"]: r for r in seg["by_column"]["Channel"]}
    assert rows["web"]["cases"] == 40 and rows["phone"]["cases"] == 40
    assert rows["web"]["median_throughput"] == 2 * H and rows["phone"]["median_throughput"] == 4 * H
    assert rows["web"]["sla_breaches"] == 0 and rows["phone"]["sla_breach_rate"] == 1.0
    assert rows["web"]["deviating_share"] == 0.5 and rows["phone"]["deviating_cases"] == 20
    scores = {c: a for c, a in zip(log.events["case_id"], log.events["Satisfaction"], strict=True)}
    web_scores = [s for c, s in scores.items() if int(c[1:]) % 2 == 1]
    assert rows["web"]["satisfaction_mean"] == pytest.approx(np.mean(web_scores))


def test_explicit_segment_and_unknown_segment():
    log, _ = customer_log()
    result = analyse(log, PerformanceOptions(segments=("Customer",)))
    assert not result.customer.to_dict()["segments"]["detected"]
    assert len(result.customer.to_dict()["segments"]["by_column"]["Customer"]) == 80
    with pytest.raises(InputError, match="no case attribute 'Nope'"):
        analyse(log, PerformanceOptions(segments=("Nope",)))


def test_satisfaction_by_deviation_flags_a_gap():
    from scipy.stats import mannwhitneyu

    log, deviations = customer_log()
    result = analyse(log, deviations=deviations)
    sat = result.customer.to_dict()["satisfaction"]
    assert (sat["column"], sat["scale"], sat["n"]) == ("Satisfaction", "nps", 80)
    deviating = [(3 + i % 3) for i in range(40)]
    conforming = [(8 + i % 3) for i in range(40, 80)]
    comp = next(c for c in sat["comparisons"] if c.get("deviation") == "skipped_step")
    assert (comp["n"], comp["rest_n"]) == (40, 40)
    assert comp["mean"] == pytest.approx(np.mean(deviating)) and comp["rest_mean"] == pytest.approx(
        np.mean(conforming)
    )
    expected_p = mannwhitneyu(deviating, conforming, alternative="less").pvalue
    assert comp["p_value"] == pytest.approx(expected_p) and comp["gap_found"]
    gaps = [f for f in result.findings if f.code == "X001"]
    assert {f.metrics["group"] for f in gaps} == {"deviating cases", "cases with skipped step"}
    undocumented = next(c for c in sat["comparisons"] if c.get("deviation") == "undocumented_step")
    assert undocumented["n"] == 10 and undocumented["p_value"] is None  # too few to say anything
    assert all(f.kind == "satisfaction_gap" and f.category == "customer" for f in gaps)
    nps = sat["nps"]  # promoters score 9-10, detractors 0-6
    assert nps["promoters"] == pytest.approx(sum(s >= 9 for s in conforming) / 80)
    assert nps["detractors"] == 0.5


def test_no_claims_on_small_samples():
    log, deviations = customer_log(cases=20)  # 10 vs 10 scored cases, below the minimum of 30
    result = analyse(log, deviations=deviations)
    sat = result.customer.to_dict()["satisfaction"]
    assert sat["min_sample"] == 30 and result.customer.to_dict()["min_sample"] == 30
    assert all(c["p_value"] is None and "fewer than 30" in c["test"] for c in sat["comparisons"])
    assert not [f for f in result.findings if f.code == "X001"]
    smaller = analyse(log, PerformanceOptions(min_sample=10), deviations=deviations)
    assert [f for f in smaller.findings if f.code == "X001"]


def test_no_gap_when_scores_do_not_differ():
    log, deviations = customer_log()
    flipped = {c: ({"skipped_step"} if int(c[1:]) % 2 else set()) for c in deviations}  # unrelated to scores
    result = analyse(log, deviations=flipped)
    assert not [f for f in result.findings if f.code == "X001"]


def test_satisfaction_bands_and_variants():
    rows, attributes = [], {}
    for i in range(40):
        rows += [
            (f"c{i}", "A", "2024-03-01 00:00"),
            (f"c{i}", "B", f"2024-03-0{1 + i // 10} {i % 10:02d}:30"),
        ]
        attributes[f"c{i}"] = {"CSAT": 5 - i // 10}
    sat = analyse(make_log(rows, attributes=attributes)).customer.to_dict()["satisfaction"]
    assert sat["scale"] == "csat" and sat["nps"] is None
    assert [b["mean"] for b in sat["by_throughput_band"]] == [5, 4, 3, 2]
    assert sum(b["cases"] for b in sat["by_throughput_band"]) == 40
    assert sat["by_variant"] == [{"variant": ["A", "B"], "cases": 40, "n": 40, "mean": 3.5, "median": 3.5}]


def test_explicit_satisfaction_column_must_exist():
    log, _ = customer_log()
    with pytest.raises(InputError, match="no case attribute 'Score'"):
        analyse(log, PerformanceOptions(satisfaction="Score"))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mann_whitney_agrees_with_scipy(seed):
    from scipy.stats import mannwhitneyu

    rng = np.random.default_rng(seed)
    low = rng.integers(0, 11, 40 + seed * 7).astype(float)  # integer scores: many ties
    high = np.clip(rng.integers(0, 11, 55) + seed - 1, 0, 10).astype(float)
    p, test = lower_p_value(low, high)
    assert test.startswith("Mann-Whitney")
    assert p == pytest.approx(mannwhitneyu(low, high, alternative="less").pvalue, rel=1e-9)


def test_touchpoints_per_case_and_handoffs():
    log, _ = customer_log(cases=8)
    touch = analyse(log, PerformanceOptions(touchpoints=("Register", "Call", "Visit"))).customer.to_dict()[
        "touchpoints"
    ]
    assert touch["unknown"] == ["Visit"] and touch["by_activity"] == {"Register": 8, "Call": 8}
    assert touch["per_case"]["mean"] == 2 and touch["cases_without"] == 0
    # ann registers every case; bob takes the call in cases 1, 2, 3, 5, 6, 7 (not 0 and 4)
    assert touch["handoffs"]["total"] == 6 and touch["handoffs"]["share_of_cases"] == 0.75


def test_score_column_detection_prefers_satisfaction_names():
    from procmine.analyses.satisfaction import detect_column

    attrs = pd.DataFrame({"risk_score": [1, 2], "NPS": [9, 3], "Channel": ["web", "chat"]})
    assert detect_column(attrs, None) == "NPS"
    assert detect_column(attrs[["risk_score", "Channel"]], None) == "risk_score"
    assert detect_column(attrs[["Channel"]], None) is None


def test_a_single_deviation_kind_is_compared_once():
    log, deviations = customer_log()
    only = {c: ({"deviating"} if kinds else set()) for c, kinds in deviations.items()}
    result = analyse(log, deviations=only)
    satisfaction = result.customer.satisfaction
    assert satisfaction is not None
    assert [c.group for c in satisfaction.comparisons if c.kind == "deviation"] == ["deviating cases"]
    assert len([f for f in result.findings if f.code == "X001"]) == 1
