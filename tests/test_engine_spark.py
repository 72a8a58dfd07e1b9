"""``--engine spark`` gives the same results as DuckDB: one local Spark session (``local[2]``) shared by the
module, the same Parquet file read by both engines, each log read once per engine. audit's report holds
check's and bottlenecks' analyses (the sample and Sepsis, which have documented models); BPIC 2012 runs
discover (the miner and its fitness) and bottlenecks."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from procmine.errors import InputError
from procmine.io.logs import read_log
from tests.conftest import SHARED_DATA

SAMPLE = Path(__file__).resolve().parents[1] / "sample_logs" / "complaints.csv"
SAMPLE_MODEL = SAMPLE.with_name("complaints_documented.bpmn")
MASTER = "local[2]"
SEPSIS = ("logs/real/mannhardt_course/sepsis.csv.gz", "models/bpmn_with_logs/mannhardt_course/sepsis.bpmn")
BPIC_2012 = "logs/pm4py/input_data/bpic2012.xes.gz"
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
        assert spark[key] == duck[key], (what, key, first_difference(duck[key], spark[key]))


def first_difference(a: Any, b: Any, path: str = "") -> str:
    """Where two JSON-like values first differ, and the two values there."""
    if isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys():
        return next((first_difference(a[k], b[k], f"{path}.{k}") for k in a if a[k] != b[k]), "")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        pairs = enumerate(zip(a, b, strict=True))
        return next((first_difference(x, y, f"{path}[{i}]") for i, (x, y) in pairs if x != y), "")
    return f"{path}: {a!r} != {b!r}"


def discover_reports(logs: dict[str, Any], path: Path, folder: Path) -> dict[str, dict[str, Any]]:
    from procmine.pipeline.discover import DiscoverOptions, _discover

    return {e: comparable(_discover(log, path, DiscoverOptions(), folder / e)[0]) for e, log in logs.items()}


# What still brings one row per case (or per wait) from Spark to the driver in audit, by the function that
# asks for it (docs/big-logs.md lists them); a pull moved into the engine must not come back, so any other
# one fails the test.
QUEUE_EVIDENCE = "procmine.analyses.waits:by_target"  # one target step's waits at a time
PER_CASE_PULLS_LEFT = frozenset({
    QUEUE_EVIDENCE,
    # only when the customer lens splits the cases (a case attribute that may be a segment, or scores):
    "procmine.analyses.bottlenecks:cases",  # throughput per case
    "procmine.analyses.case_groups:of",  # each case's variant, a batch at a time (its deviation kinds)
    "procmine.analyses.customer:_case_attributes",  # the case attributes the lens may use
    "procmine.analyses.satisfaction:_comparisons",  # cases through a bottleneck or not
})


class PerCasePulls:
    """Records which procmine function collected a Spark result of at least ``cases`` rows (a row per case,
    or per event) into the driver, through ``df``, ``fetchall`` or batches of ``fetchmany``."""

    def __init__(self, cases: int) -> None:
        self.cases = cases
        self.callers: set[str] = set()

    def install(self, patch: pytest.MonkeyPatch) -> None:
        from procmine.engine.spark import SparkResult

        for name in ("df", "fetchall", "fetchmany"):
            patch.setattr(SparkResult, name, self._counting(getattr(SparkResult, name)))

    def _counting(self, method: Any) -> Any:
        def counted(result: Any, *args: Any, **kwargs: Any) -> Any:
            rows = method(result, *args, **kwargs)
            result._pulled = getattr(result, "_pulled", 0) + len(rows)
            if result._pulled >= self.cases:
                self.callers.add(_procmine_caller())
            return rows

        return counted


def _procmine_caller() -> str:
    """The innermost procmine function on the stack outside the engine: the analysis (or command) that
    asked for the rows."""
    import inspect

    for frame in inspect.stack()[2:]:
        module = frame.frame.f_globals.get("__name__", "")
        if (module.startswith("procmine.") and not module.startswith("procmine.engine.")
                and not frame.function.startswith("<")):  # a comprehension: its function's name
            return f"{module}:{frame.function}"
    return "?"


def audit_reports(
    logs: dict[str, Any], model_path: Path, pulls_left: frozenset[str] = PER_CASE_PULLS_LEFT
) -> dict[str, dict[str, Any]]:
    """audit's report: check's conformance (alignments, fitness, findings), bottlenecks' waits, service
    and throughput times, rework, customer figures, the DFG, variants, map and periods. On Spark the
    variants are aligned by the executors (aligning them on the driver fails the test), no step makes a
    frame of the events on the driver, and one row per case comes back only where it still does
    (``pulls_left``)."""
    from procmine.adapter import alignments
    from procmine.engine.spark import SparkStore
    from procmine.io.bpmn import read_bpmn
    from procmine.pipeline.audit import AuditOptions, build_report

    def on_the_driver(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a log held in Spark was aligned, or made a frame, on the driver")

    model = read_bpmn(model_path)
    reports = {}
    for engine, log in logs.items():
        with pytest.MonkeyPatch.context() as patch:
            if engine == "spark":
                patch.setattr(alignments, "align_traces", on_the_driver)
                patch.setattr(SparkStore, "frame", on_the_driver)
                pulls = PerCasePulls(log.summary()["cases"])
                pulls.install(patch)
            reports[engine] = comparable(build_report(log, model, model_path, AuditOptions())[0])
            if engine == "spark":
                assert pulls.callers <= pulls_left, pulls.callers - pulls_left
    return reports


def check_outputs(logs: dict[str, Any], model_path: Path) -> dict[str, dict[str, str]]:
    """check's files (report.json, case_fitness.csv, summary.md) per engine. On Spark the only result of
    one row per case is case_fitness.csv's, streamed in batches to the file."""
    from procmine.io.bpmn import read_bpmn
    from procmine.pipeline import check

    model = read_bpmn(model_path)
    out = {}
    for engine, log in logs.items():
        with pytest.MonkeyPatch.context() as patch:
            pulls = PerCasePulls(log.summary()["cases"])
            if engine == "spark":
                pulls.install(patch)
            block, result = check.conform(model, model_path, log, check.build_options())
            report = check.Report(command="check", parameters={}, log=check.log_section(log), model=block,
                                  sections={"conformance": result.section}, findings=result.findings)
            files = check.output_contents(report, result.per_case)
            out[engine] = {name: text if isinstance(text, str) else b"".join(text).decode()
                           for name, text in files.items()}
            # case_fitness.csv's lines, a batch of cases at a time
            assert pulls.callers <= {"procmine.pipeline.check:case_fitness_csv"}, pulls.callers
        out[engine]["report.json"] = json.dumps(comparable_json(out[engine]["report.json"]))
        out[engine].pop("summary.md")  # names the engine's reading note
    return out


def comparable_json(text: str) -> dict[str, Any]:
    data = json.loads(text)
    data["log"]["quality"]["notes"] = []
    return data


def bottleneck_reports(
    logs: dict[str, Any], pulls_left: frozenset[str] = PER_CASE_PULLS_LEFT
) -> dict[str, dict[str, Any]]:
    from procmine.analyses.performance import PerformanceOptions, analyse

    out = {}
    for engine, log in logs.items():
        with pytest.MonkeyPatch.context() as patch:
            pulls = PerCasePulls(log.summary()["cases"])
            if engine == "spark":
                pulls.install(patch)
            result = analyse(log, PerformanceOptions())
            assert pulls.callers <= pulls_left, pulls.callers - pulls_left
        sections = {"performance": result.performance, "customer": result.customer, "waits": result.waits}
        out[engine] = {k: v.to_dict() for k, v in sections.items()}
        out[engine]["findings"] = [f.to_dict() for f in result.findings]
    return out


def logs_of(relative: str, folder: Path, master: str) -> tuple[Path, dict[str, Any]]:
    """The public log at ``relative`` as Parquet, read by both engines (skipped when it is absent)."""
    source = SHARED_DATA / relative
    if not source.exists():
        pytest.skip(f"public log not found: {source}")
    path = as_parquet(source, folder)
    return path, read_both(path, master)


@needs_spark
@pytest.mark.slow
def test_the_sample_gives_the_same_reports_on_both_engines(tmp_path: Path, spark_master: str) -> None:
    """audit's whole report (discover's own parts are compared on BPIC 2012)."""
    logs = read_both(as_parquet(SAMPLE, tmp_path), spark_master)
    assert_same(audit_reports(logs, SAMPLE_MODEL), "audit")


@needs_spark
@pytest.mark.slow
def test_check_writes_the_same_files_on_both_engines(tmp_path: Path, spark_master: str) -> None:
    """case_fitness.csv (one line per case, streamed from the engine), report.json, on the sample."""
    outputs = check_outputs(read_both(as_parquet(SAMPLE, tmp_path), spark_master), SAMPLE_MODEL)
    assert outputs["spark"] == outputs["duckdb"]
    assert outputs["duckdb"]["case_fitness.csv"].count("\n") == 3001  # the header and every case


@needs_spark
@pytest.mark.slow
@pytest.mark.shared_data
def test_sepsis_gives_the_same_reports_on_both_engines(tmp_path: Path, spark_master: str) -> None:
    """Sepsis' one case attribute (age) has too many values to be a segment, and it has no scores: the
    customer lens splits no cases, so only the queue evidence reads a row per wait."""
    _, logs = logs_of(SEPSIS[0], tmp_path, spark_master)
    assert_same(audit_reports(logs, SHARED_DATA / SEPSIS[1], frozenset({QUEUE_EVIDENCE})), "audit")


@needs_spark
@pytest.mark.slow
@pytest.mark.shared_data
def test_bpic_2012_gives_the_same_reports_on_both_engines(tmp_path: Path, spark_master: str) -> None:
    path, logs = logs_of(BPIC_2012, tmp_path, spark_master)
    assert_same(discover_reports(logs, path, tmp_path), "discover")
    # its case attributes (the amount requested, the date) cannot be segments: no row per case comes back
    assert_same(bottleneck_reports(logs, frozenset({QUEUE_EVIDENCE})), "bottlenecks")


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
    with pytest.raises(InputError, match="--order"):
        read_event_log(SAMPLE, {"engine": "spark", "order": "Timestamp"})


def test_the_dialect_keeps_order_and_exact_quantiles() -> None:
    pytest.importorskip("sqlglot")
    from procmine.engine.dialect import to_spark

    spark_sql = to_spark(
        "SELECT list(activity ORDER BY position) AS a, quantile_cont(w, 0.9), "
        "epoch_us(t), activity::activity_name, arg_min_null(r, t) FROM steps GROUP BY ALL"
    )
    assert "ARRAY_SORT(COLLECT_LIST(STRUCT(position AS k0, activity AS v)))" in spark_sql
    assert "PERCENTILE(w, 0.9)" in spark_sql and "UNIX_MICROS(t)" in spark_sql
    assert "CAST(activity AS STRING)" in spark_sql and "MIN_BY(r, t)" in spark_sql


@needs_spark
@pytest.mark.slow
def test_a_folder_of_csv_files_keeps_the_files_name_order(tmp_path: Path, spark_master: str) -> None:
    """Ties in time follow the files' name order, then each file's own order (Spark would hand the
    bigger file's rows out first)."""
    from procmine.engine.conformance_inputs import variants_with_cases
    from procmine.engine.db import connect
    from procmine.pipeline.inputs import read_event_log

    folder = tmp_path / "log"
    folder.mkdir()
    header = "case,activity,time\n"
    (folder / "a.csv").write_text(header + "c1,Register,2024-01-01T10:00:00Z\n")
    filler = "".join(
        f"c{i},Register,2024-01-02T10:00:00Z\nc{i},Close,2024-01-03T10:00:00Z\n" for i in range(2, 400)
    )
    (folder / "b.csv").write_text(header + "c1,Check,2024-01-01T10:00:00Z\n" + filler)
    log = read_event_log(folder, {"engine": "spark", "spark_master": spark_master})
    traces, counts, cases = variants_with_cases(connect(log), log)
    (variant,) = [v for rows in cases.batches() for c, v in rows if c == "c1"]
    first_case = traces[variant]
    assert first_case == ("Register", "Check")
    assert sorted(counts) == [1, 398]


LIFECYCLE_CSV = """case,activity,time,lifecycle,resource
c1,Register,2024-01-01T08:00:00Z,start,ann
c1,Register,2024-01-01T09:00:00Z,complete,ann
c1,Check,2024-01-01T09:30:00Z,schedule,bob
c1,Check,2024-01-01T10:00:00Z,start,bob
c1,Check,2024-01-01T10:00:00Z,start,bob
c1,Check,2024-01-01T11:00:00Z,complete,bob
c2,Register,2024-01-02T08:00:00Z,complete,ann
c2,Check,2024-01-02T09:00:00Z,start,bob
c2,Close,,complete,ann
,Register,2024-01-02T10:00:00Z,complete,ann
c3,Register,2024-01-03T08:00:00Z,START,cy
c3,Register,2024-01-03T08:30:00Z,start,cy
c3,Register,2024-01-03T09:00:00Z,complete,cy
c3,Register,2024-01-03T10:00:00Z,Complete,cy
c3,Close,2024-01-03T11:00:00Z,,ann
"""


@needs_spark
@pytest.mark.slow
def test_lifecycle_rows_are_paired_and_counted_as_on_duckdb(tmp_path: Path, spark_master: str) -> None:
    """Starts paired FIFO with their completions, a start never completed dropped, a schedule set aside,
    a copy and rows without case or time dropped: the same events and counts on both engines."""
    path = tmp_path / "lifecycle.csv"
    path.write_text(LIFECYCLE_CSV)
    logs = read_both(path, spark_master)
    summaries = {engine: log.summary() for engine, log in logs.items()}
    for summary in summaries.values():
        summary["quality"]["notes"] = []
    assert summaries["spark"] == summaries["duckdb"]
    quality = logs["duckdb"].quality
    assert (quality.lifecycle_pairs, quality.set_aside) == (4, {"schedule": 1})
    assert quality.dropped["unpaired_lifecycle"] == 1 and quality.dropped["duplicate_event"] == 1
    columns = ["case_id", "activity", "timestamp", "start_timestamp", "resource"]
    duck, spark = (logs[engine].event_frame(columns) for engine in ENGINES)
    assert spark.to_dict("records") == duck.to_dict("records")


@needs_spark
@pytest.mark.slow
def test_lifecycle_pairing_sql_on_spark_equals_a_fifo_queue(spark_master: str) -> None:
    """The pairing's one SQL definition, run by Spark on random logs (ties in time, starts never completed,
    completions without a start, activities started in some cases only): a FIFO queue's pairs."""
    import random

    from procmine.engine.spark import SparkConnection, session
    from tests.test_lifecycle_pairing import fifo, many_logs, paired_in_sql

    con = SparkConnection(session(spark_master))
    rng = random.Random(17)
    for logs in (3, 3, 200):
        rows = many_logs(rng, True, logs)
        started, pairs, unpaired, _ = paired_in_sql(rows, con)
        expected, expected_pairs, expected_unpaired = fifo(rows)
        assert started == expected, rows
        assert (pairs, unpaired) == (expected_pairs, expected_unpaired)


def test_a_star_with_exclusions_becomes_the_other_columns() -> None:
    pytest.importorskip("sqlglot")
    from procmine.engine.dialect import excluded_stars, to_spark

    def columns_of(relation: str) -> list[str]:
        assert relation == "(SELECT a, b, c FROM t) AS q"
        return ["a", "b", "c"]

    sql = excluded_stars("SELECT a AS first, * EXCLUDE (a, B) FROM (SELECT a, b, c FROM t) q", columns_of)
    assert to_spark(sql) == "SELECT a AS first, `q`.`c` FROM (SELECT a, b, c FROM t) AS q"


@needs_spark
@pytest.mark.slow
def test_timestamps_in_a_local_format_are_read_as_on_duckdb(tmp_path: Path, spark_master: str) -> None:
    """Day-first text without an offset, in --timezone (summer and winter time), found on a sample; a
    semicolon-separated file."""
    path = tmp_path / "local.csv"
    rows = [
        "case;activity;time",
        "c1;Register;05.12.2026 14:30",
        "c1;Check;06.12.2026 09:05",
        "c2;Register;28.06.2026 23:59",
        "c2;Check;01.07.2026 00:01",
        "c2;Close;31.13.2026 10:00",
    ]
    path.write_text("\n".join(rows) + "\n")  # semicolons: the delimiter is sniffed as DuckDB's reader does
    logs = {
        engine: read_event_log_with(path, engine, spark_master, timezone="Europe/Berlin")
        for engine in ENGINES
    }
    duck, spark = (logs[engine].event_frame(["case_id", "activity", "timestamp"]) for engine in ENGINES)
    assert spark.to_dict("records") == duck.to_dict("records")
    assert str(duck["timestamp"].iloc[0]) == "2026-12-05 13:30:00+00:00"
    assert logs["spark"].quality.dropped == logs["duckdb"].quality.dropped


def read_event_log_with(path: Path, engine: str, master: str, **options: str) -> Any:
    from procmine.pipeline.inputs import read_event_log

    return read_event_log(path, {"engine": engine, "spark_master": master, **options})


@needs_spark
def test_pseudonyms_and_other_pools_are_computed_in_spark(tmp_path: Path, spark_master: str) -> None:
    """``audit --pseudonymize`` and check's other-pool filter leave a log held in Spark there, with the
    events DuckDB gives."""
    from procmine.analyses.pseudonymize import make_pseudonymizer, pseudonymize_log

    logs = read_both(as_parquet(SAMPLE, tmp_path), spark_master)
    frames = {}
    for engine, log in logs.items():
        pseudonymizer = make_pseudonymizer("key")
        pseudonymizer.digits = 2  # clashes: lengthened to 16 digits on both engines
        masked = pseudonymize_log(log, pseudonymizer)
        kept, dropped = masked.without_activities({"Close complaint", "Call customer back"})
        assert not kept.has_frame and type(kept.store) is type(log.store)
        frames[engine] = (kept.events.astype(str), dropped, pseudonymizer.digits)
    (duck, duck_dropped, duck_digits), (spark, spark_dropped, spark_digits) = frames.values()
    assert (spark_dropped, spark_digits) == (duck_dropped, duck_digits) == (3749, 16)
    pd.testing.assert_frame_equal(spark, duck)
