"""Reading a command's inputs, with the progress lines and the checks every command shares."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from procmine import progress
from procmine.errors import InputError
from procmine.sections.log import LogSection

if TYPE_CHECKING:
    from procmine.model.bpmn import BpmnModel
    from procmine.model.log import EventLog


ENGINES = ("duckdb", "spark")
COLUMN_OPTIONS = ("case", "activity", "timestamp", "start", "resource", "lifecycle")


def read_event_log(
    log_path: str | Path,
    log_options: dict[str, Any],
    *,
    engines: tuple[str, ...] = ("duckdb", "spark"),
    count_out_of_order: bool = True,
) -> EventLog:
    """The event log, read by the engine chosen with ``--engine`` (or ``engine`` in ``[tool.procmine]``);
    ``engines``: those the command runs on. A log without one usable event is unreadable input. Without
    ``count_out_of_order`` DuckDB's reader may leave the out-of-order cases to the caller (None)."""
    from procmine.io.logs import read_log

    options = dict(log_options)
    engine, master = _engine(options.pop("engine", None), options.pop("spark_master", None))
    if engine not in engines:
        raise InputError("--engine", f"this command runs on {', '.join(engines)} only so far, not {engine}")
    with progress.step(f"reading {log_path}" + (" with Spark" if engine == "spark" else "")):
        if engine == "spark":
            from procmine.engine.spark_log import read_log_spark

            if options.get("order"):
                raise InputError("--order", "ordering events by a column needs --engine duckdb")
            columns = {k: options.get(k) for k in COLUMN_OPTIONS}
            timezone = options.get("timezone") or "UTC"
            log = read_log_spark(
                log_path,
                master=master,
                timezone=timezone,
                timestamp_format=options.get("timestamp_format"),
                **columns,
            )
        else:
            log = read_log(log_path, count_out_of_order=count_out_of_order, **options)
    if log.empty:
        raise InputError(log_path, "the log holds no usable events")
    return log


def require_timestamps(log: EventLog, command: str) -> None:
    """Refuse an order-only log (exit 2) for a command whose every figure is a time."""
    if not log.has_timestamps:
        raise InputError(
            log.source,
            f"the log has no timestamps: {command} measures waits, durations and periods, which need them "
            "(procmine check and procmine discover work on logs without timestamps)",
        )


def log_section(log: EventLog) -> LogSection:
    """The report's ``log`` block."""
    return LogSection.from_dict(log.summary())


def _engine(engine: str | None, master: str | None) -> tuple[str, str | None]:
    """--engine/--spark-master over ``engine``/``spark_master`` in [tool.procmine] over duckdb."""
    from procmine.config import load_config

    data = load_config().data
    engine = engine or data.get("engine") or "duckdb"
    if engine not in ENGINES:
        raise InputError("--engine", f"must be one of {', '.join(ENGINES)}, not {engine!r}")
    master = master or data.get("spark_master")
    if master is not None and not isinstance(master, str):
        raise InputError("--spark-master", f"must be a Spark master URL, not {master!r}")
    return engine, master


def read_model(model_path: str | Path) -> BpmnModel:
    from procmine.io.bpmn import read_bpmn

    with progress.step(f"reading {model_path}"):
        return read_bpmn(model_path)


def read_inputs(
    model_path: str | Path, log_path: str | Path, log_options: dict[str, Any]
) -> tuple[BpmnModel, EventLog]:
    """The documented model and the event log."""
    return read_model(model_path), read_event_log(log_path, log_options)


@contextmanager
def old_objects_left_alone() -> Iterator[Callable[[], None]]:
    """Python's cyclic garbage collector rests while the inputs are read, and what exists once they are
    read (imported modules, the reader's objects) is frozen until the block ends: the collections the
    analyses cause then walk only the objects made since. Reading makes no cyclic garbage (none is found
    right after it), yet it imports DuckDB and polars (pandas for a CSV log), whose objects every full
    collection walked again (0.16 s of a two-worker check of BPIC 2012, 0.6 s when its alignments run in
    this process). Call the function the block gets once the inputs are read."""
    enabled, frozen_before = gc.isenabled(), gc.get_freeze_count()
    read: list[bool] = []

    def inputs_read() -> None:
        if enabled:
            gc.enable()
        gc.freeze()
        read.append(True)

    gc.disable()
    try:
        yield inputs_read
    finally:
        if enabled:
            gc.enable()
        if read and not frozen_before:  # (objects someone froze before stay frozen)
            gc.unfreeze()


def default_output(log_path: str | Path, command: str) -> Path:
    """``reports/<log name>/<command>``: each command its own folder, so ``discover`` and ``audit`` of the
    same log never overwrite each other's ``report.json``. The log name is the file name without its
    extensions (``.csv``, ``.xes.gz``...)."""
    name = Path(log_path).name
    stem = re.sub(r"(\.(csv|xes|parquet|gz|txt))+$", "", name, flags=re.IGNORECASE)
    if not stem:
        raise InputError(log_path, "cannot name the report folder after this file; give -o FOLDER")
    return Path("reports") / stem / command
