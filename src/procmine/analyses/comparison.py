"""This audit against an earlier one (``procmine audit --previous reports/2026-q2/report.json``): the
headline figures then and now, and which findings are new, which persist and which were resolved.

A process owner audits each quarter's export on its own; this is how the report answers "better or worse
than last quarter?" across two files. Findings are matched by what they are about (code, kind, activity,
handover, model element, satisfaction group), never by their message, whose figures change.
"""

from __future__ import annotations

from typing import Any

from procmine.sections.comparison import ComparisonSection

FIGURES = ("cases", "fitness", "conforming_share", "throughput_median", "sla_breach_rate", "findings")


def headline(data: dict[str, Any]) -> dict[str, float | None]:
    """The figures the scorecard compares, from one report's JSON."""
    conf = data.get("conformance") or {}
    perf = data.get("performance") or {}
    throughput = perf.get("throughput") or data.get("throughput") or {}
    sla = (perf.get("sla") or {}).get("case") or {}
    by = (data.get("summary") or {}).get("by_severity") or {}
    return {
        "cases": (data.get("log") or {}).get("cases"),
        "fitness": conf.get("fitness"),
        "conforming_share": conf.get("fitting_share"),
        "throughput_median": throughput.get("median"),
        "sla_breach_rate": sla.get("breach_rate"),
        "findings": (by.get("error", 0) + by.get("warning", 0)) if by else None,
    }


def finding_key(f: dict[str, Any]) -> str:
    """What a finding is about, as one stable string."""
    metrics = f.get("metrics") or {}
    parts = [
        f.get("code"),
        f.get("kind"),
        f.get("activity"),
        f.get("source"),
        f.get("target"),
        f.get("element_id"),
        metrics.get("group"),
    ]
    return " | ".join("" if p is None else str(p) for p in parts)


def compare(current: dict[str, Any], previous: dict[str, Any], previous_path: str) -> ComparisonSection:
    now, then = headline(current), headline(previous)
    figures = {}
    for name in FIGURES:
        a, b = now.get(name), then.get(name)
        delta = round(a - b, 6) if a is not None and b is not None else None
        relative = round(delta / b, 6) if delta is not None and b else None
        figures[name] = {"current": a, "previous": b, "delta": delta, "relative": relative}
    old = {finding_key(f): f for f in previous.get("findings") or [] if f.get("severity") != "info"}
    new_keys = [finding_key(f) for f in current.get("findings") or [] if f.get("severity") != "info"]
    log = previous.get("log") or {}
    return ComparisonSection.from_dict(
        {
            "previous": {
                "path": previous_path,
                "first_timestamp": log.get("first_timestamp"),
                "last_timestamp": log.get("last_timestamp"),
                "cases": log.get("cases"),
                "procmine_version": previous.get("procmine_version"),
            },
            "figures": figures,
            "findings": {
                "new": sorted(k for k in set(new_keys) if k not in old),
                "persisting": sorted(k for k in set(new_keys) if k in old),
                "resolved": [
                    {"code": f.get("code"), "kind": f.get("kind"), "message": f.get("message")}
                    for k, f in sorted(old.items())
                    if k not in set(new_keys)
                ],
            },
        }
    )
