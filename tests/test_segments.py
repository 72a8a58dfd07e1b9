"""Segments are the case attributes that matter: few values, and a difference that survives the adjustment
for all the attributes tested; at most five get a table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from procmine.analyses import segments as seg
from procmine.analyses.performance import PerformanceOptions, analyse
from tests.factories import make_log

RNG = np.random.default_rng(5)
CASES = 120
SLOW = {"phone": 1.0, "email": 3.0, "chat": 1.05}  # email takes three times as long


def _log(extra_columns: int = 0):
    rows, attributes = [], {}
    for i in range(CASES):
        channel = ("phone", "email", "chat")[i % 3]
        hours = SLOW[channel] * (10 + RNG.exponential(4))
        start = pd.Timestamp("2026-03-02 08:00") + pd.Timedelta(hours=7 * i)
        case = f"c{i:03d}"
        rows += [
            (case, "A", f"{start:%Y-%m-%d %H:%M}"),
            (case, "B", f"{start + pd.Timedelta(hours=hours):%Y-%m-%d %H:%M}"),
        ]
        attributes[case] = {
            "Channel": channel,
            "Region": ("north", "south", "east", "west")[int(RNG.integers(4))],  # no effect
            "Flag": bool(RNG.integers(2)),  # no effect
            "Ticket": f"T{i:03d}",  # an identifier: 120 values
        }
        for k in range(extra_columns):  # copies of the channel under other names: all matter
            attributes[case][f"Copy{k}"] = channel
    return make_log(rows, attributes=attributes)


def test_only_attributes_that_matter_become_segments():
    customer = analyse(_log()).customer.to_dict()["segments"]
    tested = {t["column"]: t for t in customer["tested"]}
    assert set(tested) == {"Channel", "Region", "Flag"}  # Ticket has 120 values: not a candidate
    assert customer["detected"] and customer["columns"] == ["Channel"]
    assert tested["Channel"]["matters"] and tested["Channel"]["differs_in"] == ["throughput"]
    assert not tested["Region"]["matters"] and not tested["Flag"]["matters"]
    assert list(customer["by_column"]) == ["Channel"] and customer["more"] == []


def test_the_test_is_kruskal_wallis_adjusted_for_every_attribute(scipy_stats):
    log = _log()
    customer = analyse(log).customer.to_dict()["segments"]
    tested = {t["column"]: t for t in customer["tested"]}
    cases = log.events.groupby("case_id").agg(
        first=("timestamp", "min"), last=("timestamp", "max"), Region=("Region", "first")
    )
    throughput = (cases["last"] - cases["first"]).dt.total_seconds()
    ref = scipy_stats.kruskal(*[throughput[cases["Region"] == r] for r in sorted(cases["Region"].unique())])
    assert abs(tested["Region"]["throughput_p"] - ref.pvalue) < 1e-9
    p = [tested[c]["throughput_p"] for c in ("Channel", "Region", "Flag")]
    assert [tested[c]["throughput_q"] for c in ("Channel", "Region", "Flag")] == list(
        scipy_stats.false_discovery_control(p)
    )


def test_at_most_five_segments_the_rest_by_name():
    customer = analyse(_log(extra_columns=6)).customer.to_dict()["segments"]
    assert len(customer["columns"]) == seg.MAX_SHOWN == 5
    assert len(customer["more"]) == 2  # Channel and six copies matter: 5 shown, 2 named
    assert set(customer["columns"]) | set(customer["more"]) == {"Channel", *(f"Copy{k}" for k in range(6))}


def test_segment_option_still_forces_one():
    customer = analyse(_log(), PerformanceOptions(segments=("Region",))).customer.to_dict()["segments"]
    assert customer["columns"] == ["Region"] and not customer["detected"]
    assert list(customer["by_column"]) == ["Region"]


def test_a_tiny_difference_in_a_big_log_is_not_a_segment():
    # 2,000 cases: a 5 % slower group is "significant" but too small to act on (medians within 1.2x)
    rows, attributes = [], {}
    for i in range(2000):
        group = "x" if i % 2 else "y"
        hours = (1.05 if group == "x" else 1.0) * (10 + (i % 37) / 10)
        start = pd.Timestamp("2026-03-02 08:00") + pd.Timedelta(hours=i)
        case = f"c{i:04d}"
        rows += [
            (case, "A", f"{start:%Y-%m-%d %H:%M}"),
            (case, "B", f"{start + pd.Timedelta(hours=hours):%Y-%m-%d %H:%M}"),
        ]
        attributes[case] = {"Group": group}
    customer = analyse(make_log(rows, attributes=attributes)).customer.to_dict()["segments"]
    (test,) = customer["tested"]
    assert test["throughput_q"] < 0.05 and not test["matters"] and customer["columns"] == []
