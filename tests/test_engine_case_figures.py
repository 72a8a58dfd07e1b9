"""What ``bottlenecks`` and ``audit`` count over the cases in the engine instead of bringing one row per
case back (the number of cases and their span, SLA breaches, which case attributes the customer lens may
use, the satisfaction scores per variant, each case's deviation kinds as a code, touchpoints per case
counted per value), against the same figures from pandas on a small hand-made log, on DuckDB and on
Spark."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from procmine.analyses import bottlenecks, counted
from procmine.analyses import satisfaction as sat
from procmine.analyses.case_groups import CaseKinds, VariantKinds
from procmine.analyses.customer import _case_attributes, touchpoint_summary
from procmine.analyses.performance import PerformanceOptions, analyse
from procmine.analyses.sla import SlaTargets
from procmine.engine import cases as case_sql
from procmine.engine import times
from procmine.engine.db import connect
from procmine.pipeline.inputs import read_event_log
from tests.test_engine_spark import needs_spark, spark_master  # noqa: F401 (the module's Spark session)

HOUR = 3600.0


def hand_made_events() -> pd.DataFrame:
    """15 cases of 2-3 steps with start and completion times; case k takes about k hours (two of them
    exactly 5 h: an SLA of 5 h is not breached by them), a channel (3 values), a ticket number (one per
    case: no segment), a score (missing for every fourth case) and a region named only on some rows."""
    rows = []
    base = pd.Timestamp("2026-03-02 08:00", tz="UTC")
    for k in range(15):
        begin = base + pd.Timedelta(days=k)
        hours = 5.0 if k in (4, 5) else k + 0.25 * (k % 3)
        steps = ["A", "B", "C"] if k % 2 else ["A", "C"]
        for i, activity in enumerate(steps):
            start = begin + pd.Timedelta(hours=hours * i / len(steps))
            end = begin + pd.Timedelta(hours=hours * (i + 1) / len(steps))
            rows.append(
                {
                    "case_id": f"c{k:02d}",
                    "activity": activity,
                    "start": start,
                    "timestamp": end,
                    "resource": f"r{(k + i) % 4}",
                    "channel": ["web", "phone", "shop"][k % 3],
                    "ticket": f"T-{1000 + k}",
                    "satisfaction": None if k % 4 == 0 else float(k % 10),
                }
            )
    return pd.DataFrame(rows)


def expected_cases(events: pd.DataFrame) -> pd.DataFrame:
    grouped = events.groupby("case_id")
    first, last = grouped["start"].min(), grouped["timestamp"].max()
    return pd.DataFrame(
        {
            "first": first.map(pd.Timestamp.timestamp),
            "last": last.map(pd.Timestamp.timestamp),
            "throughput": (last - first).dt.total_seconds(),
        }
    )


def logs(tmp_path: Path, frame: pd.DataFrame, engines: tuple[str, ...]) -> dict[str, Any]:
    path = tmp_path / "cases.parquet"
    frame.to_parquet(path, index=False)
    options = {"start": "start", "spark_master": "local[2]"}
    return {engine: read_event_log(path, {**options, "engine": engine}) for engine in engines}


def assert_case_figures(log: Any, events: pd.DataFrame) -> None:
    expected = expected_cases(events)
    con = connect(log)
    times.prepare_steps(con)
    assert times.case_summary(con) == (15, expected["first"].min(), expected["last"].max())
    for limit in (0.0, 5 * HOUR, 5 * HOUR - 1e-6, 9.5 * HOUR, 100 * HOUR):
        assert times.cases_over(con, limit) == int((expected["throughput"] > limit).sum()), limit
    timing = bottlenecks.measure(log)
    assert (timing.case_count, *timing.span) == times.case_summary(timing.con)


def assert_attributes(log: Any, events: pd.DataFrame) -> None:
    con = connect(log)
    names = case_sql.case_attribute_names(con, log.case_attributes)
    assert set(names) == {"channel", "ticket", "satisfaction"}
    per_case = events.groupby("case_id")[names].first()
    assert case_sql.distinct_values(con, names) == {n: per_case[n].nunique() for n in names}
    attrs, all_names = _case_attributes(log, [], None)
    assert all_names == names and set(attrs.columns) == {"channel", "satisfaction"}  # the ticket: no segment
    pd.testing.assert_frame_equal(
        attrs, per_case[list(attrs.columns)], check_dtype=False, check_index_type=False, check_names=False
    )
    named, _ = _case_attributes(log, ["ticket"], None)
    assert "ticket" in named.columns  # named with --segment: read whatever it holds


def assert_no_case_rows_without_attributes(log: Any, patch: pytest.MonkeyPatch) -> None:
    """Without case attributes the customer lens splits no cases: no row per case is read."""

    def per_case(*args: Any) -> None:
        raise AssertionError("one row per case was read")

    patch.setattr(times, "case_times", per_case)
    patch.setattr(case_sql, "case_attribute_table", per_case)
    result = analyse(log, PerformanceOptions(sla=SlaTargets(case=5 * HOUR)), deviations=per_case)
    sla = result.performance.to_dict()["sla"]["case"]
    assert (sla["cases"], sla["breaches"]) == (15, 9)  # cases 6..14: over 5 h; 4 and 5 exactly at it


def assert_scores_by_variant(log: Any, events: pd.DataFrame, patch: pytest.MonkeyPatch) -> None:
    """Whole-number scores are counted per variant in the engine (each case's variant is never read)."""
    ordered = events.sort_values(["case_id", "timestamp"])
    per_case = ordered.groupby("case_id").agg(variant=("activity", tuple), score=("satisfaction", "first"))
    table = per_case.groupby("variant")["score"].agg(["size", "count", "mean", "median"])
    expected = sorted(
        (
            {
                "variant": list(v),
                "cases": int(r["size"]),
                "n": int(r["count"]),
                "mean": float(r["mean"]),
                "median": float(r["median"]),
            }
            for v, r in table.iterrows()
        ),
        key=lambda r: (-r["cases"], r["variant"]),
    )
    with patch.context() as inner:
        inner.setattr(times, "case_variants", None)  # calling it fails the test
        scores = sat.scores(per_case["score"]).dropna()
        assert sat.by_variant(connect(log), scores, "satisfaction") == expected
    halves = scores + 0.5  # not whole numbers: each case's variant is read, as before
    by_case = sat.by_variant(connect(log), halves, None)
    assert sat.by_variant(connect(log), halves, "satisfaction") == by_case
    assert [r["mean"] for r in by_case] == [r["mean"] + 0.5 for r in expected]


def assert_touchpoints(log: Any, events: pd.DataFrame) -> None:
    """Touchpoints and hand-offs per case are counted per value in the engine; the figures are pandas'
    on the per-case columns."""
    touching = events[events["activity"].isin(["B", "C"])].sort_values(["case_id", "timestamp"])
    changed = touching["resource"] != touching.groupby("case_id")["resource"].shift()
    first = touching.groupby("case_id").cumcount() == 0
    per_case = pd.DataFrame(
        {
            "touchpoints": touching.groupby("case_id").size(),
            "handoffs": (changed & ~first).groupby(touching["case_id"]).sum(),
        }
    ).reindex(sorted(events["case_id"].unique()), fill_value=0)

    def described(values: pd.Series) -> dict[str, Any]:
        return {
            "mean": float(values.mean()),
            "median": float(values.median()),
            "p90": float(values.quantile(0.9)),
            "max": int(values.max()),
        }

    summary = touchpoint_summary(bottlenecks.measure(log), ["B", "C", "Z"])
    assert summary["unknown"] == ["Z"] and summary["cases"] == 15
    assert summary["per_case"] == described(per_case["touchpoints"])
    assert summary["cases_without"] == 0 and summary["per_case"]["p90"] == 2.0  # 7 cases of B and C
    assert summary["handoffs"]["per_case"] == described(per_case["handoffs"])
    assert summary["handoffs"]["total"] == per_case["handoffs"].sum()
    assert summary["handoffs"]["share_of_cases"] == (per_case["handoffs"] > 0).mean()


def test_counted_figures_equal_pandas_on_random_columns() -> None:
    rng = np.random.default_rng(3)
    for _ in range(300):
        values = pd.Series(rng.integers(0, int(rng.integers(1, 30)), int(rng.integers(1, 200))))
        expected = {
            "mean": float(values.mean()),
            "median": float(values.median()),
            "p90": float(values.quantile(0.9)),
            "max": int(values.max()),
        }
        assert counted.describe(counted.distribution(values.value_counts().items())) == expected


def assert_all_on(engine: str, tmp_path: Path, patch: pytest.MonkeyPatch) -> None:
    events = hand_made_events()
    log = logs(tmp_path, events, (engine,))[engine]
    assert_case_figures(log, events)
    assert_attributes(log, events)
    assert_scores_by_variant(log, events, patch)
    assert_touchpoints(log, events)
    bare = logs(tmp_path, events.drop(columns=["channel", "ticket", "satisfaction"]), (engine,))
    assert_no_case_rows_without_attributes(bare[engine], patch)


def test_case_figures_in_duckdb_equal_pandas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_all_on("duckdb", tmp_path, monkeypatch)


@needs_spark
@pytest.mark.slow
def test_case_figures_in_spark_equal_pandas(
    tmp_path: Path,
    spark_master: str,  # noqa: F811 (the fixture imported above)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert_all_on("spark", tmp_path, monkeypatch)


def test_case_kinds_from_the_variants_equal_the_per_case_mapping() -> None:
    """audit hands the lens each variant's kinds and the cases' variants in batches; the masks and kind
    names are those of the old mapping case id -> kinds (pandas ``isin``)."""
    ids = pd.Index(["a", "b", "c", "d", "e", "f"], dtype=object)
    kinds = [frozenset(), frozenset({"skipped_step"}), None, frozenset({"skipped_step", "inserted_step"})]
    rows = [("a", 0), ("b", 1), ("c", 2), ("d", 3), ("x", 1), ("e", 3)]  # x: not a case here; f: no row
    mapping = {c: kinds[v] for c, v in rows if kinds[v] is not None}
    batched = CaseKinds.of(ids, VariantKinds(lambda: [rows[:2], rows[2:]], kinds))
    for found in (batched, CaseKinds.of(ids, mapping)):
        assert list(found.where(lambda _: True)) == list(ids.isin(list(mapping)))
        assert list(found.where(bool)) == list(ids.isin([c for c, ks in mapping.items() if ks]))
        assert found.names() == ["inserted_step", "skipped_step"]
        for dev in found.names():
            expected = ids.isin([c for c, ks in mapping.items() if dev in ks])
            assert list(found.where(lambda ks, dev=dev: dev in ks)) == list(expected)
