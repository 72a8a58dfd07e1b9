"""The discovery block: the mined model and its fit, the most frequent variants, the slowest handovers and
case throughput times."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procmine.findings import Report

from procmine.timefmt import duration

SHOWN = 5


def lines(report: Report) -> list[str]:
    data = report.to_dict()
    out: list[str] = []
    disc = data.get("discovery")
    if disc:
        model = disc["model"]
        fit = disc.get("fitness") or {}
        out.append(
            f"Model      {disc['algorithm']} miner on {disc['variants_used']:,} variants "
            f"({disc['cases_used_share']:.0%} of cases): {model['tasks']} tasks, {model['gateways']} gateways"
        )
        if fit:
            share = disc.get("fitness_cases_share", 1.0)
            scope = "cases" if share >= 1 else f"the {share:.0%} of cases in the most frequent variants"
            out.append(
                f"Fitness    {fit['log_fitness']:.3f} (token replay of {scope}); "
                f"{fit['fitting_cases_share']:.0%} of them fit perfectly"
            )
        removed = (disc.get("filter") or {}).get("removed") or {}
        for reason, count in removed.items():
            if count:
                out.append(f"  filtered {count:,} events ({reason.replace('_', ' ')})")
    variants = data.get("variants")
    if variants and variants.get("top"):
        cover = variants.get("variants_to_cover", {})
        out.append(f"Variants   {variants['total']:,} ({cover.get('80', '?')} cover 80% of cases)")
        for v in variants["top"][:SHOWN]:
            path = " > ".join(v["activities"])
            if len(path) > 90:
                path = path[:89] + "…"
            out.append(f"  {v['share']:6.1%}  {v['cases']:>7,}  {path}")
    arcs = [a for a in data.get("dfg") or [] if a["wait_seconds"]["median"] is not None]
    if arcs:
        out.append("Longest waits (median, handovers seen in >= 1% of cases)")
        cases = (variants or {}).get("cases") or 1
        frequent = [a for a in arcs if a["cases"] >= 0.01 * cases] or arcs
        for a in sorted(frequent, key=lambda a: (-a["wait_seconds"]["median"], a["source"], a["target"]))[
            :SHOWN
        ]:
            out.append(
                f"  {duration(a['wait_seconds']['median']):>8}  "
                f"{a['source']} -> {a['target']} ({a['count']:,}x)"
            )
    tp = data.get("throughput")
    if tp and tp.get("seconds"):
        s = tp["seconds"]
        out.append(
            f"Throughput median {duration(s['median'])}, p90 {duration(s['p90'])}, max {duration(s['max'])} "
            f"({tp['cases']:,} cases)"
        )
    return out
