"""This audit against an earlier one (``procmine audit --previous reports/2026-q2/report.json``): the
headline figures then and now, and which findings are new, which persist and which were resolved.

A process owner audits each quarter's export on its own; this is how the report answers "better or worse
than last quarter?" across two files. Findings are matched by what they are about (code, kind, activity,
handover, model element, satisfaction group), never by their message, whose figures change.

A share whose counts both reports hold (conforming cases of the aligned ones, SLA breaches under the same
target) is tested as two samples with the two-proportion z test; the median throughput time with the
Mann-Whitney U test on both reports' throughput times in 1 % bins (``performance.throughput_bins``: the
same edges in every report, so the bins rank together, a bin's cases as ties); the fitness with the same
test on the aligned cases' fitness (``conformance.case_fitness.values``). The tests assume the two reports
hold different cases (two quarters' exports). The case count and the number of findings are not tested:
they are counts, not estimates from a sample.
"""

from __future__ import annotations

from typing import Any

from procmine.analyses import significance as sig
from procmine.analyses.periods import MIN_CASES
from procmine.sections.comparison import ComparisonSection

FIGURES = ("cases", "fitness", "conforming_share", "throughput_median", "sla_breach_rate", "findings")
SHARES = ("conforming_share", "sla_breach_rate")  # (RANKED, below: fitness and median throughput)
NO_SAMPLE = "not tested: a count, not an estimate from a sample"
MAX_CASES = 10**12  # a count beyond any log's: an edited report.json is not tested (nor overflows a float)


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
    figures = {name: _change(name, now.get(name), then.get(name), current, previous) for name in FIGURES}
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


def _change(
    name: str, a: float | None, b: float | None, current: dict[str, Any], previous: dict[str, Any]
) -> dict[str, Any]:
    """One figure now and then, and the test of its change where both reports hold its counts."""
    target_now, target_then = _sla_target(current), _sla_target(previous)
    if name == "sla_breach_rate" and target_now != target_then:
        reason = (
            f"not compared: the SLA target differs ({target_then or 'none'} then, {target_now or 'none'} now)"
        )
        return {"current": a, "previous": b, "delta": None, "relative": None, "test": reason}
    delta = round(a - b, 6) if a is not None and b is not None else None
    relative = round(delta / b, 6) if delta is not None and b else None
    out: dict[str, Any] = {"current": a, "previous": b, "delta": delta, "relative": relative}
    if delta is None:
        return {**out, "test": "not tested: the figure is missing from one report"}
    if name in RANKED:
        read, label = RANKED[name]
        return {**out, **_ranked_test(read(previous), read(current), label)}
    counts_now, counts_then = share_counts(current, name), share_counts(previous, name)
    if counts_now is None or counts_then is None:
        return {**out, "test": NO_SAMPLE if name not in SHARES else "not tested: no counts in one report"}
    n = {"previous_n": counts_then[1], "current_n": counts_now[1]}
    test = sig.two_proportions(counts_then[0], counts_then[1], counts_now[0], counts_now[1])
    return {**out, **n, **_verdict(n, test)}


def _verdict(n: dict[str, int], test: sig.TestResult, name: str | None = None) -> dict[str, Any]:
    """The test's name, p value and verdict; with fewer than ``MIN_CASES`` cases on a side, why not."""
    if min(n.values()) < MIN_CASES:
        return {"test": f"not tested: fewer than {MIN_CASES} cases in one report"}
    return {"test": name or test.name, "p_value": test.p_value, "significant": test.significant}


def _ranked_test(then: dict[Any, int] | None, now: dict[Any, int] | None, label: str) -> dict[str, Any]:
    if then is None or now is None:
        return {"test": "not tested: one report keeps no per-case values of it (an older procmine)"}
    n = {"previous_n": sum(then.values()), "current_n": sum(now.values())}
    return {**n, **_verdict(n, sig.mann_whitney_counted(then, now), f"{sig.MANN_WHITNEY} on {label}")}


def case_fitness_counts(data: dict[str, Any]) -> dict[float, int] | None:
    """Aligned cases per distinct case fitness of one report's JSON; None when it keeps none, or they do
    not add up to its aligned cases."""
    conf = data.get("conformance") or {}
    rows = (conf.get("case_fitness") or {}).get("values")
    aligned = (conf.get("coverage") or {}).get("cases_aligned")
    return _cases_per_value(rows, "fitness", lambda v: _number(v) and 0 <= v <= 1, aligned)


def throughput_bins(data: dict[str, Any]) -> dict[int, int] | None:
    """Cases per bin of throughput time of one report's JSON; None when it keeps none, or they do not add
    up to the cases its median is of."""
    perf = data.get("performance") or {}
    count = (perf.get("throughput") or {}).get("count")
    is_bin = lambda k: isinstance(k, int) and _number(k) and abs(k) <= MAX_CASES  # noqa: E731
    return _cases_per_value(perf.get("throughput_bins"), "bin", is_bin, count)


def _cases_per_value(rows: Any, key: str, valid: Any, total: Any) -> dict[Any, int] | None:
    """``{row[key]: row["cases"]}`` of a report's list of rows; None unless every key is ``valid`` and
    distinct, every count a count, and the counts add up to ``total``."""
    if not isinstance(rows, list) or not rows or not _count(total) or len(rows) > 1_000_000:
        return None
    counts: dict[Any, int] = {}
    for row in rows:
        value, cases = (row.get(key), row.get("cases")) if isinstance(row, dict) else (None, None)
        if not valid(value) or not _count(cases) or value in counts:
            return None
        counts[value] = cases
    return counts if sum(counts.values()) == total else None


def share_counts(data: dict[str, Any], name: str) -> tuple[int, int] | None:
    """(hits, cases) behind a share of one report's JSON: the conforming cases of the aligned ones, or
    the cases over the SLA target of those measured; None for another figure or an older report."""
    if name == "conforming_share":
        conf = data.get("conformance") or {}
        hits, cases = conf.get("fitting_cases"), (conf.get("coverage") or {}).get("cases_aligned")
    elif name == "sla_breach_rate":
        sla = ((data.get("performance") or {}).get("sla") or {}).get("case") or {}
        hits, cases = sla.get("breaches"), sla.get("cases")
    else:
        return None
    counted = all(_count(v) for v in (hits, cases))
    return (hits, cases) if counted and hits <= cases else None  # type: ignore[operator, return-value]


def _count(value: object) -> bool:
    return isinstance(value, int) and _number(value) and 0 <= value <= MAX_CASES  # type: ignore[operator]


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _sla_target(data: dict[str, Any]) -> object:
    return ((data.get("parameters") or {}).get("sla") or {}).get("case")


RANKED = {  # figures tested by Mann-Whitney U on the per-case values both reports keep
    "fitness": (case_fitness_counts, "case fitness"),
    "throughput_median": (throughput_bins, "times in 1 % bins"),
}
