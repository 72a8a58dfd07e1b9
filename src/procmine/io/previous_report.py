"""Reading the report.json of an earlier audit, for ``procmine audit --previous``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from procmine.errors import InputError
from procmine.findings import SCHEMA


def read_previous_report(path: str | Path) -> dict[str, Any]:
    """The earlier report's JSON; a folder means its report.json. Anything else is unreadable input."""
    path = Path(path)
    if path.is_dir():
        path = path / "report.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(path, "no such file (--previous takes the report.json of an earlier audit)") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read it: {getattr(exc, 'strerror', None) or exc}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not JSON: {exc.msg} (line {exc.lineno})") from exc
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise InputError(path, f"not a procmine report (schema {SCHEMA})")
    if data.get("command") not in ("audit", "check"):
        raise InputError(path, f"a report of 'procmine {data.get('command')}', not of an audit")
    return data
