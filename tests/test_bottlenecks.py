"""The bottleneck analysis on hand-built logs: ranking by impact, findings, rework, SLA, resources, CLI."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from procmine.analyses.performance import PerformanceOptions, analyse
from procmine.analyses.sla import SlaTargets, parse_duration, parse_sla
from procmine.cli import run as cli_run
from procmine.errors import InputError
from procmine.findings import Report
from procmine.model.bpmn import BpmnModel, Lane, Node, Process
from tests.factories import make_log
from tests.schema import assert_valid_report
from tests.test_times import complete_only, with_starts

H = 3600.0


def by_code(findings, code):
    return [f for f in findings if f.code == code]


def fifo_queue(target: str, bursts: list[int], service_hours: float, prefix: str) -> list[tuple]:
    """Cases arriving in bursts from 09:00, a minute apart (one burst a day, sizes cycling through
    ``bursts``), each done by one clerk in turn (``service_hours`` each, the first at 09:00): the k-th of a
    burst (k = 0, 1, ...) waits k * service - k minutes. Rows have start times, so the wait before
    ``target`` is the time in the queue."""
    rows, day, n = [], 0, 0
    while n < QUEUE_CASES[prefix]:
        size = bursts[day % len(bursts)]
        opening = pd.Timestamp("2024-03-01 09:00") + pd.Timedelta(days=day)
        for k in range(size):
            arrival = opening + pd.Timedelta(minutes=k)
            begin = opening + pd.Timedelta(hours=k * service_hours)
            end = begin + pd.Timedelta(hours=service_hours)
            case = f"{prefix}{n:03d}"
            rows += [
                (case, "A", f"{arrival:%Y-%m-%d %H:%M}", f"{arrival:%Y-%m-%d %H:%M}"),
                (case, target, f"{end:%Y-%m-%d %H:%M}", f"{begin:%Y-%m-%d %H:%M}"),
            ]
            n += 1
        day += 1
    return rows


QUEUE_CASES = {"b": 90, "c": 30, "q": 30}


def test_bottlenecks_are_internal_queues_ranked_by_total_wait_not_mean():
    # B: 90 cases wait 0..5 h behind a 1-hour clerk (mean 1.67 h); C: 30 cases wait 0..6 h behind a 3-hour
    # clerk (mean 2 h). The mean would rank C first, the impact (total wait) ranks B first.
    rows = fifo_queue("B", [1, 2, 3, 4, 5, 6], 1.0, "b") + fifo_queue("C", [1, 2, 3], 3.0, "c")
    result = analyse(make_log(rows))
    ranked = result.performance.to_dict()["bottlenecks"]
    assert [(b["source"], b["target"]) for b in ranked] == [("A", "B"), ("A", "C")]
    assert ranked[0]["total"] > ranked[1]["total"] and ranked[1]["mean"] > ranked[0]["mean"]
    found = by_code(result.findings, "P001")
    assert [f.location.target for f in found] == ["B", "C"]
    assert found[0].metrics["rank"] == 1 and found[0].impact > found[1].impact


def test_a_long_wait_that_does_not_grow_with_the_queue_is_no_bottleneck():
    rows = fifo_queue("B", [1, 2, 3], 1.0, "q")
    for i in range(40):  # 40 cases each wait 10 h, whatever else waits: longest in total, not a queue
        day = f"2024-03-{1 + i % 28:02d}"
        rows += [(f"w{i}", "A", f"{day} 08:00", f"{day} 08:00")]
        rows += [(f"w{i}", "D", f"{day} 18:30", f"{day} 18:00")]
    result = analyse(make_log(rows))
    rows_by_target = {r.target: r for r in result.waits.handovers}
    assert rows_by_target["D"].total > rows_by_target["B"].total
    assert rows_by_target["D"].kind == "no_queueing" and rows_by_target["B"].kind == "queue"
    assert [f.location.target for f in by_code(result.findings, "P001")] == ["B"]


def test_bottleneck_finding_metrics():
    # bursts of 1, 2, 3 cases, 1 h each: waits 0 | 0 59 | 0 59 118 min per cycle, 5 cycles = 30 cases
    result = analyse(make_log(fifo_queue("B", [1, 2, 3], 1.0, "q")), PerformanceOptions(top=2))
    (first,) = by_code(result.findings, "P001")
    assert (first.location.source, first.location.target) == ("A", "B")
    m = first.metrics
    total = 5 * (59 + 59 + 118) * 60.0
    assert m["total_wait"] == total and m["cases_affected"] == 30 and m["median_wait"] == 59 * 60 / 2
    assert m["share_of_case_time"] == pytest.approx(total / (total + 30 * H))  # each case also works 1 h
    assert m["wait_per_affected_case"] == pytest.approx(total / 30)
    assert m["queue_rho"] == pytest.approx(1.0) and m["waits_tested"] == 30
    assert "found no other work waiting waited 0 s" in first.message
    assert "1 or more waited 59 min" in first.message  # waiting: 15 found none, 10 one, 5 two


def _abc_model(tmp_path, loop: bool):
    """start -> A -> (xor) -> B -> (xor) -> C -> end, with B -> B allowed when ``loop``."""
    from procmine.io.bpmn import read_bpmn

    back = '<sequenceFlow id="back" sourceRef="x2" targetRef="x1"/>' if loop else ""
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://example.com">
  <process id="p">
    <startEvent id="s"/><task id="a" name="A"/><exclusiveGateway id="x1"/><task id="b" name="B"/>
    <exclusiveGateway id="x2"/><task id="c" name="C"/><endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="a"/><sequenceFlow id="f2" sourceRef="a" targetRef="x1"/>
    <sequenceFlow id="f3" sourceRef="x1" targetRef="b"/><sequenceFlow id="f4" sourceRef="b" targetRef="x2"/>
    <sequenceFlow id="f5" sourceRef="x2" targetRef="c"/><sequenceFlow id="f6" sourceRef="c" targetRef="e"/>
    <sequenceFlow id="f7" sourceRef="x1" targetRef="c"/>{back}
  </process>
</definitions>"""
    path = tmp_path / f"abc{'-loop' if loop else ''}.bpmn"
    path.write_text(xml, encoding="utf-8")
    return read_bpmn(path)


def test_repetition_without_a_model_is_not_called_rework():
    result = analyse(complete_only())
    rework = result.performance.to_dict()["rework"]
    assert rework["basis"] == "no model" and rework["cases_with_rework"] is None
    assert rework["cases_with_repetition"] == 1 and rework["repetition_rate"] == 0.25
    (b,) = rework["activities"]
    assert (b["activity"], b["kind"], b["repeats"], b["extra_time"]) == ("B", "repetition", 1, 1 * H)
    assert b["rate_where_executed"] == pytest.approx(1 / 3)
    assert (b["typical_before"], b["typical_before_share"]) == ("B", 1.0)  # c4: A B B C
    assert not by_code(result.findings, "P002")
    (finding,) = by_code(result.findings, "P004")
    assert finding.kind == "repetition" and finding.severity.value == "info"
    assert finding.location.activity == "B" and finding.metrics["cases_repeating_it"] == 1
    assert "rework" not in finding.message
    # ranked by what the repeats cost (1 h of the 22 h all cases take), the unit bottlenecks rank by, not by
    # the 25 % of cases repeating B: a loop that takes no time must not outrank a queue
    assert finding.impact == pytest.approx(1 / 22, abs=1e-4)
    assert finding.message.startswith("'B' is repeated in 1 case (25% of all cases, 1 repeat); a repeat")


def test_rework_is_a_repetition_the_documented_model_does_not_allow(tmp_path):
    result = analyse(complete_only(), model=_abc_model(tmp_path, loop=False))
    rework = result.performance.to_dict()["rework"]
    assert rework["basis"] == "documented model" and rework["cases_with_rework"] == 1
    assert rework["activities"][0]["kind"] == "rework"
    (finding,) = by_code(result.findings, "P002")
    assert "although the documented model does not repeat it" in finding.message
    assert finding.severity.value == "warning"  # 25 % of cases


def test_a_documented_loop_is_repetition_without_blame(tmp_path):
    result = analyse(complete_only(), model=_abc_model(tmp_path, loop=True))
    rework = result.performance.to_dict()["rework"]
    assert rework["cases_with_rework"] == 0 and rework["activities"][0]["kind"] == "documented loop"
    assert not by_code(result.findings, "P002")
    (finding,) = by_code(result.findings, "P004")
    assert "as the documented model allows (a loop)" in finding.message


def test_sla_case_and_activity_breaches():
    targets = parse_sla(["5h", "C=3h"])
    assert targets == SlaTargets(case=5 * H, activities={"C": 3 * H})
    result = analyse(complete_only(), PerformanceOptions(sla=targets, max_sla_breach=0.4))
    sla = result.performance.to_dict()["sla"]
    assert sla["case"]["breaches"] == 2 and sla["case"]["breach_rate"] == 0.5  # c2 6 h, c3 10 h
    (c,) = sla["activities"]
    assert (c["breaches"], c["executions"]) == (2, 4)  # sojourn of C: 2, 4, 10, 1 h
    breaches = by_code(result.findings, "P003")
    assert len(breaches) == 2 and result.sla_breached
    tolerant = analyse(complete_only(), PerformanceOptions(sla=targets, max_sla_breach=0.5))
    assert not by_code(tolerant.findings, "P003") and not tolerant.sla_breached


def test_sla_on_unknown_activity_is_an_input_error():
    with pytest.raises(InputError, match="no activity 'Nope'"):
        analyse(complete_only(), PerformanceOptions(sla=parse_sla(["Nope=1d"])))


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("5d", 5 * 86400),
        ("36h", 36 * H),
        ("90m", 5400),
        ("1w2d", 9 * 86400),
        ("1.5d", 1.5 * 86400),
        ("45 min", 2700),
        ("30s", 30),
    ],
)
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["5", "", "d", "5x", "-1d", "0h"])
def test_parse_duration_refuses(text):
    with pytest.raises(InputError):
        parse_duration(text)


def test_resources_and_lanes():
    model = BpmnModel(path="m.bpmn", processes=[Process(id="p", lanes=[Lane("l1", "Front", "p")])])
    model.nodes = {
        "t1": Node("t1", "task", name="A", lane="Front"),
        "t2": Node("t2", "userTask", name="B", lane="Back"),
    }
    result = analyse(with_starts(), model=model)
    res = result.performance.to_dict()["resources"]
    assert [(w["resource"], w["events"]) for w in res["workload"]] == [("r1", 3), ("r2", 2), ("r3", 1)]
    lanes = {lane["lane"]: lane for lane in res["lanes"]}
    assert lanes["Front"]["events"] == 2 and lanes["Front"]["busy"] == 1.5 * H
    assert lanes["Back"]["activities"] == ["B"] and lanes["(not in the model)"]["activities"] == ["C"]
    assert res["handovers"]["handovers"] == 2 and res["handovers"]["share_of_transitions"] == 0.5


def _queue_growth(rows):
    from procmine.analyses import waits
    from procmine.analyses.bottlenecks import measure
    from procmine.analyses.resources import queue_growth

    timing = measure(make_log(rows))
    try:
        waits.measure(timing, None)
        return queue_growth(timing, "A", "B")
    finally:
        timing.con.close()


def test_queue_trend_grows_when_waits_pile_up():
    rows = []
    for day in range(1, 29):  # one case a day joins, none leaves before April: the queue grows
        rows += [(f"c{day}", "A", f"2024-03-{day:02d} 09:00"), (f"c{day}", "B", f"2024-04-{day:02d} 09:00")]
    queue = _queue_growth(rows)
    assert (queue["source"], queue["target"], queue["bucket"]) == ("A", "B", "day")
    assert queue["trend"] == "growing" and queue["slope_per_bucket"] == pytest.approx(1.0)
    steady = []
    for day in range(1, 29):  # one case a day joins and leaves the next day: the queue stays at one
        steady += [
            (f"c{day}", "A", f"2024-03-{day:02d} 09:00"),
            (f"c{day}", "B", f"2024-03-{day + 1:02d} 08:00"),
        ]
    assert _queue_growth(steady)["trend"] == "stable"


def test_report_is_valid_against_the_schema():
    log = make_log(
        [
            ("c1", "A", "2024-03-01 10:00", "2024-03-01 09:00", "r1"),
            ("c1", "B", "2024-03-02 10:00", "2024-03-02 09:00", "r2"),
        ],
        attributes={"c1": {"Channel": "web", "Satisfaction": 8}},
    )
    result = analyse(log, PerformanceOptions(sla=parse_sla(["1d", "B=1h"]), touchpoints=("A",)))
    report = Report(
        command="bottlenecks",
        log=log.summary(),
        findings=result.findings,
        sections={"performance": result.performance, "customer": result.customer, "waits": result.waits},
    )
    assert_valid_report(report.to_dict())


CSV = """Case ID,Activity,Start Timestamp,Complete Timestamp,Agent,Channel,Satisfaction
c1,A,2024-03-01T09:00:00+01:00,2024-03-01T10:00:00+01:00,r1,web,9
c1,B,2024-03-01T11:00:00+01:00,2024-03-01T11:30:00+01:00,r2,web,9
c2,A,2024-03-01T09:00:00+01:00,2024-03-01T09:30:00+01:00,r1,phone,4
c2,B,2024-03-03T13:30:00+01:00,2024-03-03T14:30:00+01:00,r1,phone,4
"""


@pytest.fixture
def csv_log(tmp_path):
    path = tmp_path / "tiny.csv"
    path.write_text(CSV)
    return path


def test_cli_json_exit_codes_and_output_folder(csv_log, tmp_path, capsys):
    out = tmp_path / "out"
    code = cli_run(
        ["-q", "bottlenecks", str(csv_log), "--sla", "1d", "--format", "json", "-o", str(out)], False
    )
    assert code == 1  # one of two cases is over a day: 50 % > the tolerated 10 %
    data = json.loads(capsys.readouterr().out)
    assert_valid_report(data)
    assert data["performance"]["sla"]["case"]["breaches"] == 1
    assert json.loads((out / "bottlenecks.json").read_text()) == data
    assert "Waits      No wait shows queueing" in (out / "bottlenecks.txt").read_text()
    assert cli_run(["-q", "bottlenecks", str(csv_log), "--sla", "1d", "--max-sla-breach", "0.5"], False) == 0


def test_cli_human_output_and_bad_usage(csv_log, capsys):
    assert cli_run(["-q", "bottlenecks", str(csv_log), "--touchpoints", "A,B"], False) == 0
    text = capsys.readouterr().out
    assert "  A -> B: median" in text and "fewer than 30 waits" in text
    assert "Touchpoints A, B" in text
    assert "Segments   none of 1 case attributes tested makes a difference" in text  # 2 cases only
    assert cli_run(["-q", "bottlenecks", str(csv_log), "--sla", "5"], False) == 2
    assert "--sla: cannot read duration '5'" in capsys.readouterr().err
    assert cli_run(["-q", "bottlenecks", str(csv_log), "--segment", "Nope"], False) == 2


def test_options_from_configuration(tmp_path):
    from procmine.config import load_config
    from procmine.pipeline.bottlenecks import build_options

    (tmp_path / "procmine.toml").write_text(
        '[bottlenecks]\nsla = ["2d", "B=1h"]\nmax_sla_breach = 0.2\ntouchpoints = ["A", "B"]\ntop = 3\n'
    )
    config = load_config(tmp_path)
    options = build_options(config)
    assert options.sla == SlaTargets(case=2 * 86400, activities={"B": H})
    assert (options.max_sla_breach, options.touchpoints, options.top) == (0.2, ("A", "B"), 3)
    flags = build_options(config, sla=["1d"], max_sla_breach=0.05, touchpoints=["C, D"], top=1)
    assert flags.sla == SlaTargets(case=86400) and flags.touchpoints == ("C", "D") and flags.top == 1
    (tmp_path / "procmine.toml").write_text("[bottlenecks]\nslaa = '1d'\n")
    with pytest.raises(InputError, match="unknown key 'slaa'"):
        build_options(load_config(tmp_path))
