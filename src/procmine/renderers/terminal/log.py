"""The log block: what was read, and what reading it cost."""

from __future__ import annotations

from typing import Any


def lines(data: dict[str, Any]) -> list[str]:
    log = data.get("log")
    if not log:
        return []
    q = log["quality"]
    out = [
        f"Log        {log['path']} ({log['format']})",
        f"Cases      {log['cases']:,}",
        f"Events     {log['events']:,}",
        f"Activities {log['activities']:,}",
        f"Period     {log['first_timestamp']} .. {log['last_timestamp']}",
        f"Rows       {q['rows_read']:,} read, {q['rows_used']:,} used, {q['rows_dropped']:,} dropped",
    ]
    for reason, count in q["dropped"].items():
        if count:
            out.append(f"  dropped  {count:,} {reason.replace('_', ' ')}")
    return out
