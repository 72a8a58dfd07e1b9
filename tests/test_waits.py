"""Queues vs waits on others, on hand-built logs and models with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from procmine.analyses import waits
from procmine.analyses.bottlenecks import measure
from procmine.analyses.model_paths import model_paths
from procmine.analyses.performance import PerformanceOptions, analyse
from procmine.engine.waits import queue_over_time
from procmine.io.bpmn import read_bpmn
from tests import order_to_cash
from tests.factories import make_log

H = 3600.0


@pytest.fixture(scope="module")
def o2c_model(tmp_path_factory):
    path = tmp_path_factory.mktemp("o2c") / "order_to_cash.bpmn"
    path.write_text(order_to_cash.MODEL, encoding="utf-8")
    return read_bpmn(path)


@pytest.fixture(scope="module")
def o2c_log():
    return make_log(order_to_cash.simulate())


def test_already_waiting_counts_the_work_ahead_at_the_same_step():
    frame = pd.DataFrame(
        {
            "target": ["B", "B", "B", "B", "C"],
            "joined": [0.0, 1.0, 2.0, 6.0, 1.5],
            "done_at": [5.0, 3.0, 2.5, 7.0, 9.0],
        }
    )
    # at 1.0 the first is in progress; at 2.0 the first two; at 6.0 all three are done; C has its own queue
    assert waits.already_waiting(frame).tolist() == [0, 1, 2, 0, 0]


def test_model_paths_of_the_order_to_cash_model(o2c_model):
    names = {n.label: n.label for n in o2c_model.tasks()}
    paths = model_paths(o2c_model, names)
    assert paths.predecessors["Create invoice"] == {"Check credit"}  # not Ship goods, in the other branch
    assert paths.predecessors["Close order"] == {"Receive payment", "Ship goods"}  # the join
    assert paths.predecessors["Receive order"] == frozenset()
    receive = "a receive task (it waits for a message from outside)"
    assert paths.waits_on_others == {"Receive payment": receive}
    assert paths.repeatable == frozenset()


def test_waits_are_measured_from_the_predecessor_the_model_names():
    rows = [
        ("c1", "Check credit", "2026-01-05 09:00"),
        ("c1", "Ship goods", "2026-01-05 10:00"),  # done in the other branch first
        ("c1", "Create invoice", "2026-01-05 15:00", "2026-01-05 14:00"),
    ]
    timing = measure(make_log(rows))
    try:
        plain = waits.measure(timing, None)
        invoice = plain[plain["target"] == "Create invoice"].iloc[0]
        assert (invoice["source"], invoice["wait"]) == ("Ship goods", 4 * H)  # from the event before it
        from procmine.analyses.model_paths import ModelPaths

        paths = ModelPaths(
            predecessors={
                "Create invoice": frozenset({"Check credit"}),
                "Ship goods": frozenset({"Check credit"}),
            }
        )
        by_model = waits.measure(timing, paths)
        invoice = by_model[by_model["target"] == "Create invoice"].iloc[0]
        assert (invoice["source"], invoice["wait"], invoice["by_model"]) == ("Check credit", 5 * H, True)
    finally:
        timing.con.close()


def test_order_to_cash_ranks_the_invoice_queue_first_and_the_payment_wait_goes_to_the_customer(
    o2c_model, o2c_log
):
    result = analyse(o2c_log, model=o2c_model)
    section = result.waits
    assert section.basis == "documented model"
    by_pair = {(r.source, r.target): r for r in section.handovers}
    invoice = by_pair[("Check credit", "Create invoice")]
    payment = by_pair[("Create invoice", "Receive payment")]
    assert invoice.kind == "queue" and invoice.evidence.rho > 0.5
    assert invoice.evidence.wait_when_many > 3 * invoice.evidence.wait_when_few
    assert payment.kind == "outside" and "receive task" in payment.reason
    assert payment.total > invoice.total  # the longest wait of all, yet not a bottleneck
    shipping = by_pair[("Check credit", "Ship goods")]
    assert shipping.kind == "no_queueing"
    assert ("Ship goods", "Create invoice") not in by_pair  # measured from its real predecessor
    bottlenecks = [f for f in result.findings if f.kind == "bottleneck"]
    where = [(f.location.source, f.location.target) for f in bottlenecks]
    assert where == [("Check credit", "Create invoice")]
    assert "queues before 'Create invoice'" in bottlenecks[0].message
    assert result.performance.bottlenecks[0].target == "Create invoice"
    assert result.performance.queue.target == "Create invoice"


def test_without_a_model_the_payment_wait_shows_no_queueing(o2c_log):
    section = analyse(o2c_log).waits
    assert section.basis == "previous event"
    kinds = {(r.source, r.target): r.kind for r in section.handovers}
    assert kinds[("Create invoice", "Receive payment")] == "no_queueing"
    assert kinds[("Check credit", "Create invoice")] == "queue"


def test_external_names_a_wait_on_others(o2c_log):
    section = analyse(o2c_log, PerformanceOptions(external=("Create invoice",))).waits
    row = next(r for r in section.handovers if r.target == "Create invoice")
    assert (row.kind, row.reason, row.evidence) == ("outside", "named with --external", None)
    assert section.queues == 0
    assert section.summary.startswith("No wait shows queueing")


def test_evidence_agrees_with_an_independent_spearman(o2c_log):
    from scipy import stats

    timing = measure(o2c_log)
    try:
        frame = waits.measure(timing, None)
    finally:
        timing.con.close()
    pair = frame[(frame["source"] == "Check credit") & (frame["target"] == "Create invoice")]
    # the work in progress, counted the slow way: ready for the same step before, and not yet done
    target = frame[frame["target"] == "Create invoice"]
    ahead = [
        int(((target["joined"] < j) & (np.maximum(target["done_at"], target["joined"]) > j)).sum())
        for j in pair["joined"]
    ]
    assert pair["waiting"].tolist() == ahead
    ref = stats.spearmanr(ahead, pair["wait"], alternative="greater")
    row = next(
        r
        for r in analyse(o2c_log).waits.handovers
        if (r.source, r.target) == ("Check credit", "Create invoice")
    )
    assert row.evidence.rho == pytest.approx(ref.statistic)


def test_queue_over_time_counts_waiting_cases():
    log = make_log(
        [
            ("c1", "A", "2024-03-01 00:00"),
            ("c1", "B", "2024-03-01 05:00"),
            ("c2", "A", "2024-03-01 01:00"),
            ("c2", "B", "2024-03-01 03:00"),
            ("c3", "A", "2024-03-01 02:30"),
            ("c3", "B", "2024-03-01 02:45"),
        ]
    )
    timing = measure(log)
    try:
        waits.measure(timing, None)
        rows = queue_over_time(timing.con, "A", "B", H)
    finally:
        timing.con.close()
    # hourly buckets from the first arrival (00:00) past the last one (02:30), ending 01:00, 02:00, 03:00;
    # waiting at each end: c1 (c2 joins exactly at 01:00) | c1 c2 | c1 (c2 left at 03:00)
    assert rows["queue"].tolist() == [1, 2, 1]
    assert rows["arrivals"].tolist() == [1, 1, 1]


def test_one_step_at_a_time_gives_the_section_of_the_whole_frame(o2c_model, o2c_log):
    names = {n.label: n.label for n in o2c_model.tasks()}
    for paths in (None, model_paths(o2c_model, names)):
        timing = measure(o2c_log)
        try:
            whole = waits.measure(timing, paths)
            parts = list(waits.by_target(timing))
            assert sum(len(p) for p in parts) == len(whole)
            assert [p["target"].iloc[0] for p in parts] == sorted(whole["target"].unique())
            assert waits.classify(timing, parts, paths) == waits.classify(timing, whole, paths)
        finally:
            timing.con.close()
