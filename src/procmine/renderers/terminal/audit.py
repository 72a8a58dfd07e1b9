"""The human format of ``procmine audit``: the headline figures and the warnings and errors; the rest is in
the HTML report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procmine.timefmt import duration

if TYPE_CHECKING:
    from procmine.findings import Report


def render(report: Report) -> str:
    return summary(report.to_dict())


def summary(data: dict[str, Any]) -> str:
    """The human format: the headline figures and the warnings and errors; the rest is in the report."""
    log, conf, model = data.get("log") or {}, data.get("conformance") or {}, data.get("model") or {}
    span = f"{str(log.get('first_timestamp'))[:10]} .. {str(log.get('last_timestamp'))[:10]}"
    out = [
        f"Audit      {log.get('path')} against {model.get('path')} ({model.get('process_name') or 'model'})",
        f"Cases      {log.get('cases', 0):,} ({span}), {conf.get('variants', 0):,} variants",
    ]
    if conf.get("fitness") is not None:
        out.append(
            f"Fitness    {conf['fitness']:.3f}; {conf.get('fitting_share', 0):.0%} of cases follow the "
            "documented process exactly"
        )
    through = (data.get("performance") or {}).get("throughput") or {}
    if through.get("median") is not None:
        out.append(f"Throughput median {duration(through['median'])}, p90 {duration(through.get('p90'))}")
    out.extend(_comparison_lines(data.get("comparison")))
    findings = [f for f in data.get("findings") or [] if f.get("severity") != "info"]
    notes = len(data.get("findings") or []) - len(findings)
    out.append("")
    out.append(
        f"Findings   {len(findings)} warnings and errors"
        + (f" ({notes} notes in the report)" if notes else "")
    )
    for f in findings:
        out.append(f"  {f['severity']:<7} {f['code']} {f['message']} [{f['kind']}]")
    return "\n".join(out) + "\n"

def _comparison_lines(comparison: dict[str, Any] | None) -> list[str]:
    if not comparison:
        return []
    fit = comparison["figures"]["fitness"]
    then = comparison["previous"]
    span = f"{str(then.get('first_timestamp'))[:10]} .. {str(then.get('last_timestamp'))[:10]}"
    change = (
        f"fitness {fit['previous']:.3f} -> {fit['current']:.3f}; "
        if fit.get("previous") is not None and fit.get("current") is not None
        else ""
    )
    f = comparison["findings"]
    return [
        f"Previous   {then['path']} ({span}): {change}{len(f['new'])} new findings, "
        f"{len(f['persisting'])} persisting, {len(f['resolved'])} resolved"
    ]

