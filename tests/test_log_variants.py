"""The log's variants (what the alignments run on), against a hand-worked log and pm4py's own variants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from procmine.analyses.alignment_stats import _group_sequences, log_variants
from procmine.io.logs import read_log
from procmine.model.log import ACTIVITY, CASE, TIMESTAMP
from tests.factories import case_variants_frame, make_log

ROWS = [
    ("c3", "A", "2024-01-03 09:00", "2024-01-03 08:30"),
    ("c3", "B", "2024-01-03 10:00", None),
    ("c1", "A", "2024-01-01 09:00", None),
    ("c1", "B", "2024-01-01 11:00", "2024-01-01 10:00"),
    ("c2", "B", "2024-01-02 09:00", None),
    ("c2", "A", "2024-01-02 09:30", None),
    ("c4", "B", "2024-01-04 09:00", None),
    ("c4", "A", "2024-01-04 12:00", None),
    ("c5", "A", "2024-01-05 09:00", None),
]


def test_variants_of_a_hand_worked_log():
    variants = log_variants(make_log(ROWS))
    # (A, B) twice and (B, A) twice: the tie goes to the variant of the lower case id (c1 before c2)
    assert variants.traces == [("A", "B"), ("B", "A"), ("A",)]
    assert variants.counts == [2, 2, 1]
    cases = case_variants_frame(variants).set_index(CASE)
    assert cases["variant"].to_dict() == {"c1": 0, "c2": 1, "c3": 0, "c4": 1, "c5": 2}
    # a case starts at its earliest start or completion time, whichever is first; a missing start is ignored
    assert cases.loc["c3", "start"] == pd.Timestamp("2024-01-03 08:30", tz="UTC")
    assert cases.loc["c1", "start"] == pd.Timestamp("2024-01-01 09:00", tz="UTC")
    assert cases.loc["c4", "end"] == pd.Timestamp("2024-01-04 12:00", tz="UTC")


def test_a_frame_out_of_case_order_gives_the_same_variants():
    log = make_log(ROWS)
    shuffled = make_log(ROWS)
    # cases interleaved in another order, each case's own events still in order (a filtered view)
    rank = shuffled.events[CASE].map({"c5": 0, "c2": 1, "c4": 2, "c1": 3, "c3": 4})
    shuffled.events = shuffled.events.iloc[np.argsort(rank.to_numpy(), kind="stable")]
    a, b = log_variants(log), log_variants(shuffled)
    assert a.traces == b.traces
    assert a.counts == b.counts
    pd.testing.assert_frame_equal(case_variants_frame(a), case_variants_frame(b))


def test_hash_collisions_never_merge_different_traces():
    # with base 1 the hash is the sum of the codes: (0, 1) and (1, 0) collide, (2,) differs in length
    codes = np.array([0, 1, 1, 0, 0, 1, 2], dtype=np.uint64)
    first = np.array([0, 2, 4, 6])
    lengths = np.array([2, 2, 2, 1])
    position = np.array([0, 1, 0, 1, 0, 1, 0])
    groups = _group_sequences(codes, first, lengths, position, base=1)
    assert groups[0] == groups[2]
    assert groups[0] != groups[1]
    assert len(set(groups.tolist())) == 3
    assert groups.tolist() == _group_sequences(codes, first, lengths, position).tolist()


@pytest.mark.parametrize("name", ["complaints.csv", "complaints.xes"])
def test_variants_equal_pm4py_on_the_sample(pm4py, sample_logs, name):
    log = read_log(sample_logs / name)
    variants = log_variants(log)
    frame = log.events.rename(
        columns={CASE: "case:concept:name", ACTIVITY: "concept:name", TIMESTAMP: "time:timestamp"}
    )[["case:concept:name", "concept:name", "time:timestamp"]]
    theirs = pm4py.get_variants(frame)
    assert dict(zip(variants.traces, variants.counts, strict=True)) == {
        tuple(k): int(v) for k, v in theirs.items()
    }
    assert variants.counts == sorted(variants.counts, reverse=True)
    assert len(case_variants_frame(variants)) == log.events[CASE].nunique()
