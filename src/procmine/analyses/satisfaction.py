"""Satisfaction scores per case (NPS 0-10, CSAT 1-5, CES 1-7) by variant, deviation, throughput band,
bottleneck and SLA breach; and ``satisfaction_gap`` findings (X001) where a group clearly scores lower.

"Clearly" means: both groups hold at least ``MIN_SAMPLE`` scored cases, the mean gap is at least a tenth of
the scale, and a one-sided Mann-Whitney U test gives p < 0.05. Smaller groups are shown with their counts
but never claimed as a finding.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from procmine.analyses.case_groups import CaseGroups, Deviations
from procmine.engine import cases as case_sql
from procmine.engine import times
from procmine.errors import InputError
from procmine.findings import Finding, Location, Severity, catalogued

if TYPE_CHECKING:
    import duckdb

    from procmine.analyses.bottlenecks import Timing

MIN_SAMPLE = 30
ALPHA = 0.05
MIN_GAP_SHARE = 0.10  # of the scale's range
TOP_VARIANTS = 10
TEST_NAME = "Mann-Whitney U (one-sided)"
# names that say "satisfaction score" for sure, then names that only say "some score"
_NAMES = (
    re.compile(r"satisf|nps|csat|\bces\b|customer.?effort", re.IGNORECASE),
    re.compile(r"score|rating", re.IGNORECASE),
)
SCALES = {"nps": (0.0, 10.0), "csat": (1.0, 5.0), "ces": (1.0, 7.0)}


def detect_column(attrs: pd.DataFrame, explicit: str | None) -> str | None:
    """The score column: the one named, else a numeric case attribute whose name says it is a score."""
    if explicit:
        if explicit not in attrs.columns:
            raise InputError("--satisfaction", f"no case attribute {explicit!r} in the log")
        if scores(attrs[explicit]).notna().sum() == 0:
            raise InputError("--satisfaction", f"column {explicit!r} holds no numeric scores")
        return explicit
    for pattern in _NAMES:
        for name in attrs.columns:
            if pattern.search(str(name)) and scores(attrs[name]).notna().mean() >= 0.5:
                return str(name)
    return None


def may_be_score(name: str) -> bool:
    """Whether ``detect_column`` may take a column of this name."""
    return any(pattern.search(name) for pattern in _NAMES)


def scores(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype(float)


def scale_of(name: str, values: pd.Series) -> str:
    lowered = name.lower()
    for key in ("nps", "csat", "ces"):
        if key in lowered:
            return key
    lo, hi = values.min(), values.max()
    if lo >= 1 and hi <= 5:
        return "csat"
    if lo >= 1 and hi <= 7:
        return "ces"
    return "nps" if lo >= 0 and hi <= 10 else "custom"


def scale_range(column: str, values: pd.Series) -> float:
    """The width of the score's scale (10 for NPS 0-10), or of the scores seen for a custom scale."""
    known = values.dropna()
    lo, hi = SCALES.get(scale_of(column, known), (float(known.min()), float(known.max())))
    return hi - lo


def analyse(
    timing: Timing,
    column: str,
    values: pd.Series,
    *,
    deviations: Deviations | None,
    breach_target: float | None = None,
    bottlenecks: list[dict[str, Any]],
    min_sample: int = MIN_SAMPLE,
    groups: CaseGroups | None = None,
) -> tuple[dict[str, Any], list[Finding]]:
    """``groups`` (from the caller, built once) or ``breach_target`` (seconds) say which cases are over
    the SLA."""
    if groups is None:
        groups = CaseGroups.of(timing, breach_target, deviations)
    score = groups.align(values).astype(float)
    values = values.dropna()
    scale = scale_of(column, values)
    min_gap = scale_range(column, values) * MIN_GAP_SHARE
    comparisons = _comparisons(timing, groups, score, bottlenecks, min_sample, min_gap)
    section = {
        "column": column,
        "scale": scale,
        "higher_is_better": True,
        "n": len(values),
        "mean": float(values.mean()) if len(values) else None,
        "median": float(values.median()) if len(values) else None,
        "nps": nps(values) if scale == "nps" else None,
        "min_sample": min_sample,
        "min_gap": min_gap,
        "alpha": ALPHA,
        "by_variant": by_variant(timing.con, values, column),
        "by_throughput_band": by_band(groups.throughput, score),
        "comparisons": comparisons,
    }
    findings = [_finding(c, column, timing.file) for c in comparisons if c["gap_found"]]
    return section, findings


def _comparisons(
    timing: Timing,
    groups: CaseGroups,
    score: np.ndarray,
    bottlenecks: list[dict[str, Any]],
    min_sample: int,
    min_gap: float,
) -> list[dict[str, Any]]:
    """Deviating vs conforming cases (per deviation kind too), cases through each top bottleneck vs the
    rest, and cases over the SLA vs within it."""
    comparisons: list[dict[str, Any]] = []

    def scored(mask: np.ndarray) -> pd.Series:
        mine = score[mask]
        return pd.Series(mine[~np.isnan(mine)])

    def compare(
        label: str, kind: str, mask: np.ndarray, rest_label: str, rest: np.ndarray, **where: str
    ) -> None:
        result = compare_groups(scored(mask), scored(rest), min_sample, min_gap)
        comparisons.append({"group": label, "against": rest_label, "kind": kind, **where, **result})

    if groups.kinds is not None and groups.known is not None and groups.deviating is not None:
        known = groups.known
        conforming = known & ~groups.deviating
        compare("deviating cases", "deviation", known & ~conforming, "conforming cases", conforming)
        kinds = groups.kinds.names()
        for dev in kinds if len(kinds) > 1 else []:  # one kind: the same groups as just compared
            mask = known & groups.kinds.where(lambda found, dev=dev: dev in found)
            compare(
                f"cases with {dev.replace('_', ' ')}",
                "deviation",
                mask,
                "conforming cases",
                conforming,
                deviation=dev,
            )
    for item in bottlenecks[:3]:
        through = times.handover_case_mask(timing.con, item["source"], item["target"])
        compare(
            f"cases through '{item['source']}' -> '{item['target']}'",
            "bottleneck",
            through,
            "other cases",
            ~through,
            source=item["source"],
            target=item["target"],
        )
    if groups.breached is not None:
        hit = groups.breached
        compare("cases over the SLA", "sla", hit, "cases within the SLA", ~hit)
    return comparisons


def compare_groups(group: pd.Series, rest: pd.Series, min_sample: int, min_gap: float) -> dict[str, Any]:
    """Group vs rest: counts, means, medians, the test and whether the group clearly scores lower."""
    out: dict[str, Any] = {
        "n": len(group),
        "rest_n": len(rest),
        "mean": float(group.mean()) if len(group) else None,
        "rest_mean": float(rest.mean()) if len(rest) else None,
        "median": float(group.median()) if len(group) else None,
        "rest_median": float(rest.median()) if len(rest) else None,
        "gap": None,
        "p_value": None,
        "test": None,
        "gap_found": False,
    }
    if len(group) < min_sample or len(rest) < min_sample:
        out["test"] = f"not tested: fewer than {min_sample} scored cases in a group"
        return out
    out["gap"] = out["rest_mean"] - out["mean"]
    out["p_value"], out["test"] = lower_p_value(group.to_numpy(), rest.to_numpy())
    out["gap_found"] = out["gap"] >= min_gap and out["p_value"] < ALPHA
    return out


def lower_p_value(group: np.ndarray, rest: np.ndarray) -> tuple[float, str]:
    """One-sided p-value that ``group`` scores lower than ``rest``: the Mann-Whitney U test with the normal
    approximation, tie correction and continuity correction (what ``scipy.stats.mannwhitneyu`` computes
    for samples this size; importing scipy.stats would cost seconds)."""
    n1, n2 = len(group), len(rest)
    ranks = pd.Series(np.concatenate([group, rest]).astype(float)).rank(method="average").to_numpy()
    u1 = ranks[:n1].sum() - n1 * (n1 + 1) / 2
    u2 = n1 * n2 - u1
    n = n1 + n2
    _, ties = np.unique(ranks, return_counts=True)
    tie_term = float((ties.astype(float) ** 3 - ties).sum())
    spread = math.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))))
    if spread == 0:
        return 1.0, TEST_NAME
    z = (u2 - n1 * n2 / 2 - 0.5) / spread
    return min(1.0, max(0.0, 0.5 * math.erfc(z / math.sqrt(2)))), TEST_NAME


def nps(values: pd.Series) -> dict[str, Any]:
    promoters, detractors = float((values >= 9).mean()), float((values <= 6).mean())
    return {"promoters": promoters, "detractors": detractors, "score": (promoters - detractors) * 100}


def by_variant(
    con: duckdb.DuckDBPyConnection, values: pd.Series, column: str | None = None
) -> list[dict[str, Any]]:
    """The most frequent variants with their cases and their scores' count, mean and median. Counted
    per variant in the engine when ``column`` holds numbers and the scores are whole numbers (their sums
    are then exact in any order: the same means as pandas', to the last bit); else from each case's
    variant."""
    if column is not None and _whole_numbers(values) and case_sql.is_number_column(con, column):
        activities = times.variant_activities(con)
        out = [
            {
                "variant": activities[int(vid)],
                "cases": int(cases),
                "n": int(n),
                "mean": float(total) / int(n) if n else None,
                "median": float(median) if n else None,
            }
            for vid, cases, n, total, median in case_sql.scores_by_variant(con, column)
        ]
    else:
        out = _by_variant_per_case(con, values)
    out.sort(key=lambda r: (-r["cases"], r["variant"]))
    return out[:TOP_VARIANTS]


def _whole_numbers(values: pd.Series) -> bool:
    """Finite whole numbers whose sum stays exact as a double, however it is added up."""
    known = values.dropna().to_numpy(dtype=float)
    finite = bool(np.all(np.isfinite(known)))
    return finite and bool(np.all(known == np.floor(known))) and float(np.abs(known).sum()) < 2.0**52


def _by_variant_per_case(con: duckdb.DuckDBPyConnection, values: pd.Series) -> list[dict[str, Any]]:
    per_case, activities = times.case_variants(con)
    ids = per_case["case_id"].to_numpy(dtype=object)
    same = len(values.index) == len(ids) and np.array_equal(values.index.to_numpy(dtype=object), ids)
    frame = pd.DataFrame(
        {
            "variant": per_case["variant_id"].to_numpy(),
            "score": values.to_numpy() if same else values.reindex(pd.Index(ids, dtype=object)).to_numpy(),
        }
    )
    table = frame.groupby("variant")["score"].agg(["size", "count", "mean", "median"])
    return [
        {
            "variant": activities[int(vid)],
            "cases": int(size),
            "n": int(count),
            "mean": None if count == 0 else float(mean),
            "median": None if count == 0 else float(median),
        }
        for vid, size, count, mean, median in zip(
            table.index, table["size"], table["count"], table["mean"], table["median"], strict=True
        )
    ]


def by_band(throughput_values: np.ndarray, score: np.ndarray) -> list[dict[str, Any]]:
    """Throughput-time quartiles: does waiting longer go with lower scores? (both arrays per case)"""
    throughput = pd.Series(throughput_values)
    if throughput.nunique() < 4:
        return []
    edges = [
        float(throughput.min()),
        *(float(throughput.quantile(q)) for q in (0.25, 0.5, 0.75)),
        float(throughput.max()),
    ]
    out = []
    for i in range(4):
        lo, hi = edges[i], edges[i + 1]
        inside = (
            (throughput_values >= lo) & (throughput_values <= hi)
            if i == 0
            else ((throughput_values > lo) & (throughput_values <= hi))
        )
        scored = pd.Series(score[inside]).dropna()
        out.append(
            {
                "band": f"Q{i + 1}",
                "from": lo,
                "to": hi,
                "cases": int(inside.sum()),
                "n": len(scored),
                "mean": float(scored.mean()) if len(scored) else None,
                "median": float(scored.median()) if len(scored) else None,
            }
        )
    return out


def _finding(c: dict[str, Any], column: str, file: str) -> Finding:
    p_text = "p < 0.001" if c["p_value"] < 0.001 else f"p = {c['p_value']:.3f}"
    return catalogued(
        kind="satisfaction_gap",
        severity=Severity.WARNING,
        message=(
            f"{c['group'][0].upper()}{c['group'][1:]} score {c['mean']:.1f} on average ({column}) against "
            f"{c['rest_mean']:.1f} for {c['against']} (n = {c['n']:,} vs {c['rest_n']:,}; {c['test']}, "
            f"{p_text})"
        ),
        location=Location(file=file, activity=None, source=c.get("source"), target=c.get("target")),
        metrics={
            k: c[k] for k in ("n", "rest_n", "mean", "rest_mean", "median", "rest_median", "gap", "p_value")
        }
        | {
            "group": c["group"],
            "kind": c["kind"],
            **({"deviation": c["deviation"]} if "deviation" in c else {}),
        },
        impact=round(c["n"] / max(c["n"] + c["rest_n"], 1), 4),  # the share of scored cases that score lower
    )
