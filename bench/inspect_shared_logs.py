"""Run ``procmine inspect`` over every XES, CSV and Parquet log under ../shared/data/logs; tally the result.

    .venv/bin/python bench/inspect_shared_logs.py [FOLDER]

Every file must either be read (exit 0) or be refused with exit 2 and one line on stderr; anything
else (an internal error, exit 3, or a traceback) is listed as a failure and the script exits 1.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections import Counter
from pathlib import Path

from procmine.cli import run

ROOT = Path(__file__).resolve().parents[1]
LOG_SUFFIXES = (".xes", ".xes.gz", ".csv", ".csv.gz", ".parquet")


def log_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name.lower().endswith(LOG_SUFFIXES))


def inspect_one(path: Path) -> tuple[int, str, dict | None]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(["--quiet", "inspect", str(path), "--format", "json"], debug=False)
    lines = [line for line in err.getvalue().splitlines() if line.strip()]
    return code, lines[-1] if lines else "", json.loads(out.getvalue()) if code == 0 else None


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "logs"
    tally: Counter[str] = Counter()
    failures = []
    for path in log_files(folder):
        code, line, report = inspect_one(path)
        name = path.relative_to(folder)
        if code == 0 and report is not None:
            tally["read"] += 1
            q = report["log"]["quality"]
            print(f"read     {name}: {report['log']['cases']} cases, {report['log']['events']} events, "
                  f"{q['rows_dropped']} rows dropped")
        elif code == 2 and line.startswith("procmine: error: "):
            tally["refused"] += 1
            print(f"refused  {name}: {line.removeprefix('procmine: error: ').removeprefix(str(path) + ': ')}")
        else:
            tally["failed"] += 1
            failures.append(name)
            print(f"FAILED   {name}: exit {code}: {line}")
    print(f"\n{sum(tally.values())} files: {tally['read']} read, {tally['refused']} refused, "
          f"{tally['failed']} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
