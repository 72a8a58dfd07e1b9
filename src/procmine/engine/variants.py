"""Trace variants in SQL: the sequence of activities of each case, grouped, with counts.

The sequence follows the order of ``steps`` (completion time, then file order), so the variants equal
``pm4py.get_variants`` on the same frame. Variants are numbered 1.. from the most frequent (ties by the
activity sequence), and the table ``case_variant`` maps every case to its variant for other analyses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from procmine.engine.db import table_exists
from procmine.engine.dfg import STEPS, ensure_steps
from procmine.engine.quantiles import fits_in_memory

if TYPE_CHECKING:
    import duckdb

VARIANTS = "variants"
CASE_VARIANT = "case_variant"


@dataclass(frozen=True)
class Variant:
    id: int  # 1 = most frequent
    activities: tuple[str, ...]
    cases: int


def ensure_variants(con: duckdb.DuckDBPyConnection) -> str:
    """Create (once) the tables ``variants`` (variant_id, activities, cases) and ``case_variant``
    (case_id, variant_id); return the name of the first."""
    if table_exists(con, VARIANTS):
        return VARIANTS
    ensure_steps(con)
    if _lists_fit(con):
        _variants_by_list(con)
    else:
        _variants_by_fingerprint(con)
    return VARIANTS


def _variants_by_list(con: duckdb.DuckDBPyConnection) -> None:
    """Each case's sequence as a list, grouped: exact, but an ordered list per case is held in memory
    until its group is done, which no memory limit bounds."""
    con.execute(
        f"""
        CREATE TEMP TABLE _case_trace AS
        SELECT case_key, any_value(case_id) AS case_id, list(activity ORDER BY position) AS activities
        FROM {STEPS} GROUP BY case_key
        """
    )
    con.execute(
        f"""
        CREATE TEMP TABLE {VARIANTS} AS
        SELECT row_number() OVER (ORDER BY cases DESC, activities::VARCHAR[]) AS variant_id, activities, cases
        FROM (SELECT activities, count(*) AS cases FROM _case_trace GROUP BY activities)
        """
    )
    con.execute(
        f"""
        CREATE TEMP TABLE {CASE_VARIANT} AS
        SELECT t.case_id, v.variant_id FROM _case_trace t JOIN {VARIANTS} v USING (activities)
        """
    )
    con.execute("DROP TABLE _case_trace")


def _variants_by_fingerprint(con: duckdb.DuckDBPyConnection) -> None:
    """On a log too large for the lists: each case is grouped by a fingerprint of its sequence, the
    sums of two 64-bit hashes of its (position, activity) pairs and its length (a plain aggregate, which
    spills); only one case per fingerprint has its list built. Two different sequences would share a
    fingerprint with a probability of about 2^-128 per pair of variants."""
    con.execute(
        f"""
        CREATE TEMP TABLE _case_print AS
        SELECT case_key, any_value(case_id) AS case_id, count(*) AS n,
               sum(CAST(hash(position, activity) AS HUGEINT)) AS h1,
               sum(CAST(hash(activity, position, 'procmine') AS HUGEINT)) AS h2
        FROM {STEPS} GROUP BY case_key
        """
    )
    con.execute(
        f"""
        CREATE TEMP TABLE _variant_print AS
        WITH prints AS (
            SELECT n, h1, h2, count(*) AS cases, min(case_key) AS example FROM _case_print GROUP BY n, h1, h2
        ), lists AS (
            SELECT case_key, list(activity ORDER BY position) AS activities
            FROM {STEPS} WHERE case_key IN (SELECT example FROM prints) GROUP BY case_key
        )
        SELECT row_number() OVER (ORDER BY p.cases DESC, l.activities::VARCHAR[]) AS variant_id,
               l.activities, p.cases, p.n, p.h1, p.h2
        FROM prints p JOIN lists l ON l.case_key = p.example
        """
    )
    con.execute(f"CREATE TEMP TABLE {VARIANTS} AS SELECT variant_id, activities, cases FROM _variant_print")
    con.execute(
        f"""
        CREATE TEMP TABLE {CASE_VARIANT} AS
        SELECT c.case_id, v.variant_id FROM _case_print c JOIN _variant_print v USING (n, h1, h2)
        """
    )
    con.execute("DROP TABLE _case_print; DROP TABLE _variant_print")


BYTES_PER_STEP = 64  # an ordered list's buffered row (value, sort key, the state's growth)


def _lists_fit(con: duckdb.DuckDBPyConnection) -> bool:
    """Would the ordered lists of every case stay well within the memory limit (always on Spark)?"""
    return fits_in_memory(con, STEPS, BYTES_PER_STEP)


def variants(con: duckdb.DuckDBPyConnection, limit: int | None = None) -> list[Variant]:
    """Variants, most frequent first; all of them unless ``limit`` is given."""
    ensure_variants(con)
    sql = f"SELECT variant_id, activities, cases FROM {VARIANTS} ORDER BY variant_id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [Variant(int(i), tuple(acts), int(n)) for i, acts, n in con.execute(sql).fetchall()]


def variant_count(con: duckdb.DuckDBPyConnection) -> int:
    ensure_variants(con)
    return int(con.execute(f"SELECT count(*) FROM {VARIANTS}").fetchall()[0][0])


def coverage_curve(con: duckdb.DuckDBPyConnection, points: int = 50) -> list[dict[str, float | int]]:
    """Share of cases covered by the k most frequent variants, at up to ``points`` values of k (always
    including k = 1 and k = all), for a curve that stays small however many variants there are."""
    ensure_variants(con)
    rows = con.execute(
        f"""
        SELECT variant_id, sum(cases) OVER (ORDER BY variant_id) / sum(cases) OVER () AS covered
        FROM {VARIANTS} ORDER BY variant_id
        """
    ).fetchall()
    if not rows:
        return []
    total = len(rows)
    wanted = {1, total} | {max(1, round(total * i / (points - 1))) for i in range(points)}
    return [{"variants": int(k), "cases_share": float(c)} for k, c in rows if k in wanted]


def variants_covering(con: duckdb.DuckDBPyConnection, share: float) -> list[Variant]:
    """The most frequent variants that together cover at least ``share`` of the cases."""
    ensure_variants(con)
    rows = con.execute(
        f"""
        SELECT variant_id, activities, cases FROM (
            SELECT *, sum(cases) OVER (ORDER BY variant_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                      AS before, sum(cases) OVER () AS total
            FROM {VARIANTS})
        WHERE coalesce(before, 0) < ? * total
        ORDER BY variant_id
        """,
        [share],
    ).fetchall()
    return [Variant(int(i), tuple(acts), int(n)) for i, acts, n in rows]
