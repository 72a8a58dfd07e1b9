"""The report's ``model`` block: the documented model a log was checked against (check, audit), the model
discovered from the log (discover), or the model file given for its lanes (bottlenecks)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from procmine.sections.base import Section, doc


@dataclass(kw_only=True)
class ProcessCandidate(Section):
    id: str = doc("The process's id in the model file.")
    name: str | None = doc("Its name (or its pool's).")
    tasks: int = doc("Its tasks.")
    matching_activities: int = doc("Its task names that match a log activity.")


@dataclass(kw_only=True)
class NetCounts(Section):
    places: int = doc("Places.")
    transitions: int = doc("Transitions.")
    silent_transitions: int = doc("Transitions without a label.")


@dataclass(kw_only=True)
class NetSize(Section):
    places: int = doc(
        "Places of the Petri net the process was checked against (its translation, reduced without changing "
        "its language)."
    )
    transitions: int = doc("Its transitions.")
    silent_transitions: int = doc("Transitions without a label (the gateways and events that make choices).")
    completion: str = doc("How a run completes: a sink place, or an empty marking.")
    translated: NetCounts | None = doc(
        "The same counts for the full translation (one place per sequence flow, a silent transition per "
        "gateway and event), before the reductions.",
        default=None,
        omit_none=True,
    )


@dataclass(kw_only=True)
class ModelWarning(Section):
    element_id: str = doc("The model element the translation could only approximate or left out.")
    element_type: str = doc("Its BPMN type.")
    line: int | None = doc("Its line in the model file.")
    message: str = doc("What was approximated, and how.")


@dataclass(kw_only=True)
class OtherProcesses(Section):
    activities: dict[str, str] = doc("Log activities documented in another pool -> that pool.")
    events_set_aside: int = doc("Their events, left out of this process's check.")


@dataclass(kw_only=True)
class DocumentedModel(Section):
    """The documented model of ``check`` and ``audit``."""

    path: str = doc("The model file, as given.")
    origin: str = doc("documented.")
    process_id: str = doc("The process checked.")
    process_name: str | None = doc("Its name.")
    selected_by: str = doc("Why this process: the only one, --process, or the best match with the log.")
    processes: list[ProcessCandidate] = doc("Every process of the file with tasks.")
    tasks: int = doc("Documented tasks (distinct names) of the process checked.")
    net: NetSize = doc("The size of its Petri net.")
    exporter: str | None = doc("The tool that wrote the file, when it says.")
    warnings: list[ModelWarning] = doc("Elements the translation could only approximate or left out.")
    other_processes: OtherProcesses | None = doc(
        "Activities another pool documents, set aside (only when there are some).",
        default=None,
        omit_none=True,
    )
    has_layout: bool | None = doc(
        "Whether the file has a diagram layout (audit only).", default=None, omit_none=True
    )


@dataclass(kw_only=True)
class DiscoveredModel(Section):
    """The model ``discover`` wrote."""

    path: str = doc("The model.bpmn written.")
    origin: str = doc("discovered.")
    tasks: int = doc("Its tasks.")
    gateways: int = doc("Its gateways.")
    events: int = doc("Its events.")
    flows: int = doc("Its sequence flows.")


@dataclass(kw_only=True)
class ModelFile(Section):
    """The model file ``bottlenecks --model`` read for its lanes."""

    path: str = doc("The model file, as given.")
    processes: int = doc("Its processes.")


ModelBlock = DocumentedModel | DiscoveredModel | ModelFile


def model_from_dict(data: dict[str, Any] | None) -> ModelBlock | None:
    """The model block of a report read back, by its shape."""
    if data is None:
        return None
    if data.get("origin") == "documented":
        return DocumentedModel.from_dict(data)
    if data.get("origin") == "discovered":
        return DiscoveredModel.from_dict(data)
    return ModelFile.from_dict(data)
