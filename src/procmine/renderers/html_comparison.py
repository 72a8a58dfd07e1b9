"""What the report shows of ``audit --previous``: the scorecard's change against the earlier report, each
finding's status (new, or also in the previous report) and the findings resolved since."""

from __future__ import annotations

from typing import Any

from procmine.analyses.comparison import finding_key

# the scorecard's metric (as in analyses.periods) -> the figure of the comparison section
TILE_FIGURES = {
    "cases": "cases",
    "mean_fitness": "fitness",
    "conforming_share": "conforming_share",
    "throughput_median": "throughput_median",
    "sla_breach_rate": "sla_breach_rate",
}


def tile_change(data: dict[str, Any]) -> dict[str, Any] | None:
    """The comparison in the shape of ``periods.change``, so the scorecard tiles show it the same way."""
    comparison = data.get("comparison")
    if not comparison:
        return None
    previous = comparison["previous"]
    span = f"{(previous.get('first_timestamp') or '')[:10]} – {(previous.get('last_timestamp') or '')[:10]}"
    change: dict[str, Any] = {"period": "this report", "previous": f"previous report ({span})"}
    for metric, name in TILE_FIGURES.items():
        figure = comparison["figures"].get(name) or {}
        if figure.get("delta") is not None:
            change[metric] = figure
    return change


def findings_detail(data: dict[str, Any]) -> str:
    comparison = data.get("comparison")
    if not comparison:
        return ""
    f = comparison["findings"]
    return f"{len(f['new'])} new, {len(f['resolved'])} resolved vs previous report"


def status_of(data: dict[str, Any], finding: dict[str, Any]) -> str:
    comparison = data.get("comparison")
    if not comparison or finding.get("severity") == "info":
        return ""
    key = finding_key(finding)
    if key in comparison["findings"]["new"]:
        return "new"
    return "also in the previous report" if key in comparison["findings"]["persisting"] else ""


def resolved(data: dict[str, Any]) -> list[str]:
    comparison = data.get("comparison") or {}
    return [f"{r['code']} {r['message']}" for r in (comparison.get("findings") or {}).get("resolved") or []]
