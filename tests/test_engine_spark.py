"""``--engine spark`` gives the same results as DuckDB: one local Spark session (``local[2]``) shared by the
module, the same Parquet file read by both engines, each log read once per engine and every analysis of
discover, bottlenecks, check and audit run on both."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from procmine.errors import InputError
from procmine.io.logs import read_log
from tests.conftest import SHARED_DATA

SAMPLE = Path(__file__).resolve().parents[1] / "sample_logs" / "complaints.csv"
SAMPLE_MODEL = SAMPLE.with_name("complaints_documented.bpmn")
MASTER = "local[2]"
SEPSIS = ("logs/real/mannhardt_course/sepsis.csv.gz", "models/bpmn_with_logs/mannhardt_course/sepsis.bpmn")
BPIC_2012 = ("logs/pm4py/input_data/bpic2012.xes.gz", None)
ENGINES = ("duckdb", "spark")


def _spark_available() -> bool:
    try:
        import pyspark  # noqa: F401
        import sqlglot  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None


needs_spark = pytest.mark.skipif(not _spark_available(), reason="pyspark, sqlglot or Java is not installed")


@pytest.fixture(scope="module")
def spark_master() -> str:
    """The module's one local Spark session (started once: a JVM costs seconds)."""
    from procmine.engine.spark import session

    session(MASTER)
    return MASTER


def as_parquet(source: Path, folder: Path) -> Path:
    """The canonical events of ``source`` (read by procmine) as a Parquet file both engines read."""
    target = folder / (source.name.split(".")[0] + ".parquet")
    log = read_log(source)
    log.store.con.execute(f"COPY (SELECT * FROM {log.store.table}) TO '{target}' (FORMAT parquet)")
    return target


def read_both(path: Path, master: str) -> dict[str, Any]:
    from procmine.pipeline.inputs import read_event_log

    return {engine: read_event_log(path, {"engine": engine, "spark_master": master}) for engine in ENGINES}


def comparable(report: Any) -> dict[str, Any]:
    data = report.to_dict()
    data["log"]["quality"]["notes"] = []  # says which engine read the log
    if data.get("model") and data["command"] == "discover":
        data["model"]["path"] = None
    return data


def assert_same(reports: dict[str, dict[str, Any]], what: str) -> None:
    duck, spark = reports["duckdb"], reports["spark"]
    assert sorted(spark) == sorted(duck), what
    for key in duck:
        assert spark[key] == duck[key], (what, key)


def discover_reports(logs: dict[str, Any], path: Path, folder: Path) -> dict[str, dict[str, Any]]:
    from procmine.pipeline.discover import DiscoverOptions, _discover

    return {e: comparable(_discover(log, path, DiscoverOptions(), folder / e)[0]) for e, log in logs.items()}


def audit_reports(logs: dict[str, Any], model_path: Path) -> dict[str, dict[str, Any]]:
    """audit's report: check's conformance (alignments, fitness, findings), bottlenecks' waits, service
    and throughput times, rework, customer figures, the DFG, variants, map and periods."""
    from procmine.io.bpmn import read_bpmn
    from procmine.pipeline.audit import AuditOptions, build_report

    model = read_bpmn(model_path)
    return {e: comparable(build_report(log, model, model_path, AuditOptions())[0]) for e, log in logs.items()}


def bottleneck_reports(logs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from procmine.analyses.performance import PerformanceOptions, analyse

    out = {}
    for engine, log in logs.items():
        result = analyse(log, PerformanceOptions())
        sections = {"performance": result.performance, "customer": result.customer, "waits": result.waits}
        out[engine] = {k: v.to_dict() for k, v in sections.items()}
        out[engine]["findings"] = [f.to_dict() for f in result.findings]
    return out


def _shared(relative: tuple[str, str | None]) -> tuple[Path, Path | None]:
    log, model = (SHARED_DATA / relative[0], SHARED_DATA / relative[1] if relative[1] else None)
    if not log.exists():
        pytest.skip(f"public log not found: {log}")
    return log, model


@needs_spark
@pytest.mark.slow
def test_the_sample_gives_the_same_reports_on_both_engines(tmp_path: Path, spark_master: str) -> None:
    path = as_parquet(SAMPLE, tmp_path)
    logs = read_both(path, spark_master)
    assert_same(discover_reports(logs, path, tmp_path), "discover")
    assert_same(audit_reports(logs, SAMPLE_MODEL), "audit")


@needs_spark
@pytest.mark.slow
@pytest.mark.shared_data
def test_sepsis_gives_the_same_reports_on_both_engines(tmp_path: Path, spark_master: str) -> None:
    log_path, model_path = _shared(SEPSIS)
    path = as_parquet(log_path, tmp_path)
    logs = read_both(path, spark_master)
    assert_same(discover_reports(logs, path, tmp_path), "discover")
    assert_same(audit_reports(logs, model_path), "audit")


@needs_spark
@pytest.mark.slow
@pytest.mark.shared_data
def test_bpic_2012_gives_the_same_reports_on_both_engines(tmp_path: Path, spark_master: str) -> None:
    log_path, _ = _shared(BPIC_2012)
    path = as_parquet(log_path, tmp_path)
    logs = read_both(path, spark_master)
    assert_same(discover_reports(logs, path, tmp_path), "discover")
    assert_same(bottleneck_reports(logs), "bottlenecks")


def test_spark_without_pyspark_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from procmine.engine import spark

    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "sqlglot", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    monkeypatch.setattr(spark, "_SESSIONS", {})
    with pytest.raises(InputError, match=r"pip install 'procmine\[spark\]'"):
        spark.session("local[1]")


def test_unknown_engine_is_refused() -> None:
    from procmine.pipeline.inputs import read_event_log

    with pytest.raises(InputError, match="--engine"):
        read_event_log(SAMPLE, {"engine": "hadoop"})
    with pytest.raises(InputError, match="duckdb only"):
        read_event_log(SAMPLE, {"engine": "spark"}, engines=("duckdb",))


def test_the_dialect_keeps_order_and_exact_quantiles() -> None:
    pytest.importorskip("sqlglot")
    from procmine.engine.dialect import to_spark

    spark_sql = to_spark("SELECT list(activity ORDER BY position) AS a, quantile_cont(w, 0.9), "
                         "epoch_us(t), activity::activity_name, arg_min_null(r, t) FROM steps GROUP BY ALL")
    assert "ARRAY_SORT(COLLECT_LIST(STRUCT(position AS k0, activity AS v)))" in spark_sql
    assert "PERCENTILE(w, 0.9)" in spark_sql and "UNIX_MICROS(t)" in spark_sql
    assert "CAST(activity AS STRING)" in spark_sql and "MIN_BY(r, t)" in spark_sql
