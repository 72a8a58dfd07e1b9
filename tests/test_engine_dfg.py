"""The SQL engine against a log worked out on paper, and against pm4py on the same canonical frame."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pandas as pd
import pytest

from procmine.engine import cases, db, dfg, variants
from tests.factories import make_log

# c1: A 09:00, B 10:00, C 12:00                 -> A>B (1 h), B>C (2 h)
# c2: A 09:00, C 09:30, B 09:30 (tie: file order) -> A>C (30 min), C>B (0)
# c3: A 09:00, B 11:00, C 11:00                 -> A>B (2 h), B>C (0)
# c4: B 08:00, B 08:20 (rework)                 -> B>B (20 min)
TINY = [
    ("c1", "A", "2024-01-01 09:00"),
    ("c1", "B", "2024-01-01 10:00"),
    ("c1", "C", "2024-01-01 12:00"),
    ("c2", "A", "2024-01-02 09:00"),
    ("c2", "C", "2024-01-02 09:30"),
    ("c2", "B", "2024-01-02 09:30"),
    ("c3", "B", "2024-01-03 11:00"),  # written before A, but happens after it
    ("c3", "A", "2024-01-03 09:00"),
    ("c3", "C", "2024-01-03 11:00"),
    ("c4", "B", "2024-01-04 08:00"),
    ("c4", "B", "2024-01-04 08:20"),
]


@pytest.fixture
def con():
    return db.connect(make_log(TINY))


def test_dfg_counts_and_waits_match_the_hand_worked_log(con):
    arcs = {(a.source, a.target): a for a in dfg.dfg(con)}
    assert {k: (a.count, a.cases) for k, a in arcs.items()} == {
        ("A", "B"): (2, 2),
        ("B", "C"): (2, 2),
        ("A", "C"): (1, 1),
        ("C", "B"): (1, 1),
        ("B", "B"): (1, 1),
    }
    ab = arcs[("A", "B")]
    assert (ab.wait_min, ab.wait_max, ab.wait_median, ab.wait_mean, ab.wait_total) == (
        3600,
        7200,
        5400,
        5400,
        10800,
    )
    assert ab.wait_p90 == pytest.approx(3600 + 0.9 * 3600)
    assert (arcs[("B", "C")].wait_median, arcs[("C", "B")].wait_total) == (3600, 0)
    assert arcs[("B", "B")].wait_total == 1200
    assert [(a.source, a.target) for a in dfg.dfg(con)][:2] == [("A", "B"), ("B", "C")]  # most frequent first


def test_start_end_activities_and_variants(con):
    assert dfg.start_activities(con) == {"A": 3, "B": 1}
    assert dfg.end_activities(con) == {"C": 2, "B": 2}
    got = [(v.id, v.activities, v.cases) for v in variants.variants(con)]
    assert got == [(1, ("A", "B", "C"), 2), (2, ("A", "C", "B"), 1), (3, ("B", "B"), 1)]
    assert variants.variant_count(con) == 3
    assert [v.id for v in variants.variants_covering(con, 0.5)] == [1]
    assert [v.id for v in variants.variants_covering(con, 0.51)] == [1, 2]
    assert variants.coverage_curve(con) == [
        {"variants": 1, "cases_share": 0.5},
        {"variants": 2, "cases_share": 0.75},
        {"variants": 3, "cases_share": 1.0},
    ]
    mapping = dict(con.execute("SELECT case_id, variant_id FROM case_variant").fetchall())
    assert mapping == {"c1": 1, "c2": 2, "c3": 1, "c4": 3}


def test_throughput_and_activity_statistics(con):
    tp = cases.throughput(con, bins=2)
    assert tp["cases"] == 4
    assert tp["seconds"]["min"] == 1200 and tp["seconds"]["max"] == 10800
    assert tp["seconds"]["median"] == pytest.approx((1800 + 7200) / 2) and tp["seconds"]["total"] == 21000
    assert [h["cases"] for h in tp["histogram"]] == [2, 2]
    stats = {a.activity: a for a in cases.activity_stats(con)}
    assert (stats["B"].events, stats["B"].cases, stats["B"].rework_cases) == (5, 4, 1)
    assert stats["A"].case_share == 0.75 and stats["A"].service_median is None


def test_waits_run_to_the_next_start_and_never_below_zero():
    log = make_log(
        [
            ("c1", "A", "2024-01-01 10:00", "2024-01-01 09:00"),
            ("c1", "B", "2024-01-01 12:00", "2024-01-01 11:30"),  # waits 1.5 h for B to start
            ("c1", "C", "2024-01-01 13:00", "2024-01-01 11:00"),  # started before B completed: 0
            ("c1", "D", "2024-01-01 14:00", None),  # no start time: its completion counts
        ]
    )
    con = db.connect(log)
    waits = {(a.source, a.target): a.wait_total for a in dfg.dfg(con)}
    assert waits == {("A", "B"): 5400, ("B", "C"): 0, ("C", "D"): 3600}
    stats = {a.activity: a for a in cases.activity_stats(con)}
    assert stats["C"].service_median == 7200 and stats["D"].service_median is None
    assert cases.throughput(con)["seconds"]["total"] == 5 * 3600  # 09:00 .. 14:00


def test_directly_follows_relation_is_reusable(con):
    rel = dfg.directly_follows(con)
    assert rel.columns[:6] == ["case_id", "case_key", "source", "target", "source_row", "target_row"]
    rows = rel.filter("case_id = 'c3'").order("source_completed_at").fetchall()
    assert [(r[2], r[3], r[4], r[5], r[-1]) for r in rows] == [
        ("A", "B", 7, 6, 7200.0),
        ("B", "C", 6, 8, 0.0),
    ]
    assert len(rel.fetchall()) == 7


def test_filters_count_what_they_remove():
    log = make_log(TINY)
    only = db.EventFilter(activities=("A", "B"))
    con = db.connect(log, only)
    assert {(a.source, a.target): a.count for a in dfg.dfg(con)} == {("A", "B"): 3, ("B", "B"): 1}
    assert db.filter_counts(con, only).to_dict() == {
        "events_before": 11,
        "events_after": 8,
        "removed": {"activity_not_selected": 3},
    }
    window = db.EventFilter(since=datetime(2024, 1, 2, tzinfo=UTC), until=datetime(2024, 1, 4, tzinfo=UTC))
    con = db.connect(log, window)
    assert sorted(r[0] for r in con.execute("SELECT DISTINCT case_id FROM events").fetchall()) == ["c2", "c3"]
    assert db.filter_counts(con, window).removed == {"case_outside_time_window": 5}


def _random_log(seed: int, n_cases: int = 300):
    """Random traces with many equal timestamps, rows written in shuffled order."""
    rng = random.Random(seed)
    rows = []
    for c in range(n_cases):
        t = pd.Timestamp("2024-01-01") + pd.Timedelta(minutes=rng.randrange(100000))
        for _ in range(rng.randint(1, 8)):
            rows.append((f"case{c:04d}", rng.choice("ABCDEFG"), str(t)))
            t += pd.Timedelta(minutes=rng.choice([0, 0, 5, 60, 1440]))
    rng.shuffle(rows)
    return make_log(rows)


@pytest.mark.parametrize("seed", [1, 2])
def test_equals_pm4py_on_the_same_frame(seed):
    pm4py = pytest.importorskip("pm4py")
    from procmine.adapter.discovery import to_pm4py_frame

    log = _random_log(seed)
    frame = to_pm4py_frame(log.events)
    con = db.connect(log)
    ours = {(a.source, a.target): a for a in dfg.dfg(con)}
    counts, starts, ends = pm4py.discover_dfg(frame)
    assert {k: a.count for k, a in ours.items()} == dict(counts)
    assert dfg.start_activities(con) == dict(starts) and dfg.end_activities(con) == dict(ends)
    perf, _, _ = pm4py.discover_performance_dfg(frame)
    for key, figures in perf.items():
        arc = ours[key]
        assert arc.wait_median == pytest.approx(figures["median"], abs=1e-6)
        assert arc.wait_mean == pytest.approx(figures["mean"], abs=1e-6)
        assert arc.wait_total == pytest.approx(figures["sum"], abs=1e-6)
        assert (arc.wait_min, arc.wait_max) == pytest.approx((figures["min"], figures["max"]), abs=1e-6)
    theirs = pm4py.get_variants(frame)
    assert {v.activities: v.cases for v in variants.variants(con)} == {tuple(k): n for k, n in theirs.items()}


@pytest.mark.shared_data
def test_equals_pm4py_on_a_real_log(shared_data):
    pm4py = pytest.importorskip("pm4py")
    from procmine.adapter.discovery import to_pm4py_frame
    from procmine.io.logs import read_log

    log = read_log(shared_data / "logs/pm4py/input_data/receipt.csv.gz")
    frame = to_pm4py_frame(log.events)
    con = db.connect(log)
    counts, starts, ends = pm4py.discover_dfg(frame)
    assert {(a.source, a.target): a.count for a in dfg.dfg(con)} == dict(counts)
    assert dfg.start_activities(con) == dict(starts) and dfg.end_activities(con) == dict(ends)
    theirs = pm4py.get_variants(frame)
    assert {v.activities: v.cases for v in variants.variants(con)} == {tuple(k): n for k, n in theirs.items()}


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "name",
    [
        "logs/real/mannhardt_course/sepsis.csv.gz",
        "logs/pm4py/input_data/receipt.csv.gz",
        "logs/real/bpic2020_bptlab/PrepaidTravelCost.xes.gz",
    ],
)
def test_out_of_order_cases_from_the_steps_equal_the_readers_count(shared_data, name):
    from procmine.io.logs import read_log

    log = read_log(shared_data / name)
    assert dfg.out_of_order_cases(db.connect(log)) == log.quality.out_of_order_cases


def test_out_of_order_cases_from_the_steps_on_a_hand_made_log(tmp_path):
    from procmine.io.logs import read_log

    # c1 written backwards, c2 in order, c3 with a tie in time written backwards (ties go by file order),
    # c4 with a repeated row (a duplicate, dropped) between two in order
    text = (
        "case,activity,timestamp,resource\n"
        "c1,B,2024-01-02,r\nc1,A,2024-01-01,r\nc2,A,2024-01-01,r\nc2,B,2024-01-02,r\n"
        "c3,B,2024-01-03,r\nc3,A,2024-01-03,r\nc4,A,2024-01-05,r\nc4,B,2024-01-06,r\nc4,A,2024-01-05,r\n"
    )
    (tmp_path / "log.csv").write_text(text, encoding="utf-8")
    log = read_log(tmp_path / "log.csv")
    assert log.quality.dropped["duplicate_event"] == 1
    assert log.quality.out_of_order_cases == 1
    assert dfg.out_of_order_cases(db.connect(log)) == 1
    deferred = read_log(tmp_path / "log.csv", count_out_of_order=False)
    assert deferred.quality.out_of_order_cases is None
