"""``procmine rules``: the lint rules as a table for the terminal, or as JSON."""

from __future__ import annotations

import json

from procmine.sections.lint import AppliedRule


def render(rows: list[AppliedRule], fmt: str) -> str:
    """``rows``: each rule with the severity a run gets (``pipeline.lint.rule_rows``)."""
    if fmt == "json":
        return json.dumps([r.to_dict() for r in rows], indent=2, ensure_ascii=False) + "\n"
    width = max(len(r.name) for r in rows) if rows else 10
    out = [f"{'CODE':<5} {'NAME':<{width}} {'PRESET':<12} {'SEVERITY':<8} DESCRIPTION"]
    for r in rows:
        out.append(f"{r.code:<5} {r.name:<{width}} {r.preset:<12} {r.severity:<8} {r.description}")
    return "\n".join(out) + "\n"
