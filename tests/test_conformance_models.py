"""Tiny BPMN models written on the fly for the conformance tests, and a helper that checks a log against one.

Models are written as real BPMN files and go through procmine's own reader and Petri-net translation, so
the tests exercise the path users take.
"""

from __future__ import annotations

from pathlib import Path

from procmine.analyses.conformance import ConformanceOptions, ConformanceResult, ModelSide, check_conformance
from procmine.analyses.matching import match_names
from procmine.analyses.model_net import netspec_from_translation, task_places

NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def write_bpmn(path: Path, nodes: list[tuple[str, str, str | None]], flows: list[tuple[str, str]]) -> Path:
    """nodes: (id, BPMN type, name); flows: (source id, target id). One process, no layout."""
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    flow_xml = []
    for n, (source, target) in enumerate(flows, 1):
        fid = f"Flow_{n}"
        outgoing.setdefault(source, []).append(fid)
        incoming.setdefault(target, []).append(fid)
        flow_xml.append(f'    <sequenceFlow id="{fid}" sourceRef="{source}" targetRef="{target}"/>')
    node_xml = []
    for node_id, kind, name in nodes:
        inner = "".join(f"<incoming>{f}</incoming>" for f in incoming.get(node_id, []))
        inner += "".join(f"<outgoing>{f}</outgoing>" for f in outgoing.get(node_id, []))
        label = f' name="{name}"' if name else ""
        node_xml.append(f'    <{kind} id="{node_id}"{label}>{inner}</{kind}>')
    text = "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<definitions xmlns="{NS}" id="Defs" targetNamespace="http://example.org">',
            '  <process id="Process_1" name="Tiny">',
            *node_xml,
            *flow_xml,
            "  </process>",
            "</definitions>",
        ]
    )
    path.write_text(text + "\n", encoding="utf-8")
    return path


def sequence_with_choice(folder: Path) -> Path:
    """start -> A -> B -> XOR(C | D) -> E -> end: A, B, E mandatory; C and D alternatives."""
    return write_bpmn(
        folder / "choice.bpmn",
        [
            ("S", "startEvent", None),
            ("T_A", "task", "A"),
            ("T_B", "userTask", "B"),
            ("X1", "exclusiveGateway", None),
            ("T_C", "task", "C"),
            ("T_D", "task", "D"),
            ("X2", "exclusiveGateway", None),
            ("T_E", "task", "E"),
            ("End", "endEvent", None),
        ],
        [
            ("S", "T_A"),
            ("T_A", "T_B"),
            ("T_B", "X1"),
            ("X1", "T_C"),
            ("X1", "T_D"),
            ("T_C", "X2"),
            ("T_D", "X2"),
            ("X2", "T_E"),
            ("T_E", "End"),
        ],
    )


def parallel_with_loop(folder: Path) -> Path:
    """start -> A -> AND(B || C) -> D -> XOR(back to D | on) -> E -> end."""
    return write_bpmn(
        folder / "parallel.bpmn",
        [
            ("S", "startEvent", None),
            ("T_A", "task", "A"),
            ("P1", "parallelGateway", None),
            ("T_B", "task", "B"),
            ("T_C", "task", "C"),
            ("P2", "parallelGateway", None),
            ("J", "exclusiveGateway", None),
            ("T_D", "task", "D"),
            ("X", "exclusiveGateway", None),
            ("T_E", "task", "E"),
            ("End", "endEvent", None),
        ],
        [
            ("S", "T_A"),
            ("T_A", "P1"),
            ("P1", "T_B"),
            ("P1", "T_C"),
            ("T_B", "P2"),
            ("T_C", "P2"),
            ("P2", "J"),
            ("J", "T_D"),
            ("T_D", "X"),
            ("X", "J"),
            ("X", "T_E"),
            ("T_E", "End"),
        ],
    )


def run_check(model_path: Path, log, mapping: dict[str, str] | None = None, **options) -> ConformanceResult:
    """The check as ``procmine check`` runs it: the reduced translation, task and choice places."""
    from procmine.analyses.model_net import choice_places
    from procmine.io.bpmn import read_bpmn
    from procmine.petri.translate import lean, translate

    model = read_bpmn(model_path)
    translation = translate(model)
    net = netspec_from_translation(lean(translation))
    matching = match_names(net.labels, set(log.events["activity"].unique()), mapping)
    places = task_places(model, net)
    side = ModelSide(str(model_path), places, list(translation.warnings), choice_places(model, places))
    options.setdefault("precision", False)
    return check_conformance(log, net, side, matching, ConformanceOptions(**options))


def kinds(result: ConformanceResult) -> list[tuple[str, str | None]]:
    """(kind, the task or activity it is about), sorted: what a test compares with the expected set."""
    out = []
    for f in result.findings:
        about = f.location.activity or f.location.element_id
        if f.kind == "order_violation":
            about = f"{f.location.source}<{f.location.target}"  # the order seen in the log
        out.append((f.kind, about))
    return sorted(out)
