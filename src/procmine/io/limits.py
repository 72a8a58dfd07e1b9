"""Limits on what an input file can make procmine do, and ``--limit NAME=VALUE`` to raise them.

A hostile or broken file must not make procmine run out of memory, crash or hang: every limit below is
checked before the work it bounds, and refusing names the limit and the option that raises it
(docs/limits.md lists them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace

from procmine.errors import InputError

KIB, MIB, GIB = 1 << 10, 1 << 20, 1 << 30


@dataclass(frozen=True)
class Limits:
    log_size: int = 4 * GIB  # bytes of an event log as parsed (after decompression)
    compression_ratio: int = 200  # expanded / compressed bytes of a .gz log (real logs: 9-50)
    file_size: int = 64 * MIB  # any other input: BPMN model, --map, --previous, --config
    xml_depth: int = 100  # element nesting in XES and BPMN (real files: under 10)
    csv_columns: int = 10_000  # columns of a CSV log (DuckDB holds rows of up to about 16,000 text columns)
    header_bytes: int = 16 * MIB  # bytes of a CSV header line
    alignment_states: int = 200_000  # search states of one variant's alignment (about 100-200 MB at most)


# The ratio is only judged once this much has been expanded: small files compress as they like.
RATIO_FLOOR = 64 * MIB
_SIZE_LIMITS = frozenset({"log_size", "file_size", "header_bytes"})
_UNITS = {
    "": 1,
    "b": 1,
    "k": KIB,
    "kb": KIB,
    "kib": KIB,
    "m": MIB,
    "mb": MIB,
    "mib": MIB,
    "g": GIB,
    "gb": GIB,
    "gib": GIB,
    "t": GIB << 10,
    "tb": GIB << 10,
    "tib": GIB << 10,
}

_current = Limits()


def current() -> Limits:
    return _current


def reset() -> None:
    global _current
    _current = Limits()


def names() -> list[str]:
    return [f.name.replace("_", "-") for f in fields(Limits)]


def refuse(source: object, found: str, name: str) -> InputError:
    """The error for an input over the limit ``name``: ``found`` says what was found and ends with a
    comparison ("expands past", "nested deeper than"); then the limit and how to raise it."""
    value = getattr(_current, name)
    shown = human_size(value) if name in _SIZE_LIMITS else f"{value:,}"
    label = name.replace("_", "-")
    unit = "SIZE" if name in _SIZE_LIMITS else "N"
    raise_it = f"raise it with --limit {label}={unit}"
    return InputError(str(source), f"{found} the {label} limit of {shown} ({raise_it})")


def configure(settings: tuple[str, ...] | list[str]) -> Limits:
    """Apply ``NAME=VALUE`` settings (``log-size=8GB``, ``xml-depth=200``) on top of the defaults."""
    global _current
    changes: dict[str, int] = {}
    for setting in settings:
        name, sep, value = setting.partition("=")
        key = name.strip().lower().replace("-", "_")
        if not sep or key not in {f.name for f in fields(Limits)}:
            raise InputError(
                "--limit", f"expected NAME=VALUE with NAME one of {', '.join(names())}, not {setting!r}"
            )
        changes[key] = _parse_value(value, key in _SIZE_LIMITS, setting)
    _current = replace(Limits(), **changes)
    return _current


def _parse_value(text: str, size: bool, setting: str) -> int:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", text)
    unit = match.group(2).lower() if match else ""
    if not match or (unit and (not size or unit not in _UNITS)):
        kind = "a size such as 8GB or 500MB" if size else "a whole number"
        raise InputError("--limit", f"{setting!r}: the value must be {kind}")
    value = int(float(match.group(1)) * _UNITS[unit])
    if value < 1:
        raise InputError("--limit", f"{setting!r}: the value must be at least 1")
    return value


def human_size(count: int) -> str:
    for unit, size in (("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if count >= size:
            return f"{count / size:,.1f} {unit}".replace(".0 ", " ")
    return f"{count:,} bytes"
