"""Turn a column of timestamp text into tz-aware UTC instants, fast and without guessing per value.

The format is decided once, on a sample of the column's values (or given by ``--timestamp-format``);
the whole column is then parsed in one vectorised call (Arrow's cast or strptime where it can, pandas
otherwise). Values with an offset (``10:00+05:00``) are *converted* to UTC (05:00 UTC), never relabelled;
values without one are taken in the ``timezone`` the user named (default UTC) and converted too.
A value that does not fit the format becomes NaT, which the reader counts as ``unparseable_timestamp``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from procmine.errors import InputError

ISO = "ISO8601"
MISSING_TEXT = ("", "NA", "N/A", "NaN", "nan", "NULL", "null", "None", "NaT", "#N/A")
SAMPLE_SIZE = 500

# Tried in this order after ISO 8601; when two fit the sample equally well the first wins (day-first
# before month-first, as most logs outside the US write dates) and the choice is noted in the report.
CANDIDATE_FORMATS = (
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y.%m.%d %H:%M:%S",
    "%Y%m%d%H%M%S",
    "%Y%m%d",
    "%d.%m.%Y %H:%M:%S.%f",
    "%d/%m/%Y %H:%M:%S.%f",
    "%m/%d/%Y %H:%M:%S.%f",
)
_OFFSET_AT_END = re.compile(r"(?:Z|[+-]\d\d(?::?\d\d)?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedTimestamps:
    values: pd.Series  # datetime64[us, UTC], NaT where a value was missing or did not parse
    format: str  # the format used: ISO8601, a strftime format, or "datetime" (already typed)
    note: str | None = None  # something the report should say about the choice


def check_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(
            "--timezone", f"unknown time zone {name!r} (use an IANA name such as Europe/Berlin)"
        ) from exc


def parse_timestamps(
    values: pd.Series, *, column: str, source: str, timezone: str = "UTC", fmt: str | None = None
) -> ParsedTimestamps:
    """Parse one column; ``column``/``source`` name it in errors."""
    check_timezone(timezone)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return ParsedTimestamps(_as_utc_us(values), "datetime")
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return ParsedTimestamps(_localize(values, timezone), "datetime")
    numeric = pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype)
    if numeric and values.notna().any():
        raise InputError(source, f"timestamp column {column!r} holds numbers, not dates")
    text = values.astype("str").str.strip()
    text = text.where(values.notna() & ~text.isin(MISSING_TEXT), None)
    sample = _sample(text)
    if fmt is None:
        if sample.empty:
            raise InputError(source, f"timestamp column {column!r} is empty")
        fmt, note = detect_format(sample)
        if fmt is None:
            examples = ", ".join(repr(v) for v in sample.head(3))
            raise InputError(
                source,
                f"no date format fits the values of column {column!r} (e.g. {examples}); "
                "give one with --timestamp-format",
            )
    else:
        note = None
    parsed = _parse_iso(text, timezone) if fmt == ISO else _parse_format(text, fmt, timezone)
    return ParsedTimestamps(parsed, fmt, note)


def detect_format(sample: pd.Series) -> tuple[str | None, str | None]:
    """The format that parses most of the sample (ISO 8601 first), and a note when the choice was a tie."""
    best: tuple[int, str | None] = (0, None)
    ties: list[str] = []
    for fmt in (ISO, *CANDIDATE_FORMATS):
        ok = int(_try(sample, fmt).notna().sum())
        if ok > best[0]:
            best, ties = (ok, fmt), []
        elif ok and ok == best[0]:
            ties.append(fmt)
        if ok == len(sample) and fmt == ISO:
            break
    if best[1] is None or best[0] * 2 < len(sample):  # a format that reads under half the values is wrong
        return None, None
    note = None
    if ties:
        note = f"dates fit both {best[1]!r} and {ties[0]!r}; read as {best[1]!r} (set --timestamp-format)"
    return best[1], note


def _try(sample: pd.Series, fmt: str) -> pd.Series:
    try:
        return pd.to_datetime(sample, format=fmt, errors="coerce", utc=True)
    except (ValueError, TypeError):
        return pd.Series(pd.NaT, index=sample.index)


def _sample(text: pd.Series) -> pd.Series:
    present = text.dropna()
    if len(present) <= SAMPLE_SIZE:
        return present.reset_index(drop=True)
    positions = np.linspace(0, len(present) - 1, SAMPLE_SIZE).astype(np.int64)
    return present.iloc[positions].reset_index(drop=True)


def _parse_iso(text: pd.Series, timezone: str) -> pd.Series:
    arrow = pa.array(text, type=pa.string(), from_pandas=True)
    try:  # fast path: every value carries an offset
        return _from_arrow(pc.cast(arrow, pa.timestamp("us", tz="UTC")), text.index)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    try:  # fast path: no value carries an offset
        naive = _from_arrow(pc.cast(arrow, pa.timestamp("us")), text.index)
        return _localize(naive, timezone)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    # Mixed, fractional or partly broken values: pandas, offsets and naive values apart.
    has_offset = text.str.contains(_OFFSET_AT_END, na=False)
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us, UTC]")
    if has_offset.any():
        out[has_offset] = _as_utc_us(
            pd.to_datetime(text[has_offset], format=ISO, errors="coerce", utc=True)
        )
    naive_mask = ~has_offset & text.notna()
    if naive_mask.any():
        naive = pd.to_datetime(text[naive_mask], format=ISO, errors="coerce")
        out[naive_mask] = _localize(naive, timezone)
    return out


def _parse_format(text: pd.Series, fmt: str, timezone: str) -> pd.Series:
    with_offset = "%z" in fmt
    if "%f" not in fmt:  # Arrow's strptime is ~20x faster than pandas' for non-ISO formats
        arrow = pa.array(text, type=pa.string(), from_pandas=True)
        try:
            parsed = _from_arrow(pc.strptime(arrow, format=fmt, unit="us", error_is_null=True), text.index)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            parsed = None
        if parsed is not None and parsed.notna().sum() >= _try(_sample(text), fmt).notna().sum() * 0.99:
            return _as_utc_us(parsed) if with_offset else _localize(parsed, timezone)
    try:
        parsed = pd.to_datetime(text, format=fmt, errors="coerce", utc=with_offset)
    except ValueError as exc:
        raise InputError("--timestamp-format", f"not a usable date format {fmt!r}: {exc}") from exc
    return _as_utc_us(parsed) if with_offset else _localize(parsed, timezone)


def _from_arrow(array: pa.Array, index: pd.Index) -> pd.Series:
    return pd.Series(array.to_pandas(), index=index)


def _as_utc_us(values: pd.Series) -> pd.Series:
    if not isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize("UTC")
    return values.dt.tz_convert("UTC").astype("datetime64[us, UTC]")


def _localize(values: pd.Series, timezone: str) -> pd.Series:
    """Naive wall-clock times in ``timezone`` -> UTC. In the repeated DST hour the first (summer) time
    is taken; a time in the skipped hour moves forward to the first valid instant."""
    values = values.astype("datetime64[us]")
    if timezone == "UTC":
        return values.dt.tz_localize("UTC")
    ambiguous = np.ones(len(values), dtype=bool)
    local = values.dt.tz_localize(timezone, ambiguous=ambiguous, nonexistent="shift_forward")
    return local.dt.tz_convert("UTC").astype("datetime64[us, UTC]")
