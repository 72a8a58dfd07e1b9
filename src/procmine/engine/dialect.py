"""One definition per query: the engine's SQL is written once, in DuckDB's dialect, and translated for
Apache Spark by sqlglot, with the few functions whose Spark spelling sqlglot gets wrong (or that Spark
lacks) rewritten here, in one place:

- ``list(x ORDER BY k)`` (an ordered list per group): Spark's ``collect_list`` has no order, so the values
  are collected with their keys, sorted, and the keys dropped again;
- ``epoch_us(ts)``: Spark's ``unix_micros``;
- ``quantile_cont(x, q)`` and ``median(x)``: Spark's exact ``percentile`` (the same linear interpolation as
  DuckDB's ``quantile_cont``; ``percentile_approx`` would not give identical figures);
- ``x::activity_name`` (DuckDB's ENUM of activities): a plain string on Spark;
- ``arg_min_null(x, k)``: Spark's ``min_by``, which like it keeps a NULL ``x`` found at the least ``k``;
- ``SELECT * EXCLUDE (a, b) FROM source``: Spark SQL has no such star, so it becomes the source's other
  columns, looked up by the caller (``excluded_stars``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import sqlglot
from sqlglot import exp

ENUM_TYPES = frozenset({"activity_name"})
RENAMED = {"epoch_us": "UNIX_MICROS", "arg_min_null": "MIN_BY"}  # the same function, another name


@lru_cache(maxsize=512)
def to_spark(sql: str) -> str:
    """``sql`` (DuckDB dialect) as Spark SQL."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    return tree.transform(_spark_node).sql(dialect="spark")


def _spark_node(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Order):
        return _ordered_list(node.this)
    if isinstance(node, exp.Anonymous) and node.name.lower() in RENAMED:
        return exp.Anonymous(this=RENAMED[node.name.lower()], expressions=list(node.expressions))
    if isinstance(node, exp.PercentileCont) and node.expression is not None:
        return exp.Anonymous(this="PERCENTILE", expressions=[node.this, node.expression])
    if isinstance(node, exp.Median):
        return exp.Anonymous(this="PERCENTILE", expressions=[node.this, exp.Literal.number(0.5)])
    if (
        isinstance(node, exp.Cast)
        and node.to.this == exp.DataType.Type.USERDEFINED
        and node.to.sql(dialect="duckdb").lower() in ENUM_TYPES
    ):
        return exp.Cast(this=node.this, to=exp.DataType.build("STRING"))
    return node


def _ordered_list(order: exp.Order) -> exp.Expression:
    keys = ", ".join(f"{o.this.sql(dialect='spark')} AS k{i}" for i, o in enumerate(order.expressions))
    value = order.this.sql(dialect="spark")
    return sqlglot.parse_one(
        f"TRANSFORM(ARRAY_SORT(COLLECT_LIST(STRUCT({keys}, {value} AS v))), x -> x.v)", read="spark"
    )


def excluded_stars(sql: str, columns_of: Callable[[str], list[str]]) -> str:
    """``sql`` (DuckDB dialect) with each ``* EXCLUDE (...)`` spelled out as the other columns of its
    SELECT's one source; ``columns_of(relation_sql)`` names a relation's columns."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    for star in list(tree.find_all(exp.Star)):
        excluded = star.args.get("except_") or star.args.get("except")
        select = star.find_ancestor(exp.Select)
        source = select.args.get("from_") or select.args.get("from") if select is not None else None
        if not excluded or source is None or select.args.get("joins"):
            continue
        relation = source.this
        relation_sql = relation.sql(dialect="duckdb")
        dropped = {c.name.lower() for c in excluded}
        kept = [c for c in columns_of(relation_sql) if c.lower() not in dropped]
        qualifier = relation.alias_or_name if isinstance(relation, exp.Subquery | exp.Table) else ""
        columns = [exp.column(c, table=qualifier or None, quoted=True) for c in kept]
        target = star.parent if isinstance(star.parent, exp.Column) else star
        index = select.expressions.index(target)
        select.set("expressions", select.expressions[:index] + columns + select.expressions[index + 1 :])
    return tree.sql(dialect="duckdb")
