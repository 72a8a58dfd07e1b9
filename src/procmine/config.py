"""Configuration: defaults < ``[tool.procmine]`` in pyproject.toml or ``procmine.toml`` < command-line flags.

The nearest ``procmine.toml`` (top-level tables) or ``pyproject.toml`` (``[tool.procmine]``) found walking up
from the working folder is read. Each command reads its own table (``[tool.procmine.lint]``,
``[tool.procmine.check]``, ...) with ``section``; unknown keys are errors, so a typo never goes unnoticed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from procmine.errors import InputError


@dataclass(frozen=True)
class Config:
    data: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None  # the file it came from, None when there is none

    def section(self, name: str, known: set[str] | frozenset[str]) -> dict[str, Any]:
        """The table for one command; an unknown key is an InputError naming the file and the key."""
        table = self.data.get(name, {})
        if not isinstance(table, dict):
            raise InputError(self.path, f"[{name}] must be a table")
        unknown = sorted(set(table) - set(known))
        if unknown:
            raise InputError(
                self.path, f"unknown key {unknown[0]!r} in [{name}] (known: {', '.join(sorted(known))})"
            )
        return table


def load_config(start: str | Path | None = None, explicit: str | Path | None = None) -> Config:
    """Find and read the configuration; ``explicit`` (``--config FILE``) wins over the search."""
    if explicit is not None:
        return _read(Path(explicit))
    folder = Path(start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / "procmine.toml"
        if own.is_file():
            return _read(own)
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            config = _read(pyproject)
            if config.data:
                return config
    return Config()


def _read(path: Path) -> Config:
    """(``--config`` names a regular file: the option's callback refused FIFOs and devices.)"""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise InputError(path, "configuration file not found") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not valid TOML: {exc}") from exc
    except RecursionError:
        raise InputError(path, "not valid TOML: nested too deeply") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("procmine", {})
    return Config(data=data, path=path)


# Values from the command line or a configuration table, checked the same way by every command: a bad
# one is an InputError naming the option (TOML gives booleans, which Python would take for numbers).


def share(option: str, value: Any, default: float | None = None) -> float | None:
    """A share between 0 and 1 (``default`` when not given)."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise InputError(option, f"must be a share between 0 and 1, not {value!r}")
    return float(value)


def seconds(option: str, value: Any, default: float) -> float:
    """A number of seconds above 0 (``default`` when not given)."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise InputError(option, f"must be a number of seconds above 0, not {value!r}")
    return float(value)


def whole_number(option: str, value: Any, minimum: int) -> int:
    """A whole number at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InputError(option, f"must be a whole number >= {minimum}, not {value!r}")
    return value
