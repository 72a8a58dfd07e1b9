"""The lint block: what was linted with which preset, files that could not be read, suppressed findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procmine.findings import Report


def lines(report: Report) -> list[str]:
    data = report.to_dict()
    lint = data.get("lint")
    if not lint:
        return []
    files, unreadable = lint.get("files", []), lint.get("unreadable", [])
    out = [
        f"Lint       {len(files)} file(s), {len(lint.get('rules', []))} rules (preset {lint.get('preset')})"
        + (f", {lint['suppressed']} finding(s) suppressed by configuration" if lint.get("suppressed") else "")
    ]
    shown = files if len(files) <= 20 else [f for f in files if f["findings"]]
    if len(shown) < len(files):
        out.append(f"  {len(files) - len(shown)} file(s) without findings")
    for result in shown:
        by = result["by_severity"]
        state = (
            "ok"
            if not result["findings"]
            else f"{by['error']} error, {by['warning']} warning, {by['info']} info"
        )
        out.append(f"  {result['file']}: {state}")
    for u in unreadable:
        out.append(f"  {u['file']}: UNREADABLE: {u['cause']}")
    return out
