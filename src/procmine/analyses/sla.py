"""Service-level targets: case throughput time (``--sla 5d``) and per activity (``--sla "Investigate=2d"``).

A case breaches when its throughput time exceeds the target; an activity execution breaches when its sojourn
time (wait before it plus its service) exceeds the activity's target. A ``sla_breach`` finding (P003, error)
is raised when the breach rate is above the tolerated rate (``--max-sla-breach``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from procmine.analyses.bottlenecks import human_duration
from procmine.engine import times
from procmine.errors import InputError
from procmine.findings import Finding, Location, Severity, catalogued

if TYPE_CHECKING:
    from procmine.analyses.bottlenecks import Timing

DEFAULT_MAX_BREACH = 0.1
UNITS = {"w": 7 * 86400.0, "d": 86400.0, "h": 3600.0, "m": 60.0, "min": 60.0, "s": 1.0}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(w|d|h|min|m|s)", re.IGNORECASE)


@dataclass(frozen=True)
class SlaTargets:
    case: float | None = None  # seconds
    activities: dict[str, float] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.case is not None or bool(self.activities)

    def to_dict(self) -> dict[str, Any]:
        return {"case": self.case, "activities": dict(sorted(self.activities.items()))}


def parse_duration(text: str, option: str = "--sla") -> float:
    """``5d``, ``36h``, ``90m``, ``1w2d``, ``1.5d`` -> seconds. A bare number is refused: which unit?"""
    compact = text.strip().replace(" ", "")
    parts = _PART.findall(compact)
    if not compact or "".join(n + u for n, u in parts).lower() != compact.lower():
        raise InputError(option, f"cannot read duration {text!r}; write e.g. 5d, 36h, 90m or 1w2d")
    seconds = sum(float(n) * UNITS[u.lower()] for n, u in parts)
    if seconds <= 0:
        raise InputError(option, f"duration {text!r} must be positive")
    return seconds


def parse_sla(specs: list[str] | tuple[str, ...]) -> SlaTargets:
    """``["5d", "Investigate issue=2d"]`` -> a case target and per-activity targets."""
    case: float | None = None
    activities: dict[str, float] = {}
    for spec in specs:
        if "=" in spec:
            name, _, value = spec.rpartition("=")
            if not name.strip():
                raise InputError("--sla", f"no activity name in {spec!r}")
            activities[name.strip()] = parse_duration(value)
        else:
            case = parse_duration(spec)
    return SlaTargets(case=case, activities=activities)


def analyse_sla(
    timing: Timing, targets: SlaTargets, max_breach: float = DEFAULT_MAX_BREACH
) -> tuple[dict[str, Any], list[Finding]]:
    """The breach figures and the findings over the tolerated rate (counted in the engine: a case
    breaches when its throughput time is over ``targets.case``, see ``CaseGroups``)."""
    known = set(timing.activities["activity"])
    unknown = sorted(set(targets.activities) - known)
    if unknown:
        raise InputError("--sla", f"no activity {unknown[0]!r} in the log")
    section: dict[str, Any] = {"max_breach_rate": max_breach, "case": None, "activities": []}
    findings: list[Finding] = []
    if targets.case is not None:
        cases, over = timing.case_count, times.cases_over(timing.con, targets.case)
        rate = over / cases if cases else 0.0
        section["case"] = {
            "target": targets.case,
            "cases": cases,
            "breaches": over,
            "breach_rate": rate,
            "over_threshold": rate > max_breach,
        }
        if rate > max_breach:
            findings.append(_finding(None, targets.case, over, cases, rate, max_breach, timing.file))
    for activity, target in sorted(targets.activities.items()):
        counts = times.activity_sojourns(timing.con, activity, target)
        rate = counts["breaches"] / counts["executions"] if counts["executions"] else 0.0
        section["activities"].append(
            {
                "activity": activity,
                "target": target,
                "executions": counts["executions"],
                "breaches": counts["breaches"],
                "cases": counts["cases"],
                "breach_rate": rate,
                "over_threshold": rate > max_breach,
            }
        )
        if rate > max_breach:
            findings.append(
                _finding(
                    activity, target, counts["breaches"], counts["executions"], rate, max_breach, timing.file
                )
            )
    return section, findings


def _finding(
    activity: str | None, target: float, breaches: int, total: int, rate: float, max_breach: float, file: str
) -> Finding:
    what = f"executions of '{activity}'" if activity else "cases"
    measured = "sojourn time" if activity else "throughput time"
    return catalogued(
        kind="sla_breach",
        severity=Severity.ERROR,
        message=(
            f"{breaches:,} of {total:,} {what} ({rate:.1%}) exceed the {measured} target of "
            f"{human_duration(target)}; at most {max_breach:.1%} is tolerated"
        ),
        location=Location(file=file, activity=activity),
        metrics={
            "target": target,
            "breaches": breaches,
            "total": total,
            "breach_rate": rate,
            "max_breach_rate": max_breach,
        },
        impact=rate,
    )
