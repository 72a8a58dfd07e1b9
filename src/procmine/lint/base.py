"""What a lint rule is, and the view of a model that rules check.

A rule is a small, named check with a stable code (``L001``), a bpmnlint-style kebab name
(``no-implicit-split``), the lowest preset that contains it, a default severity, one line saying what it
checks, and a link to its documentation page. Rules yield ``Issue`` objects naming a BPMN element; the runner
turns them into ``Finding`` objects with the file, the element's source line and the configured severity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from procmine.findings import Severity
from procmine.model.bpmn import (
    ACTIVITY_TYPES,
    EVENT_TYPES,
    SUBPROCESS_TYPES,
    BpmnModel,
    Node,
    Process,
    SequenceFlow,
)

if TYPE_CHECKING:
    from procmine.petri.soundness import SoundnessResult
    from procmine.petri.translate import Translation

DOCS_BASE = "https://github.com/procmine/procmine/blob/main/docs/rules"
PRESETS = ("correctness", "recommended", "all")
DEFAULT_STATE_LIMIT = 20_000

# Activities (tasks, call activities, sub-processes) and events: the flow nodes that pass one token along
# each of their flows, unlike gateways, which join or split them.
STEP_TYPES = ACTIVITY_TYPES | EVENT_TYPES


@dataclass(frozen=True)
class Issue:
    """One problem a rule found: the element at fault, what is wrong, and optional evidence."""

    element_id: str
    message: str
    line: int | None = None  # found from the element when not given
    metrics: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    preset: str  # the smallest preset that contains the rule: correctness, recommended or all
    severity: Severity  # its severity when a preset switches it on
    description: str  # one line, shown by ``procmine rules``
    check: Callable[[LintContext], Iterable[Issue]]
    advice: str | None = None  # what to do about a finding, shown with it

    @property
    def docs_url(self) -> str:
        return f"{DOCS_BASE}/{self.name}.md"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "preset": self.preset,
            "default_severity": self.severity.value,
            "description": self.description,
            "docs": self.docs_url,
        }


class LintContext:
    """One parsed model file, with the lookups rules share and the (lazy) Petri-net analyses.

    The translation and the soundness exploration are computed at most once per process, and only when a
    rule that needs them is switched on, so the structural rules stay cheap.
    """

    def __init__(self, model: BpmnModel, *, state_limit: int = DEFAULT_STATE_LIMIT):
        self.model = model
        self.state_limit = state_limit
        self._translations: dict[str, Translation | Exception] = {}
        self._soundness: dict[str, SoundnessResult | None] = {}

    # ---- structure ---------------------------------------------------------------------------------

    def node(self, node_id: str) -> Node | None:
        return self.model.nodes.get(node_id)

    def flow(self, flow_id: str) -> SequenceFlow | None:
        return self.model.flows.get(flow_id)

    def incoming(self, node: Node) -> list[SequenceFlow]:
        return [f for f in (self.model.flows.get(i) for i in node.incoming) if f is not None]

    def outgoing(self, node: Node) -> list[SequenceFlow]:
        return [f for f in (self.model.flows.get(i) for i in node.outgoing) if f is not None]

    def nodes(self) -> Iterator[Node]:
        return iter(self.model.nodes.values())

    def flows(self) -> Iterator[SequenceFlow]:
        return iter(self.model.flows.values())

    @cached_property
    def children(self) -> dict[tuple[str, str | None], list[Node]]:
        """(process id, enclosing sub-process id or None) -> the nodes directly in that scope."""
        out: dict[tuple[str, str | None], list[Node]] = {}
        for node in self.model.nodes.values():
            out.setdefault((node.process_id, node.parent_id), []).append(node)
        return out

    def scopes(self) -> Iterator[tuple[Process, Node | None, list[Node]]]:
        """Each process and each sub-process with content: (process, the sub-process or None, its nodes)."""
        for process in self.model.processes:
            yield process, None, self.children.get((process.id, None), [])
            for node in self.model.nodes_of(process):
                if node.type in SUBPROCESS_TYPES:
                    content = self.children.get((process.id, node.id), [])
                    if content:
                        yield process, node, content

    def parent(self, node: Node) -> Node | None:
        return self.model.nodes.get(node.parent_id) if node.parent_id else None

    def in_ad_hoc(self, node: Node) -> bool:
        parent = self.parent(node)
        return parent is not None and parent.type == "adHocSubProcess"

    def runs_without_flows(self, node: Node) -> bool:
        """Started by other means than sequence flows, so none in or out is expected: event sub-processes,
        compensation handlers and their boundary events (linked by an association), ad-hoc content."""
        return (
            node.triggered_by_event
            or node.is_for_compensation
            or self.in_ad_hoc(node)
            or (node.type == "boundaryEvent" and "compensateEventDefinition" in node.event_definitions)
        )

    def line_of(self, element_id: str) -> int | None:
        for table in (self.model.nodes, self.model.flows):
            element = table.get(element_id)
            if element is not None:
                return element.line
        for process in self.model.processes:
            if element_id == process.id:
                return process.line
            for lane in process.lanes:
                if lane.id == element_id:
                    return lane.line
        return self.model.id_lines.get(element_id)  # pools, data objects...: where the id is first used

    # ---- Petri-net analyses ------------------------------------------------------------------------

    def soundness_results(self) -> dict[str, SoundnessResult]:
        """The soundness verdicts computed so far (by the rules that needed them), by process id."""
        return {pid: r for pid, r in self._soundness.items() if r is not None}

    def translation(self, process: Process) -> Translation | Exception:
        """The process's Petri-net translation, or the exception that stopped it (reported, never raised)."""
        if process.id not in self._translations:
            from procmine.errors import InputError
            from procmine.petri.translate import translate

            try:
                self._translations[process.id] = translate(self.model, process.id)
            except InputError as exc:
                self._translations[process.id] = exc
        return self._translations[process.id]

    def soundness(self, process: Process) -> SoundnessResult | None:
        """The soundness verdict of a process, None when it could not be translated."""
        if process.id not in self._soundness:
            from procmine.petri.soundness import check_soundness

            translation = self.translation(process)
            self._soundness[process.id] = (
                None if isinstance(translation, Exception) else check_soundness(translation, self.state_limit)
            )
        return self._soundness[process.id]


def is_blank(node: Node) -> bool:
    return not node.event_definitions


def has_condition(flow: SequenceFlow) -> bool:
    return flow.condition is not None


def kind(node: Node) -> str:
    """A readable element type for messages: ``exclusiveGateway`` -> ``exclusive gateway``."""
    return type_words(node.type)


_HYPHENATED = (("ad hoc", "ad-hoc"), ("sub process", "sub-process"), ("event based", "event-based"))


def type_words(element_type: str) -> str:
    """``exclusiveGateway`` -> ``exclusive gateway``, ``adHocSubProcess`` -> ``ad-hoc sub-process``."""
    words = "".join(f" {ch.lower()}" if ch.isupper() else ch for ch in element_type)
    for loose, hyphenated in _HYPHENATED:
        words = words.replace(loose, hyphenated)
    return words


def describe(node: Node) -> str:
    """``task "Check credit"`` or ``exclusive gateway Gateway_1`` when unnamed."""
    return f'{kind(node)} "{node.label}"' if node.label else f"{kind(node)} {node.id}"


def only_definition(node: Node, definition: str) -> bool:
    """The node has event definitions, all of them ``definition`` (e.g. ``linkEventDefinition``)."""
    return bool(node.event_definitions) and all(d == definition for d in node.event_definitions)


def scope_issue(
    process: Process, sub: Node | None, text: str, metrics: dict[str, Any] | None = None
) -> Issue:
    """An issue about a whole process (reported at the process) or sub-process (at the sub-process)."""
    if sub is None:
        return Issue(process.id, f'process "{process.display_name}" {text}', process.line, metrics or {})
    return Issue(sub.id, f'sub-process "{sub.label or sub.id}" {text}', sub.line, metrics or {})
