"""Benchmark: the ways to write each aggregate once and run it on DuckDB and on Spark, side by side.

    .venv/bin/python bench/bench_engines.py [--events 1000000] [--master local[2]] [--repeat 2]

Candidates, each computing the same two aggregates over the same Parquet log (bench_scale's generator:
30 activities, 20 events per case): the directly-follows graph with wait statistics (count, cases, median,
p90, mean) and the variants (each case's activity sequence, grouped, counted):

- sql:  procmine's way: the SQL written once in DuckDB's dialect, run as it is on DuckDB and translated by
        sqlglot (``procmine.engine.dialect``) for Spark;
- ibis: the same aggregates as ibis expressions, compiled by ibis for its DuckDB and PySpark backends.

It prints the best wall time of ``--repeat`` runs per candidate and engine, and whether the candidates'
results agree. Needs ``pip install 'procmine[spark]' ibis-framework[duckdb,pyspark]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

DFG_SQL = """
SELECT activity AS source, next_activity AS target, count(*) AS n, count(DISTINCT case_id) AS cases,
       median(wait) AS median, quantile_cont(wait, 0.9) AS p90, avg(wait) AS mean
FROM (SELECT case_id, activity, lead(activity) OVER w AS next_activity,
             (epoch_us(lead(timestamp) OVER w) - epoch_us(timestamp)) / 1e6 AS wait
      FROM events WINDOW w AS (PARTITION BY case_id ORDER BY timestamp, "row"))
WHERE next_activity IS NOT NULL GROUP BY ALL ORDER BY n DESC, source, target
"""
VARIANTS_SQL = """
SELECT trace, count(*) AS n FROM (
    SELECT case_id, list(activity ORDER BY timestamp, "row") AS trace FROM events GROUP BY case_id)
GROUP BY trace ORDER BY n DESC, trace
"""


def best(repeat: int, run) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), result


def duckdb_events(path: Path):  # type: ignore[no-untyped-def]
    """A DuckDB connection whose view ``events`` is the Parquet file with its row numbers."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"CREATE VIEW events AS SELECT *, file_row_number AS row FROM read_parquet('{path}', "
                "file_row_number = true)")
    return con


def sql_duckdb(path: Path, repeat: int) -> tuple[float, object]:
    con = duckdb_events(path)
    return best(repeat, lambda: (con.execute(DFG_SQL).fetchall(), con.execute(VARIANTS_SQL).fetchall()))


def sql_spark(path: Path, master: str, repeat: int) -> tuple[float, object]:
    from procmine.engine.spark import SparkConnection, session

    spark = session(master)
    frame = spark.read.parquet(str(path)).selectExpr("*", "_metadata.row_index AS row")
    frame.createOrReplaceTempView("events")
    con = SparkConnection(spark)
    return best(repeat, lambda: (con.execute(DFG_SQL).fetchall(), con.execute(VARIANTS_SQL).fetchall()))


def ibis_expressions(table):  # type: ignore[no-untyped-def]
    import ibis

    w = ibis.window(group_by=table.case_id, order_by=[table.timestamp, table.row])
    wait = table.timestamp.lead().over(w).epoch_seconds() - table.timestamp.epoch_seconds()
    steps = table.mutate(next_activity=table.activity.lead().over(w), wait=wait)
    steps = steps.filter(steps.next_activity.notnull())
    dfg = steps.group_by([steps.activity.name("source"), steps.next_activity.name("target")]).aggregate(
        n=steps.count(), cases=steps.case_id.nunique(), median=steps.wait.median(),
        p90=steps.wait.quantile(0.9), mean=steps.wait.mean())
    trace = table.activity.collect(order_by=[table.timestamp, table.row])
    traces = table.group_by("case_id").aggregate(trace=trace)
    variants = traces.group_by("trace").aggregate(n=traces.count())
    return dfg.order_by([ibis.desc("n"), "source", "target"]), variants.order_by([ibis.desc("n"), "trace"])


def ibis_duckdb(path: Path, repeat: int) -> tuple[float, object]:
    """ibis 12's DuckDB backend calls a method DuckDB 2 removed (``fetch_arrow_table``): the expressions
    are compiled by ibis to DuckDB SQL and that SQL run on DuckDB directly, which is what the backend does."""
    import ibis

    table = ibis.table({"case_id": "string", "activity": "string", "timestamp": "timestamp('UTC')",
                        "resource": "string", "row": "int64"}, name="events")
    dfg, variants = (ibis.to_sql(e, dialect="duckdb") for e in ibis_expressions(table))
    con = duckdb_events(path)
    return best(repeat, lambda: (con.execute(dfg).fetchall(), con.execute(variants).fetchall()))


def ibis_spark(path: Path, master: str, repeat: int) -> tuple[float, object]:
    import ibis

    from procmine.engine.spark import session

    spark = session(master)
    frame = spark.read.parquet(str(path)).selectExpr("*", "_metadata.row_index AS row")
    frame.createOrReplaceTempView("events")
    con = ibis.pyspark.connect(spark)
    dfg, variants = ibis_expressions(con.table("events"))
    return best(repeat, lambda: (dfg.to_pandas(), variants.to_pandas()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--engines", nargs="+", default=["duckdb", "spark"])
    args = parser.parse_args()
    from bench_scale import dataset, generate

    folder = dataset(args.events, None)
    if not folder.exists():
        generate(folder, args.events)
    path = next(folder.glob("*.parquet"))
    print(f"{args.events:,} events, load average {os.getloadavg()[0]:.1f}", flush=True)
    runs = {("sql", "duckdb"): lambda: sql_duckdb(path, args.repeat),
            ("ibis", "duckdb"): lambda: ibis_duckdb(path, args.repeat),
            ("sql", "spark"): lambda: sql_spark(path, args.master, args.repeat),
            ("ibis", "spark"): lambda: ibis_spark(path, args.master, args.repeat)}
    results = {}
    for (candidate, engine), run in runs.items():
        if engine not in args.engines:
            continue
        seconds, result = run()
        results[candidate, engine] = result
        print(f"{candidate:>5} on {engine:<7} {seconds:8.2f} s   (load {os.getloadavg()[0]:.1f})", flush=True)
    for engine in args.engines:
        sql, ibis_result = results.get(("sql", engine)), results.get(("ibis", engine))
        if sql is not None and ibis_result is not None:
            same_dfg = len(sql[0]) == len(ibis_result[0])
            same_variants = len(sql[1]) == len(ibis_result[1])
            print(f"{engine}: same number of arcs {same_dfg}, of variants {same_variants}")


if __name__ == "__main__":
    main()
