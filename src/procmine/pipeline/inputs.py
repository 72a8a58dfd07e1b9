"""Reading a command's inputs, with the progress lines and the checks every command shares."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from procmine import progress
from procmine.errors import InputError
from procmine.sections.log import LogSection

if TYPE_CHECKING:
    from procmine.model.bpmn import BpmnModel
    from procmine.model.log import EventLog


def read_event_log(log_path: str | Path, log_options: dict[str, Any]) -> EventLog:
    """The event log; a log without one usable event is unreadable input."""
    from procmine.io.logs import read_log

    with progress.step(f"reading {log_path}"):
        log = read_log(log_path, **log_options)
    if log.empty:
        raise InputError(log_path, "the log holds no usable events")
    return log


def log_section(log: EventLog) -> LogSection:
    """The report's ``log`` block."""
    return LogSection.from_dict(log.summary())


def read_model(model_path: str | Path) -> BpmnModel:
    from procmine.io.bpmn import read_bpmn

    with progress.step(f"reading {model_path}"):
        return read_bpmn(model_path)


def read_inputs(
    model_path: str | Path, log_path: str | Path, log_options: dict[str, Any]
) -> tuple[BpmnModel, EventLog]:
    """The documented model and the event log."""
    return read_model(model_path), read_event_log(log_path, log_options)
