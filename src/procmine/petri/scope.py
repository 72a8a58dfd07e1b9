"""A scope of the translation: a process or an expanded sub-process being translated."""

from __future__ import annotations

from dataclasses import dataclass, field

from procmine.model.bpmn import Node
from procmine.petri.net import Place


@dataclass
class Scope:
    """A process or an expanded sub-process: its direct children and every place created inside it."""

    owner: Node | None  # None for the process itself
    end: Place | None  # where its end events put their token; None: tokens vanish (process level)
    places: list[Place] = field(default_factory=list)
    concurrent: bool = False  # holds a construct that can run branches at the same time
    alternatives: list[list[Place]] = field(default_factory=list)  # ways to start: places to mark
