"""A finding's evidence as a reader sees it: each metric under a label in words, in its unit.

The JSON keeps the metric names (``expected_in_recent_period``); the report says what they mean ("expected
in the recent period at the earlier rate"), prints durations, shares, p values and counts in their units, and
instants as dates.
"""

from __future__ import annotations

import re
from typing import Any

# metric -> (label, unit); a (kind, metric) entry wins over the plain metric
WORDS: dict[str | tuple[str, str], tuple[str, str]] = {
    "cases_affected": ("cases that waited here", "int"),
    "handovers": ("times the handover happened", "int"),
    "median_wait": ("median wait", "duration"),
    "mean_wait": ("mean wait", "duration"),
    "p90_wait": ("90 % of waits shorter than", "duration"),
    "total_wait": ("total wait", "duration"),
    "wait_per_affected_case": ("wait per affected case", "duration"),
    "share_of_case_time": ("share of all case time", "pct"),
    "share_of_affected_case_time": ("share of the affected cases' time", "pct"),
    "share_of_throughput": ("share of all case time", "pct"),
    "share_of_affected_throughput": ("share of the affected cases' time", "pct"),
    "queue_rho": ("wait vs work in progress (Spearman ρ)", "ratio"),
    "queue_q_value": ("queue test, adjusted p", "p"),
    "waits_tested": ("waits tested", "int"),
    "rank": ("rank by total wait", "int"),
    "cases_reversed": ("cases in the reverse order", "int"),
    "cases_with_both": ("cases with both steps", "int"),
    "other_tasks": ("steps it came after", "list"),
    "task": ("documented task", "text"),
    "threshold": ("reported from a share of", "pct"),
    "share": ("share of cases", "pct"),
    "cases_executed_before": ("cases with it before the recent period", "int"),
    "expected_in_recent_period": ("executions expected in the recent period at the earlier rate", "count"),
    "last_seen": ("last done", "date"),
    "recent_period_start": ("recent period from", "date"),
    "cases_repeating_it": ("cases repeating it", "int"),
    "cases_reworked": ("cases repeating it", "int"),
    "repeats": ("repeats", "int"),
    "share_of_cases": ("share of all cases", "pct"),
    "rate": ("share of all cases", "pct"),
    "share_of_cases_with_it": ("share of the cases that do it", "pct"),
    "rate_where_executed": ("share of the cases that do it", "pct"),
    "extra_time": ("time the repeats take", "duration"),
    "extra_time_per_case": ("per case repeating it", "duration"),
    "extra_time_per_reworked_case": ("per case repeating it", "duration"),
    "gap": ("score gap", "count"),
    "mean": ("group's mean score", "count"),
    "median": ("group's median score", "count"),
    "n": ("scored cases in the group", "int"),
    "rest_mean": ("others' mean score", "count"),
    "rest_median": ("others' median score", "count"),
    "rest_n": ("scored cases among the others", "int"),
    "p_value": ("p value", "p"),
    "group": ("group", "text"),
    ("satisfaction_gap", "kind"): ("group defined by", "text"),
    "deviation": ("deviation", "text"),
    ("skipped_step", "cases"): ("cases checked", "int"),
    "cases_skipped": ("cases that skip it", "int"),
    "breach_rate": ("breach rate", "pct"),
    "breaches": ("over the target", "int"),
    "max_breach_rate": ("tolerated", "pct"),
    "target": ("target", "duration"),
    "total": ("measured", "int"),
    ("undocumented_step", "cases"): ("cases with it", "int"),
    "similar_model_names": ("similar task names in the model", "list"),
    "typically_after": ("usually after", "text"),
    "typically_after_share": ("share after it", "pct"),
}
# Sums of time over all cases ("42,073.6 d" of repeats) are sums nobody can picture: the grid shows the share
# of all case time and the time per affected case beside them instead (the JSON keeps the sums).
UNPICTURED = frozenset({"total_wait", "extra_time"})
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


def evidence(kind: str, metrics: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) pairs for the evidence grid, in the metrics' order; empty lists are left out."""
    from procmine.renderers.html_view import fmt, metric_kind

    out = []
    for name, value in metrics.items():
        if isinstance(value, bool) or value is None or value == [] or name in UNPICTURED:
            continue
        plain = (name.replace("_", " "), metric_kind(name))
        label, unit = WORDS.get((kind, name)) or WORDS.get(name) or plain
        out.append((label, _value(value, unit, fmt)))
    return out


def _value(value: Any, unit: str, fmt: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str):
        return value[:10] if unit == "date" or _INSTANT.match(value) else fmt(value, "plain")
    if unit == "count":
        return f"{value:,.1f}" if isinstance(value, float) and not value.is_integer() else f"{int(value):,}"
    return fmt(value, {"text": "plain", "list": "plain", "date": "plain"}.get(unit, unit))
