"""What the log says before any model: per-activity figures, start/end activities, the directly-follows
graph with waits, variants with the coverage curve, and case throughput times — as report sections.

Everything is computed by the SQL engine over the ``events`` view of one DuckDB connection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procmine.engine import cases, dfg, variants
from procmine.sections import CoveragePoint, VariantRow, VariantsSection
from procmine.sections.statistics import ActivityStats, Arc, ServiceSeconds, ThroughputSection

if TYPE_CHECKING:
    import duckdb

COVERAGE_MARKS = (0.5, 0.8, 0.9, 0.95)


def log_sections(con: duckdb.DuckDBPyConnection, top_variants: int = 20) -> dict[str, Any]:
    """The report sections activities, start_activities, end_activities, dfg, variants, throughput."""
    starts = dfg.start_activities(con)
    ends = dfg.end_activities(con)
    return {
        "activities": activity_section(con, starts, ends),
        "start_activities": starts,
        "end_activities": ends,
        "dfg": [Arc.from_dict(arc_dict(a)) for a in dfg.dfg(con)],
        "variants": variant_section(con, top_variants),
        "throughput": ThroughputSection.from_dict(cases.throughput(con)),
    }


def activity_section(
    con: duckdb.DuckDBPyConnection, starts: dict[str, int], ends: dict[str, int]
) -> list[ActivityStats]:
    out = []
    for a in cases.activity_stats(con):
        service = None
        if a.service_median is not None:
            service = {"median": a.service_median, "mean": a.service_mean, "total": a.service_total}
        out.append(
            ActivityStats(
                activity=a.activity,
                events=a.events,
                cases=a.cases,
                case_share=a.case_share,
                rework_cases=a.rework_cases,
                start_cases=starts.get(a.activity, 0),
                end_cases=ends.get(a.activity, 0),
                service_seconds=ServiceSeconds.from_dict(service) if service else None,
            )
        )
    return out


def arc_dict(arc: dfg.Arc) -> dict[str, Any]:
    return {
        "source": arc.source,
        "target": arc.target,
        "count": arc.count,
        "cases": arc.cases,
        "wait_seconds": {
            "median": arc.wait_median,
            "p90": arc.wait_p90,
            "mean": arc.wait_mean,
            "min": arc.wait_min,
            "max": arc.wait_max,
            "total": arc.wait_total,
        },
    }


def variant_section(con: duckdb.DuckDBPyConnection, top: int) -> VariantsSection:
    total_variants = variants.variant_count(con)
    listed = variants.variants(con, limit=top)
    cases_total = int(con.execute("SELECT coalesce(sum(cases), 0) FROM variants").fetchall()[0][0])
    covered = 0
    rows = []
    for v in listed:
        covered += v.cases
        rows.append(
            VariantRow(
                rank=v.id,
                activities=list(v.activities),
                length=len(v.activities),
                cases=v.cases,
                share=v.cases / cases_total,
                cumulative_share=covered / cases_total,
            )
        )
    marks = {f"{round(m * 100)}": len(variants.variants_covering(con, m)) for m in COVERAGE_MARKS}
    return VariantsSection(
        total=total_variants,
        cases=cases_total,
        top=rows,
        variants_to_cover=marks if total_variants else {},
        coverage_curve=[
            CoveragePoint(int(p["variants"]), float(p["cases_share"])) for p in variants.coverage_curve(con)
        ],
    )
