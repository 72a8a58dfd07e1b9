"""``read_log``: the one way procmine reads an event log (CSV, gzipped CSV, XES, gzipped XES, Parquet).

Every format is first read into a raw frame of its own columns, the columns are mapped to the
canonical ones (``columns``), and ``canonical.build_event_log`` turns the frame into an EventLog,
counting every row it does not use. Anything unreadable raises InputError (exit 2, one line).
"""

from __future__ import annotations

from pathlib import Path

from procmine.errors import InputError
from procmine.io.columns import detect_columns
from procmine.model.log import EventLog

FORMATS = {
    ".csv": "csv", ".csv.gz": "csv", ".tsv": "csv", ".tsv.gz": "csv", ".txt": "csv",
    ".xes": "xes", ".xes.gz": "xes",
    ".parquet": "parquet", ".pq": "parquet",
}


def log_format(path: Path) -> str:
    name = path.name.lower()
    for suffix in sorted(FORMATS, key=len, reverse=True):
        if name.endswith(suffix):
            return FORMATS[suffix]
    raise InputError(path, "unknown event log format (expected .csv, .csv.gz, .xes, .xes.gz or .parquet)")


def read_log(
    path: str | Path,
    *,
    case: str | None = None,
    activity: str | None = None,
    timestamp: str | None = None,
    start: str | None = None,
    resource: str | None = None,
    lifecycle: str | None = None,
    timezone: str = "UTC",
    timestamp_format: str | None = None,
) -> EventLog:
    """Read ``path`` into the canonical EventLog (see ``procmine.model.log``).

    Column options name source columns and override the detection; ``timezone`` is the zone of
    timestamps without an offset; ``timestamp_format`` (strftime) replaces format detection.
    """
    from procmine.io.canonical import build_event_log
    from procmine.io.input_files import check_log_file
    from procmine.io.timestamps import check_timezone

    path = Path(path)
    fmt = log_format(path)
    facts = check_log_file(path, fmt)  # before any reader: file type, size and expansion limits, XML depth
    check_timezone(timezone or "UTC")
    overrides = {"case": case, "activity": activity, "timestamp": timestamp, "start": start,
                 "resource": resource, "lifecycle": lifecycle}
    notes: list[str] = []
    if fmt == "csv":
        from procmine.io.csv_log import read_csv

        mapping_of: dict[str, object] = {}

        def text_columns(names: list[str]) -> set[str]:
            mapping = detect_columns(names, str(path), overrides)
            mapping_of["mapping"] = mapping
            return {c for c in mapping.to_dict().values() if c}

        raw, sniffed = read_csv(path, text_columns)
        _check_not_empty(raw, path)
        mapping = mapping_of["mapping"]
        if sniffed["delimiter"] != "," or sniffed["encoding"] not in ("utf-8", "utf-8-sig"):
            delimiter = {"\t": "tab"}.get(sniffed["delimiter"], sniffed["delimiter"])
            notes.append(f"read with delimiter {delimiter!r} and encoding {sniffed['encoding']}")
    elif fmt == "xes":
        from procmine.io.xes_log import read_xes

        raw, parser = read_xes(path, timezone or "UTC", facts)
        notes.append(f"parsed with {parser}")
        _check_not_empty(raw, path)
        trace_columns = set(raw.attrs.get("trace_columns", ())) - {"case:concept:name"}
        mapping = detect_columns(list(raw.columns), str(path), overrides, skip=trace_columns)
    else:
        from procmine.io.parquet_log import read_parquet

        raw = read_parquet(path)
        _check_not_empty(raw, path)
        mapping = detect_columns(list(raw.columns), str(path), overrides)
    return build_event_log(
        raw,
        mapping,  # type: ignore[arg-type]
        source=path,
        fmt=fmt,
        timezone=timezone or "UTC",
        timestamp_format=timestamp_format,
        notes=notes,
        start_given=bool(start),
    )


def _check_not_empty(raw: object, path: Path) -> None:
    if len(raw) == 0:  # type: ignore[arg-type]
        raise InputError(path, "the log holds no events")
