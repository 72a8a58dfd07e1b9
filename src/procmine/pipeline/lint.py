"""``procmine lint``: expand the paths given, read the configuration, lint every model file.

Paths may be files (any name), directories (searched recursively for ``*.bpmn``) or glob patterns
(``models/**/*.bpmn``, expanded here so they work on shells that do not expand them, like Windows cmd).
A path that names nothing is reported like an unreadable file, so a typo in CI is never a silent pass.
"""

from __future__ import annotations

import glob
from pathlib import Path

from procmine.config import load_config
from procmine.errors import InputError
from procmine.findings import Report
from procmine.lint.runner import lint_files
from procmine.lint.settings import LintSettings, build_settings

_GLOB_CHARS = set("*?[")


def expand_paths(paths: list[str]) -> tuple[list[str], list[dict[str, str]]]:
    """The model files named by ``paths`` (sorted, each once), and the paths that named nothing."""
    files: list[str] = []
    missing: list[dict[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(str(p) for p in path.rglob("*.bpmn") if p.is_file())
            if not found:
                missing.append({"file": raw, "cause": "directory contains no .bpmn files"})
            files.extend(found)
        elif path.exists():
            files.append(raw)
        elif _GLOB_CHARS & set(raw):
            found = sorted(p for p in glob.glob(raw, recursive=True) if Path(p).is_file())
            if not found:
                missing.append({"file": raw, "cause": "pattern matches no file"})
            files.extend(found)
        else:
            missing.append({"file": raw, "cause": "no such file or directory"})
    return list(dict.fromkeys(files)), missing


def load_settings(
    config_path: str | None = None,
    *,
    preset: str | None = None,
    max_warnings: int | None = None,
    state_limit: int | None = None,
    rules: dict[str, str] | None = None,
) -> LintSettings:
    """Preset < configuration file (``config_path`` or the nearest one) < these command-line values."""
    config = load_config(explicit=config_path)
    return build_settings(
        config, preset=preset, max_warnings=max_warnings, state_limit=state_limit, rules=rules
    )


def run(paths: list[str], settings: LintSettings) -> Report:
    """Lint every file named by ``paths``; unreadable ones are listed in ``lint.unreadable``."""
    if not paths:
        raise InputError(None, "no model files given (procmine lint FILE|DIR|GLOB ...)")
    files, missing = expand_paths(paths)
    return lint_files(files, settings, unreadable=missing)


def exit_code(report: Report, settings: LintSettings) -> int:
    """2 when a file was unreadable, 1 for any error or more warnings than allowed, else 0."""
    if report.sections["lint"]["unreadable"]:
        return 2
    counts = report.count_by_severity()
    if counts["error"]:
        return 1
    if settings.max_warnings is not None and counts["warning"] > settings.max_warnings:
        return 1
    return 0
