"""Reading the report.json of an earlier audit, for ``procmine audit --previous``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from procmine.errors import InputError
from procmine.findings import SCHEMA


def read_previous_report(path: str | Path) -> dict[str, Any]:
    """The earlier report's JSON; a folder means its report.json. Anything else is unreadable input."""
    from procmine.io.input_files import read_text

    path = Path(path)
    if path.is_dir():
        path = path / "report.json"
    missing = "no such file (--previous takes the report.json of an earlier audit)"
    text = read_text(path, "a report.json", missing=missing)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not JSON: {exc.msg} (line {exc.lineno})") from exc
    except RecursionError:
        raise InputError(path, "not a procmine report: JSON nested too deeply") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise InputError(path, f"not a procmine report (schema {SCHEMA})")
    if data.get("command") not in ("audit", "check"):
        raise InputError(path, f"a report of 'procmine {data.get('command')}', not of an audit")
    return data
