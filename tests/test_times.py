"""Time figures in SQL on hand-built logs whose answers are worked out on paper (hours unless noted)."""

from __future__ import annotations

import pytest

from procmine.engine import times
from procmine.engine.db import connect
from tests.factories import make_log

H = 3600.0


def steps(log):
    con = connect(log)
    times.prepare_steps(con)
    return con


def complete_only():
    """c1 A0 B1 C3 | c2 A0 B2 C6 | c3 A0 C10 | c4 A0 B1 B2 C3 (hours after midnight)."""
    rows = []
    for case, trace in {
        "c1": [("A", 0), ("B", 1), ("C", 3)],
        "c2": [("A", 0), ("B", 2), ("C", 6)],
        "c3": [("A", 0), ("C", 10)],
        "c4": [("A", 0), ("B", 1), ("B", 2), ("C", 3)],
    }.items():
        rows += [(case, act, f"2024-03-01 {hour:02d}:00") for act, hour in trace]
    return make_log(rows)


def with_starts():
    """Start and completion times and resources; in c2, C starts before B completes (overlap)."""
    return make_log(
        [
            ("c1", "A", "2024-03-01 10:00", "2024-03-01 09:00", "r1"),
            ("c1", "B", "2024-03-01 11:30", "2024-03-01 11:00", "r2"),
            ("c1", "C", "2024-03-01 12:00", "2024-03-01 11:30", "r2"),
            ("c2", "A", "2024-03-01 09:30", "2024-03-01 09:00", "r1"),
            ("c2", "B", "2024-03-01 14:30", "2024-03-01 13:30", "r1"),
            ("c2", "C", "2024-03-01 15:00", "2024-03-01 14:00", "r3"),
        ]
    )


def by_pair(frame):
    return {(r["source"], r["target"]): r for r in frame.to_dict("records")}


def test_handover_waits_complete_to_complete():
    pairs = by_pair(times.handover_waits(steps(complete_only())))
    ab = pairs[("A", "B")]
    assert (ab["count"], ab["cases"]) == (3, 3)
    assert ab["median"] == 1 * H and ab["total"] == 4 * H and ab["mean"] == pytest.approx(4 / 3 * H)
    assert ab["p90"] == pytest.approx(1.8 * H)  # linear interpolation over [1, 1, 2]
    assert pairs[("B", "C")]["total"] == 7 * H and pairs[("B", "C")]["median"] == 2 * H
    assert pairs[("A", "C")]["total"] == 10 * H
    assert pairs[("B", "B")]["total"] == 1 * H
    # the summed throughput of the cases that passed each pair (c1 3 h, c2 6 h, c4 3 h)
    assert ab["affected_throughput"] == 12 * H


def test_throughput_and_case_times():
    con = steps(complete_only())
    cases = times.case_times(con).set_index("case_id")
    assert cases["throughput"].to_dict() == {"c1": 3 * H, "c2": 6 * H, "c3": 10 * H, "c4": 3 * H}
    per_case, activities = times.case_variants(con)
    assert activities[per_case.set_index("case_id").loc["c4", "variant_id"]] == ["A", "B", "B", "C"]
    stats = times.throughput_stats(con)
    assert stats == {
        "count": 4,
        "median": 4.5 * H,
        "p90": pytest.approx(8.8 * H),
        "mean": 5.5 * H,
        "total": 22 * H,
    }


def test_no_start_times_means_no_service_time():
    acts = times.activity_times(steps(complete_only())).set_index("activity")
    assert acts.loc["B", "service_count"] == 0
    # sojourn of C: c1 2 h, c2 4 h, c3 10 h, c4 1 h
    assert acts.loc["C", "sojourn_total"] == 17 * H and acts.loc["C", "sojourn_median"] == 3 * H
    assert acts.loc["A", "sojourn_count"] == 0  # the first step of a case has no sojourn


def test_end_to_start_waits_service_and_overlap():
    con = steps(with_starts())
    pairs = by_pair(times.handover_waits(con))
    assert pairs[("A", "B")]["total"] == 5 * H and pairs[("A", "B")]["median"] == 2.5 * H
    bc = pairs[("B", "C")]
    assert bc["total"] == 0 and bc["overlaps"] == 1  # c2: C started half an hour before B completed
    acts = times.activity_times(con).set_index("activity")
    assert acts.loc["A", "service_total"] == 1.5 * H and acts.loc["A", "service_median"] == 0.75 * H
    assert acts.loc["B", "sojourn_total"] == 6.5 * H  # c1 10:00 -> 11:30, c2 09:30 -> 14:30
    assert times.throughput_stats(con)["total"] == 9 * H  # first start to last completion: 3 h + 6 h


def test_rework_counts_and_extra_time():
    con = steps(complete_only())
    rows = times.repeats(con).set_index("activity")
    assert rows.loc["B", "repeats"] == 1 and rows.loc["B", "cases_reworked"] == 1
    assert rows.loc["B", "extra_time"] == 1 * H  # the second B of c4: 01:00 -> 02:00
    assert rows.loc["A", "repeats"] == 0
    assert times.reworked_cases(con) == 1


def test_resources_workload_and_handovers():
    con = steps(with_starts())
    work = times.resource_workload(con).set_index("resource")
    assert work.loc["r1", "events"] == 3 and work.loc["r1", "busy"] == 2.5 * H
    assert work.loc["r2", "busy"] == 1 * H and work.loc["r3", "events"] == 1
    hand = by_pair(times.resource_handovers(con))
    assert set(hand) == {("r1", "r2"), ("r1", "r3")}
    assert hand[("r1", "r2")]["total"] == 1 * H and hand[("r1", "r3")]["total"] == 0
    assert times.transitions(con) == 4


def test_touchpoints_and_customer_handoffs():
    log = make_log(
        [
            ("c1", "Call", "2024-03-01 09:00", None, "ann"),
            ("c1", "Work", "2024-03-01 10:00", None, "bob"),
            ("c1", "Call", "2024-03-01 11:00", None, "cid"),
            ("c1", "Mail", "2024-03-01 12:00", None, "cid"),
            ("c2", "Work", "2024-03-01 09:00", None, "bob"),
        ]
    )
    counts = times.touchpoint_counts(steps(log), ["Call", "Mail"])
    assert sorted(counts) == [(0, 0, 1), (3, 1, 1)]  # c1: ann -> cid is a hand-off, cid -> cid not; c2: none


def test_throughput_log_bins_by_hand():
    """Throughputs 3, 6, 10, 3 h (complete_only) and a case of one event (0 s): bin k holds
    [1.01^k, 1.01^(k+1)) s, so 10,800 s is bin floor(ln 10800 / ln 1.01) = 933, 21,600 s is 1,003 and
    36,000 s is 1,054; 0 s is bin -1."""
    log = make_log(
        [(c, a, f"2024-03-01 {h:02d}:00") for c, a, h in [("c1", "A", 0), ("c1", "C", 3), ("c2", "A", 0)]]
        + [(c, a, f"2024-03-01 {h:02d}:00") for c, a, h in [("c2", "C", 6), ("c3", "A", 0), ("c3", "C", 10)]]
        + [("c4", "A", "2024-03-01 00:00"), ("c4", "C", "2024-03-01 03:00"), ("c5", "A", "2024-03-01 05:00")]
    )
    bins = times.throughput_log_bins(steps(log))
    assert bins == [
        {"bin": -1, "cases": 1},
        {"bin": 933, "cases": 2},
        {"bin": 1003, "cases": 1},
        {"bin": 1054, "cases": 1},
    ]
    assert 1.01**933 <= 3 * H < 1.01**934 and 1.01**1054 <= 10 * H < 1.01**1055
