"""Which rules run, how severe each is, and what is ignored: preset < configuration < command line.

Configuration lives in ``[tool.procmine.lint]`` of pyproject.toml or ``[lint]`` of procmine.toml::

    [tool.procmine.lint]
    preset = "recommended"          # correctness | recommended | all
    max-warnings = 10               # exit 1 when there are more warnings (default: no limit)
    state-limit = 20000             # markings explored per process by the soundness rules

    [tool.procmine.lint.rules]      # rule name or code -> off | info | warn | error
    label-required = "warn"
    L016 = "error"

    [[tool.procmine.lint.ignore]]   # inline suppression by element id
    rule = "fake-join"              # a rule name or code, or "*" for every rule
    elements = ["Task_0x1"]         # element ids (all elements when omitted)
    files = ["legacy/*.bpmn"]       # path globs (all files when omitted)
    reason = "merge is intended"    # for the people who read the config
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from procmine.config import Config
from procmine.errors import InputError
from procmine.findings import Severity
from procmine.lint.base import DEFAULT_STATE_LIMIT
from procmine.lint.presets import DEFAULT_PRESET, PRESETS
from procmine.lint.rules import rule_index

KNOWN_KEYS = frozenset({"preset", "rules", "ignore", "max-warnings", "state-limit"})
IGNORE_KEYS = frozenset({"rule", "elements", "files", "reason"})
_LEVELS = {
    "off": None,
    "0": None,
    "info": Severity.INFO,
    "warn": Severity.WARNING,
    "warning": Severity.WARNING,
    "1": Severity.WARNING,
    "error": Severity.ERROR,
    "2": Severity.ERROR,
}


@dataclass(frozen=True)
class Ignore:
    rule: str  # a rule name, or "*"
    elements: tuple[str, ...] = ()
    files: tuple[str, ...] = ()

    def matches(self, rule: str, file: str, element_id: str | None) -> bool:
        if self.rule not in ("*", rule):
            return False
        if self.elements and element_id not in self.elements:
            return False
        return not self.files or any(_file_matches(file, pattern) for pattern in self.files)


@dataclass(frozen=True)
class LintSettings:
    preset: str = DEFAULT_PRESET
    severities: dict[str, Severity] = field(default_factory=dict)  # active rule name -> severity
    ignores: tuple[Ignore, ...] = ()
    max_warnings: int | None = None
    state_limit: int = DEFAULT_STATE_LIMIT
    config_path: str | None = None

    def ignored(self, rule: str, file: str, element_id: str | None) -> bool:
        return any(i.matches(rule, file, element_id) for i in self.ignores)


def parse_level(value: Any, source: str | None, where: str) -> Severity | None:
    level = str(value).strip().lower()
    if level not in _LEVELS:
        raise InputError(source, f"{where}: unknown severity {value!r} (use off, info, warn or error)")
    return _LEVELS[level]


def build_settings(
    config: Config | None = None,
    *,
    preset: str | None = None,
    max_warnings: int | None = None,
    state_limit: int | None = None,
    rules: dict[str, str] | None = None,
) -> LintSettings:
    """Settings from a preset, then the configuration file, then command-line values (which win)."""
    config = config or Config()
    source = str(config.path) if config.path else None
    table = config.section("lint", KNOWN_KEYS)
    chosen = preset or table.get("preset") or DEFAULT_PRESET
    if chosen not in PRESETS:
        raise InputError(
            source if not preset else "--preset", f"unknown preset {chosen!r} ({', '.join(PRESETS)})"
        )
    index = rule_index()
    severities: dict[str, Severity] = {name: Severity(level) for name, level in PRESETS[chosen].items()}
    overrides = table.get("rules", {})
    if not isinstance(overrides, dict):
        raise InputError(source, "[lint.rules] must be a table of rule = severity")
    for key, value in [*overrides.items(), *(rules or {}).items()]:
        if key not in index:
            raise InputError(source, f"[lint.rules]: unknown rule {key!r} (see `procmine rules`)")
        level = parse_level(value, source, f"[lint.rules] {key}")
        name = index[key].name
        if level is None:
            severities.pop(name, None)
        else:
            severities[name] = level
    return LintSettings(
        preset=chosen,
        severities=severities,
        ignores=_ignores(table.get("ignore", []), source, index),
        max_warnings=max_warnings if max_warnings is not None else _int(table, "max-warnings", source),
        state_limit=state_limit or _int(table, "state-limit", source) or DEFAULT_STATE_LIMIT,
        config_path=source,
    )


def _ignores(entries: Any, source: str | None, index: dict) -> tuple[Ignore, ...]:
    if not isinstance(entries, list):
        raise InputError(source, "[[lint.ignore]] must be an array of tables")
    out = []
    for number, entry in enumerate(entries, 1):
        where = f"[[lint.ignore]] #{number}"
        if not isinstance(entry, dict):
            raise InputError(source, f"{where} must be a table")
        unknown = sorted(set(entry) - IGNORE_KEYS)
        if unknown:
            raise InputError(
                source, f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(IGNORE_KEYS))})"
            )
        rule = str(entry.get("rule", "*"))
        if rule != "*" and rule not in index:
            raise InputError(source, f"{where}: unknown rule {rule!r}")
        out.append(
            Ignore(
                rule="*" if rule == "*" else index[rule].name,
                elements=tuple(_strings(entry.get("elements", []), source, f"{where} elements")),
                files=tuple(_strings(entry.get("files", []), source, f"{where} files")),
            )
        )
    return tuple(out)


def _strings(value: Any, source: str | None, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(source, f"{where} must be a list of strings")
    return value


def _int(table: dict[str, Any], key: str, source: str | None) -> int | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InputError(source, f"[lint] {key} must be a whole number >= 0")
    return value


def _file_matches(file: str, pattern: str) -> bool:
    posix = file.replace("\\", "/")
    return fnmatch.fnmatch(posix, pattern) or PurePosixPath(posix).match(pattern)
