"""What the audit paints on the documented model's diagram: the log's figures joined to the model's
element ids by an analysis (``analyses.overlay``), so the drawing code only draws.

Not part of the report JSON: the same figures are in the conformance, performance and findings parts."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TaskPaint:
    """What the log says about one documented task (keyed by element id in ``Reality.tasks``)."""

    skip_share: float | None = None  # share of cases that skipped it (0..1); None: no data
    executed_cases: int | None = None
    outdated: str | None = None  # e.g. "not executed since 2026-06-30"; None when current


@dataclass(frozen=True)
class UndocumentedActivity:
    """A log activity no task documents, drawn next to the task (element id) it usually follows."""

    activity: str
    after_id: str | None = None  # element id of the documented task it usually follows
    share: float | None = None  # share of cases in which it happens


@dataclass(frozen=True)
class Handover:
    """A directly-follows pair of documented tasks (element ids) and its waiting time in seconds."""

    source_id: str
    target_id: str
    median_wait: float
    count: int = 0
    bottleneck: bool = False


@dataclass
class Reality:
    """Everything painted on the diagram."""

    tasks: dict[str, TaskPaint] = field(default_factory=dict)
    undocumented: list[UndocumentedActivity] = field(default_factory=list)
    handovers: list[Handover] = field(default_factory=list)
