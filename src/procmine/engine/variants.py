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
    return VARIANTS


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
