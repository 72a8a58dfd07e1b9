"""``procmine lint``: expand the paths given, read the configuration, lint every model file.

Paths may be files (any name), directories (searched recursively for ``*.bpmn``) or glob patterns
(``models/**/*.bpmn``, expanded here so they work on shells that do not expand them, like Windows cmd).
A path that names nothing is reported like an unreadable file, so a typo in CI is never a silent pass.
"""

from __future__ import annotations

from pathlib import Path

from procmine import progress
from procmine.config import load_config
from procmine.errors import InputError
from procmine.lint.runner import lint_files
from procmine.lint.settings import LintSettings, build_settings
from procmine.pipeline.outcome import Outcome, over_threshold
from procmine.sections.lint import AppliedRule, LintSection

_GLOB_CHARS = set("*?[")


def expand_paths(paths: list[str]) -> tuple[list[str], list[dict[str, str]]]:
    """The model files named by ``paths`` (sorted, each once), and the paths that named nothing.

    Folders and globs never follow a symlinked folder, nor a symlinked file out of the folder searched
    (see ``files_under``); each link skipped is named in a warning."""
    files: list[str] = []
    missing: list[dict[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = _search(path, "**/*.bpmn")
            if not found:
                missing.append({"file": raw, "cause": "directory contains no .bpmn files"})
            files.extend(found)
        elif path.exists():
            files.append(raw)
        elif _GLOB_CHARS & set(raw):
            found = _search(*_split_glob(raw))
            if not found:
                missing.append({"file": raw, "cause": "pattern matches no file"})
            files.extend(found)
        else:
            missing.append({"file": raw, "cause": "no such file or directory"})
    return list(dict.fromkeys(files)), missing


def _search(folder: Path, pattern: str) -> list[str]:
    from procmine.io.input_files import files_under

    found, skipped = files_under(folder, pattern)
    for link in skipped:
        progress.warn(f"{link}: symlink not followed (it leads out of {folder} or nowhere)")
    return [str(p) for p in found]


def _split_glob(raw: str) -> tuple[Path, str]:
    """``models/**/*.bpmn`` -> (``models``, ``**/*.bpmn``): the literal folder and the pattern under it."""
    parts = Path(raw).parts
    literal = next(i for i, part in enumerate(parts) if _GLOB_CHARS & set(part))
    return Path(*parts[:literal]) if literal else Path("."), str(Path(*parts[literal:]))


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


def run(paths: list[str], settings: LintSettings) -> Outcome:
    """Lint every file named by ``paths``; unreadable ones are listed in ``lint.unreadable`` and make the
    outcome's exit code 2, errors (or more warnings than ``max_warnings``) make it 1."""
    if not paths:
        raise InputError(None, "no model files given (procmine lint FILE|DIR|GLOB ...)")
    files, missing = expand_paths(paths)
    report = lint_files(files, settings, unreadable=missing)
    section = report.section(LintSection)
    unreadable = [f"{u.file}: {u.cause}" for u in section.unreadable] if section else []
    failing = over_threshold(report.findings, max_warnings=settings.max_warnings)
    return Outcome(report, failing=failing, unreadable=unreadable)


def rule_rows(preset: str | None) -> list[AppliedRule]:
    """``procmine rules``: each rule (of ``preset``, or all) with the severity a run gets: under
    ``preset``, or else the default preset (for rules only in ``all``: theirs there)."""
    from procmine.lint.presets import DEFAULT_PRESET, PRESETS
    from procmine.lint.rules import all_rules

    rows = []
    for rule in all_rules():
        if preset is not None and rule.name not in PRESETS[preset]:
            continue
        row = rule.to_dict()
        effective = [p for p in (preset or DEFAULT_PRESET, "all") if rule.name in PRESETS[p]]
        row["severity"] = PRESETS[effective[0]][rule.name] if effective else rule.severity.value
        rows.append(AppliedRule.from_dict(row))
    return rows
