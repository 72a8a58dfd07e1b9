"""``--engine spark`` gives the same results as DuckDB: one local Spark session (``local[2]``) for the
whole module, small logs, the same Parquet file read by both engines."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from procmine.errors import InputError
from procmine.io.logs import read_log
from procmine.pipeline import discover
from tests.conftest import SHARED_DATA

SAMPLE = Path(__file__).resolve().parents[1] / "sample_logs" / "complaints.csv"
MASTER = "local[2]"
SHARED = ("real/mannhardt_course/sepsis.csv.gz", "pm4py/input_data/bpic2012.xes.gz")


def _spark_available() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None


needs_spark = pytest.mark.skipif(not _spark_available(), reason="pyspark or Java is not installed")


def as_parquet(source: Path, folder: Path) -> Path:
    """The canonical events of ``source`` (read by procmine) as a Parquet file both engines read."""
    target = folder / (source.name.split(".")[0] + ".parquet")
    log = read_log(source)
    log.store.con.execute(f"COPY (SELECT * FROM {log.store.table}) TO '{target}' (FORMAT parquet)")
    return target


def discover_report(path: Path, engine: str, out: Path) -> dict[str, Any]:
    options = {"engine": engine, "spark_master": MASTER}
    report = discover.run(path, options, discover.DiscoverOptions(), out / engine).report.to_dict()
    report["log"]["quality"]["notes"] = []  # says which engine read the log
    report["model"]["path"] = None
    return report


@needs_spark
@pytest.mark.slow
def test_spark_and_duckdb_agree(tmp_path: Path) -> None:
    """DFG, variants, waits, throughput, activity figures, fitness and findings: identical (the sample,
    and Sepsis and BPIC 2012 when the public logs are there)."""
    shared = [SHARED_DATA / "logs" / name for name in SHARED]
    sources = [SAMPLE] + [path for path in shared if path.exists()]
    for source in sources:
        parquet = as_parquet(source, tmp_path)
        duck = discover_report(parquet, "duckdb", tmp_path)
        spark = discover_report(parquet, "spark", tmp_path)
        for key in ("log", "dfg", "variants", "throughput", "activities", "discovery", "findings"):
            assert spark.get(key) == duck.get(key), (source.name, key)


def test_spark_without_pyspark_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from procmine.engine import spark

    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "sqlglot", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    monkeypatch.setattr(spark, "_SESSIONS", {})
    with pytest.raises(InputError, match=r"pip install 'procmine\[spark\]'"):
        spark.session("local[1]")


def test_unknown_engine_is_refused(tmp_path: Path) -> None:
    from procmine.pipeline.inputs import read_event_log

    with pytest.raises(InputError, match="--engine"):
        read_event_log(SAMPLE, {"engine": "hadoop"})
    with pytest.raises(InputError, match="duckdb only"):
        read_event_log(SAMPLE, {"engine": "spark"})  # bottlenecks and check: DuckDB so far


def test_the_dialect_keeps_order_and_exact_quantiles() -> None:
    from procmine.engine.dialect import to_spark

    spark_sql = to_spark("SELECT list(activity ORDER BY position) AS a, quantile_cont(w, 0.9), "
                         "epoch_us(t), activity::activity_name FROM steps GROUP BY ALL")
    assert "ARRAY_SORT(COLLECT_LIST(STRUCT(position AS k0, activity AS v)))" in spark_sql
    assert "PERCENTILE(w, 0.9)" in spark_sql and "UNIX_MICROS(t)" in spark_sql
    assert "CAST(activity AS STRING)" in spark_sql
