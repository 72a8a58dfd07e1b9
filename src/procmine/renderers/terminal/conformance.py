"""The conformance block: which process was checked, fitness and precision, and what became of each task."""

from __future__ import annotations

from typing import Any


def lines(data: dict[str, Any]) -> list[str]:
    conf = data.get("conformance")
    if not conf:
        return []
    model = data.get("model") or {}
    out = [
        f"Model      {model.get('path', '')} — process {model.get('process_name', '')!r} "
        f"({model.get('tasks', 0)} tasks, {model.get('selected_by', '')})",
        f"Fitness    {_num(conf['fitness'])} (alignments); {conf['fitting_share']:.0%} of "
        f"{conf['cases']:,} cases fit perfectly; {conf['variants']:,} variants",
    ]
    elsewhere = model.get("other_processes") or {}
    if elsewhere:
        names = ", ".join(f"{a!r} ({p})" for a, p in elsewhere["activities"].items())
        out.append(
            f"Elsewhere  {elsewhere['events_set_aside']:,} events set aside, documented in other pools: "
            f"{names}"
        )
    if conf.get("precision") is not None:
        out.append(f"Precision  {_num(conf['precision'])}")
    fallback = conf.get("fallback") or {}
    if fallback.get("variants"):
        out.append(
            f"Fallback   {fallback['variants']} variants ({fallback['cases']:,} cases) scored by token replay"
        )
    period = conf.get("recent_period")
    if period:
        out.append(f"Recent     {period['start'][:10]} .. {period['end'][:10]} ({period['how']})")
    tasks = conf.get("tasks") or []
    if tasks:
        width = max(len(t["task"]) for t in tasks)
        out.append(f"Tasks      {'':<{width}}  executed   skipped  out of order  last seen")
        for t in tasks:
            last = (t["last_seen"] or "never")[:10]
            out.append(
                f"  {t['task']:<{width + 8}}  {t['cases_executed']:>8,}  {t['cases_skipped']:>8,}  "
                f"{t['cases_out_of_order']:>12,}  {last}"
            )
    undocumented = [a for a in conf.get("activities") or [] if not a["documented"]]
    for a in undocumented:
        out.append(f"  not in model: {a['activity']} ({a['cases']:,} cases)")
    out.extend(_match_hints(conf.get("matching") or {}))
    return out


def _match_hints(matching: dict[str, Any]) -> list[str]:
    """Model tasks no log activity matched, with the closest log names: often a renamed step."""
    out = []
    for item in matching.get("unmatched_tasks") or []:
        suggestions = item.get("suggestions") or []
        if suggestions:
            best = ", ".join(f"{s['name']!r} ({s['score']:.0f}%)" for s in suggestions[:3])
            out.append(f"  task {item['task']!r} matches no activity; closest: {best} (fix with --map)")
        else:
            out.append(f"  task {item['task']!r} matches no activity in the log")
    return out


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
