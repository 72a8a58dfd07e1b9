"""The BPMN reader on hand-written models: what it keeps, and what it refuses (with a named cause)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from procmine.errors import InputError
from procmine.io.bpmn import read_bpmn
from procmine.model.bpmn import Bounds

FIXTURES = Path(__file__).parent / "fixtures" / "bpmn"


@pytest.fixture(scope="module")
def features():
    return read_bpmn(FIXTURES / "reader_features.bpmn")


def test_any_prefix_pools_and_message_flows(features):
    assert [p.id for p in features.processes] == ["Process_Customer", "Process_Shop"]
    customer, shop = features.processes
    assert (customer.participant_id, customer.display_name) == ("Pool_Customer", "Customer")  # tns: prefix
    assert shop.display_name == "Shop"
    assert features.exporter == "handwritten"
    [message] = features.message_flows
    assert (message.source_id, message.target_id) == ("Send_order", "Receive_order")


def test_node_fields(features):
    check = features.nodes["Check"]
    assert check.type == "userTask" and check.name == "Check\norder" and check.label == "Check order"
    assert check.line == 39 and check.process_id == "Process_Shop" and check.loop == "standard"
    assert features.nodes["Send_order"].label == "Send order"
    assert features.nodes["Receive_order"].event_definitions == ("messageEventDefinition",)
    gateway = features.nodes["Gateway_1"]
    assert gateway.default_flow == "S_f3" and gateway.gateway_direction == "Diverging"
    assert features.nodes["Pack"].loop == "sequential"
    bill = features.nodes["Bill"]
    assert bill.loop == "parallel" and bill.called_element == "Billing"


def test_sub_process_content_is_nested_and_listed(features):
    shop = features.process("Process_Shop")
    for inner in ("Pack_start", "Pick", "Pack_end"):
        assert features.nodes[inner].parent_id == "Pack"
        assert inner in shop.node_ids
    assert "P_f1" in shop.flow_ids and features.flows["P_f1"].process_id == "Process_Shop"
    assert features.nodes["Pack"].parent_id is None
    event_sub = features.nodes["OnCancel"]
    assert event_sub.triggered_by_event
    assert features.nodes["Cancel_start"].is_interrupting is False
    assert features.nodes["Cancel_start"].event_definitions == ("signalEventDefinition",)


def test_boundary_event_and_definition_ref(features):
    late = features.nodes["Late"]
    assert late.attached_to == "Pack" and late.cancel_activity is False
    assert late.event_definitions == ("timerEventDefinition",)


def test_flows_conditions_and_incoming_outgoing_from_flows(features):
    assert features.flows["S_f4"].condition == "${ok == false}"
    assert features.flows["S_f4"].name == "rejected"
    assert features.flows["S_f3"].condition is None
    # the stale <incoming>stale_flow</incoming> child is not trusted: flows decide
    assert features.nodes["Check"].incoming == ["S_f1"]
    assert features.nodes["Check"].outgoing == ["S_f2"]
    assert features.nodes["Gateway_1"].outgoing == ["S_f3", "S_f4"]


def test_dangling_flow_is_kept_for_lint(features):
    dangling = features.flows["S_f7"]
    assert dangling.target_id == "Nowhere" and "Nowhere" not in features.nodes
    assert features.nodes["Late"].outgoing == ["S_f7"]


def test_duplicate_ids_recorded_with_lines_first_wins(features):
    assert ("Check", 62) in features.duplicate_ids
    assert features.nodes["Check"].type == "userTask"
    # a vendor extension reusing an id is not a BPMN duplicate
    assert all(element_id != "C_start" for element_id, _ in features.duplicate_ids)


def test_lanes_innermost_wins(features):
    shop = features.process("Process_Shop")
    assert [lane.id for lane in shop.lanes] == ["Lane_Sales", "Lane_Inside", "Lane_Back"]
    assert features.nodes["Check"].lane == "Inside sales"
    assert features.nodes["Receive_order"].lane == "Sales"
    assert features.nodes["Pack"].lane == "Lane_Back"  # unnamed lane: its id
    assert features.nodes["S_end"].lane is None


def test_diagram_interchange(features):
    assert features.has_di
    assert features.nodes["Check"].bounds == Bounds(100, 220, 100, 80)
    assert features.nodes["Pack"].is_expanded is True
    assert features.process("Process_Shop").bounds == Bounds(0, 200, 900, 300)
    assert features.process("Process_Shop").lanes[0].bounds == Bounds(30, 200, 870, 150)
    assert features.flows["S_f2"].waypoints == [(200.0, 260.0), (250.0, 260.5)]
    assert features.message_flows[0].waypoints == [(10.0, 20.0), (10.0, 220.0)]


def test_default_namespace_without_di():
    model = read_bpmn(FIXTURES / "default_ns_no_di.bpmn")
    assert not model.has_di
    assert [n.type for n in model.nodes.values()] == ["startEvent", "task", "endEvent"]
    assert model.nodes["t"].bounds is None and model.nodes["t"].lane is None


@pytest.mark.parametrize(
    ("name", "cause"),
    [
        ("xxe.bpmn", "declares entities"),
        ("xxe_utf16.bpmn", "declares entities"),
        ("billion_laughs.bpmn", "declares entities"),
        ("external_dtd.bpmn", "external DTD"),
        ("not_xml.bpmn", "not well-formed XML"),
        ("truncated.bpmn", "not well-formed XML"),
    ],
)
def test_hostile_and_broken_files_are_refused(name, cause):
    with pytest.raises(InputError) as caught:
        read_bpmn(FIXTURES / "hostile" / name)
    assert cause in caught.value.cause
    assert "\n" not in str(caught.value)


def test_refusals_name_the_cause(tmp_path):
    cases = {
        "missing.bpmn": None,
        "empty.bpmn": "",
        "fragment.bpmn": '<task xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="t"/>',
        "other.bpmn": '<definitions xmlns="http://not-bpmn"><process id="p"/></definitions>',
        "bare.bpmn": '<definitions><process id="p"/></definitions>',
        "noprocess.bpmn": '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>',
    }
    expected = {
        "missing.bpmn": "file not found",
        "empty.bpmn": "file is empty",
        "fragment.bpmn": "a BPMN fragment",
        "other.bpmn": "the root element is <definitions> in namespace http://not-bpmn, expected <definitions>"
        " in namespace http://www.omg.org/spec/BPMN/20100524/MODEL",
        "bare.bpmn": "the root element is <definitions> in no namespace, expected <definitions> in namespace",
        "noprocess.bpmn": "no <process> element",
    }
    for name, text in cases.items():
        path = tmp_path / name
        if text is not None:
            path.write_text(text)
        with pytest.raises(InputError) as caught:
            read_bpmn(path)
        assert expected[name] in caught.value.cause, name
        assert caught.value.source == str(path)


def test_directory_and_size_limit(tmp_path):
    with pytest.raises(InputError, match="not a file"):
        read_bpmn(tmp_path)
    with pytest.raises(InputError, match="over the file-size limit"):
        read_bpmn(FIXTURES / "default_ns_no_di.bpmn", max_bytes=100)


def test_invalid_namespace_uri_is_read_leniently(tmp_path):
    """IBM Process Designer writes namespace URIs with spaces; the file is otherwise fine."""
    path = tmp_path / "ibm.bpmn"
    path.write_text(
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:Process="http://A.3.0/Initial Import/Process"><bpmn:process id="p">'
        '<bpmn:task id="t" name="T"/></bpmn:process></bpmn:definitions>'
    )
    assert read_bpmn(path).nodes["t"].name == "T"


def test_reader_imports_no_heavy_libraries():
    code = (
        "import sys; import procmine.io.bpmn; "
        "bad = [m for m in ('pandas', 'duckdb', 'pm4py') if m in sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
