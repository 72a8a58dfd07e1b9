"""Turn a column of timestamp text into tz-aware UTC instants, fast and without guessing per value.

The format is decided once, on a sample of the column's values (or given by ``--timestamp-format``);
the whole column is then parsed by one SQL expression in DuckDB (a cast for ISO 8601, ``strptime``
otherwise), and the few distinct values DuckDB cannot read get a second try with pandas (``fallback``).
Values with an offset (``10:00+05:00``) are *converted* to UTC (05:00 UTC), never relabelled; values
without one are taken in the ``timezone`` the user named (default UTC) and converted too. A value that
does not fit the format becomes NULL, which the reader counts as ``unparseable_timestamp``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from procmine.errors import InputError
from procmine.io.sql_text import identifier as _ident
from procmine.io.sql_text import literal, string

if TYPE_CHECKING:  # (imported where used: reading an XES log needs neither)
    import pandas as pd
    import pyarrow as pa

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


def check_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(
            "--timezone", f"unknown time zone {name!r} (use an IANA name such as Europe/Berlin)"
        ) from exc


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
    import pandas as pd

    try:
        return pd.to_datetime(sample, format=fmt, errors="coerce", utc=True)
    except (ValueError, TypeError):
        return pd.Series(pd.NaT, index=sample.index)


def _sample(text: pd.Series) -> pd.Series:
    import numpy as np

    present = text.dropna()
    if len(present) <= SAMPLE_SIZE:
        return present.reset_index(drop=True)
    positions = np.linspace(0, len(present) - 1, SAMPLE_SIZE).astype(np.int64)
    return present.iloc[positions].reset_index(drop=True)


def _parse_iso(text: pd.Series, timezone: str) -> pd.Series:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

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
        out[has_offset] = _as_utc_us(pd.to_datetime(text[has_offset], format=ISO, errors="coerce", utc=True))
    naive_mask = ~has_offset & text.notna()
    if naive_mask.any():
        naive = pd.to_datetime(text[naive_mask], format=ISO, errors="coerce")
        out[naive_mask] = _localize(naive, timezone)
    return out


def _parse_format(text: pd.Series, fmt: str, timezone: str) -> pd.Series:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

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
    import pandas as pd

    return pd.Series(array.to_pandas(), index=index)


def _as_utc_us(values: pd.Series) -> pd.Series:
    import pandas as pd

    if not isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize("UTC")
    return values.dt.tz_convert("UTC").astype("datetime64[us, UTC]")


def _localize(values: pd.Series, timezone: str) -> pd.Series:
    """Naive wall-clock times in ``timezone`` -> UTC. In the repeated DST hour the first (summer) time
    is taken; a time in the skipped hour moves forward to the first valid instant."""
    import numpy as np

    values = values.astype("datetime64[us]")
    if timezone == "UTC":
        return values.dt.tz_localize("UTC")
    ambiguous = np.ones(len(values), dtype=bool)
    local = values.dt.tz_localize(timezone, ambiguous=ambiguous, nonexistent="shift_forward")
    return local.dt.tz_convert("UTC").astype("datetime64[us, UTC]")


# --- in SQL (DuckDB): the same decisions, made on a sample, then one expression over the whole column ---

FALLBACK_LIMIT = 200_000  # distinct values DuckDB could not read that pandas gets a second try at
_OFFSET_SQL = r"[0-9][T ]?[0-9]{1,2}:[0-9]{2}.*(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)\s*$"


LOCALIZE_MACRO = """
CREATE OR REPLACE TEMP MACRO pm_localize(t, zone) AS
CASE WHEN timezone(zone, timezone(zone, t)) <> t THEN timezone(zone, date_trunc('hour', t))
     WHEN timezone(zone, timezone(zone, t) - INTERVAL 1 HOUR) = t THEN timezone(zone, t) - INTERVAL 1 HOUR
     ELSE timezone(zone, t) END
"""


def localize_sql(naive: str, timezone: str) -> str:
    """SQL turning a naive TIMESTAMP expression (wall-clock time in ``timezone``) into a UTC TIMESTAMPTZ,
    with pandas' choices: in the repeated hour of a DST change the first (summer) instant, a time in the
    skipped hour moved forward to the first valid instant (``LOCALIZE_MACRO`` must be defined)."""
    if timezone == "UTC":
        return f"CAST(({naive}) AS TIMESTAMPTZ)"
    return f"pm_localize(({naive}), '{timezone.replace(chr(39), chr(39) * 2)}')"


def text_sql(column: str) -> str:
    """The column as trimmed text, NULL where it is blank or spells a missing value."""
    missing = ", ".join(map(string, MISSING_TEXT))
    trimmed = f"trim(CAST({column} AS VARCHAR), ' \t\r\n')"
    return f"(CASE WHEN {trimmed} IN ({missing}) THEN NULL ELSE {trimmed} END)"


def parse_sql(text: str, fmt: str, timezone: str) -> str:
    """SQL parsing the text expression ``text`` with ``fmt`` (ISO8601 or strftime) into TIMESTAMPTZ (UTC)."""
    if fmt == ISO:
        if timezone == "UTC":  # DuckDB reads a value without an offset in the session zone, UTC
            return f"try_cast({text} AS TIMESTAMPTZ)"
        return (
            f"(CASE WHEN regexp_matches({text}, '{_OFFSET_SQL}') THEN try_cast({text} AS TIMESTAMPTZ) "
            f"ELSE {localize_sql(f'try_cast({text} AS TIMESTAMP)', timezone)} END)"
        )
    quoted = literal(fmt)
    if "%z" in fmt:
        return f"CAST(try_strptime({text}, '{quoted}') AS TIMESTAMPTZ)"
    return localize_sql(f"CAST(try_strptime({text}, '{quoted}') AS TIMESTAMP)", timezone)


def column_sql(
    con: Any,
    relation: str,
    column: str,
    kind: str,
    *,
    source: str,
    timezone: str = "UTC",
    fmt: str | None = None,
    trim: bool = True,
) -> tuple[str, str, str | None, bool]:
    """How to read timestamp ``column`` (DuckDB type ``kind``) of ``relation`` in SQL.

    Returns the expression (a TIMESTAMPTZ in UTC, NULL where a value is missing or does not fit), the
    format, a note for the report, and whether the column is text (then values DuckDB cannot read get a
    second try in pandas, ``fallback``). ``trim``: the values may have blanks around them."""
    check_timezone(timezone)
    q = _ident(column)
    upper = kind.upper()
    if upper.startswith("TIMESTAMP WITH TIME ZONE") or upper == "TIMESTAMPTZ":
        return f"CAST({q} AS TIMESTAMPTZ)", "datetime", None, False
    if upper.startswith("TIMESTAMP") or upper == "DATE":
        return localize_sql(f"CAST({q} AS TIMESTAMP)", timezone), "datetime", None, False
    numeric = upper in _NUMERIC or upper.startswith("DECIMAL")
    if numeric:
        if con.execute(f"SELECT count({q}) FROM {relation}").fetchall()[0][0]:
            raise InputError(source, f"timestamp column {column!r} holds numbers, not dates")
        return "CAST(NULL AS TIMESTAMPTZ)", "datetime", None, False
    note = None
    if fmt is None:
        sample = sample_sql(con, relation, q)
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
    elif fmt != ISO:
        _check_format(fmt)
    # A missing spelling (NA, NULL...) fails to parse like any other text: both count as unparseable.
    value = f"trim(CAST({q} AS VARCHAR), ' \t\r\n')" if trim else f"CAST({q} AS VARCHAR)"
    return parse_sql(value, fmt, timezone), fmt, note, True


def sample_sql(con: Any, relation: str, column: str, rows: int = 5_000) -> pd.Series:
    """Up to ``SAMPLE_SIZE`` present values spread evenly over the column (all of them in a short log)."""
    import pandas as pd

    total = con.execute(f"SELECT count(*) FROM {relation}").fetchall()[0][0]
    where = "" if total <= rows else f"WHERE __row % {total // rows} = 0"
    sql = f"SELECT CAST({column} AS VARCHAR) FROM {relation} {where} ORDER BY __row"
    values = con.execute(sql).fetchall()
    text = [v.strip() for (v,) in values if v is not None]
    return _sample(pd.Series([v for v in text if v not in MISSING_TEXT], dtype=object))


def fallback(values: list[str], fmt: str, timezone: str) -> pd.DataFrame:
    """pandas' reading of the values DuckDB could not read (mixed precision, unusual ISO spellings)."""
    import pandas as pd

    text = pd.Series(values, dtype=object)
    parsed = _parse_iso(text, timezone) if fmt == ISO else _parse_format(text, fmt, timezone)
    frame = pd.DataFrame({"t": text, "ts": parsed})
    return frame[frame["ts"].notna()]


def _check_format(fmt: str) -> None:
    import pandas as pd

    try:
        pd.to_datetime(pd.Series(["2000-01-01"]), format=fmt, errors="coerce")
    except ValueError as exc:
        raise InputError("--timestamp-format", f"not a usable date format {fmt!r}: {exc}") from exc


_NUMERIC = {
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
    "FLOAT",
    "DOUBLE",
    "REAL",
}
