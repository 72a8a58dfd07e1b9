"""How the report words its figures for a reader: counts of findings in plain words, correlations without a
negative zero, no working time where the log has none, run parameters without Python's spelling."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from procmine.analyses.rework import _message
from procmine.analyses.significance import rho_text
from procmine.analyses.waits import _summary
from procmine.cli import run
from procmine.findings import Report, severity_counts_text
from procmine.io.logs import read_log
from procmine.lint.runner import lint_files
from procmine.lint.settings import build_settings
from procmine.renderers import markdown, render
from procmine.renderers.html_charts import bottleneck_chart
from procmine.renderers.html_evidence import evidence
from procmine.renderers.html_operations import queue
from procmine.renderers.html_report import build_view, render_data
from procmine.renderers.html_view import HtmlExtras, fmt
from procmine.renderers.shares import share_text
from procmine.renderers.terminal import audit as audit_summary
from procmine.renderers.terminal.discovery import _variants
from procmine.renderers.terminal.findings import lines as findings_lines
from procmine.renderers.terminal.log import _case_attributes
from procmine.sections.performance import Queue
from procmine.sections.variants import VariantRow, VariantsSection
from tests.audit_fakes import fake_report


def test_findings_are_counted_in_plain_words():
    assert severity_counts_text({"error": 0, "warning": 1, "info": 4}) == "0 errors, 1 warning, 4 notes"
    counts = {"error": 2, "warning": 0, "info": 1}
    assert severity_counts_text(counts, " · ") == "2 errors · 0 warnings · 1 note"


def test_every_format_counts_findings_the_same_way():
    data = fake_report()  # one error and three warnings
    report = Report.from_dict(data)
    html = render_data(data, HtmlExtras())
    assert "1 error · 3 warnings · 0 notes" in html
    assert "(1 error, 3 warnings, 0 notes)" in "\n".join(findings_lines(report))
    assert "1 error, 3 warnings, 0 notes" in markdown.render(report)
    assert not re.search(r"\d+ (error|warning|info)\(s\)|\b[02-9] warning\b|\binfo\b ?·", html)


def test_a_correlation_near_zero_is_never_negative_zero():
    assert rho_text(-0.001) == "Spearman ρ = 0.00"
    assert rho_text(-0.004) == "Spearman ρ = 0.00"
    assert rho_text(-0.09) == "Spearman ρ = -0.09"
    assert rho_text(0.456) == "Spearman ρ = 0.46"


def _workload_table(html: str) -> str:
    start = html.index("<h3>Who does the work</h3>")
    return html[start : html.index("</table>", start)]


def _with_workload(time_basis: str) -> dict:
    data = fake_report()
    data["performance"]["time_basis"] = time_basis
    data["performance"]["resources"]["workload"] = [
        {"resource": "Ann", "events": 30, "share": 0.75, "cases": 12, "activities": 2, "busy": 0.0},
        {"resource": "Bob", "events": 10, "share": 0.25, "cases": 9, "activities": 1, "busy": 0.0},
    ]
    return data


def test_without_start_times_no_working_time_is_shown():
    """A log of completion times only says nothing about working time: no column of "0 s"."""
    table = _workload_table(render_data(_with_workload("complete_only"), HtmlExtras()))
    assert "Ann" in table and "75%" in table
    assert "working time" not in table
    assert "0 s" not in table


def test_with_start_times_working_time_is_shown():
    data = _with_workload("start_and_complete")
    data["performance"]["resources"]["workload"][0]["busy"] = 7200.0
    table = _workload_table(render_data(data, HtmlExtras()))
    assert "working time" in table and "2.0 h" in table


def test_run_parameters_read_as_words():
    data = fake_report()
    data["parameters"] = {"precision": True, "pseudonymize": False, "sla": {"case": None, "activities": {}}}
    html = render_data(data, HtmlExtras())
    method = html[html.index("<h3>Parameters</h3>") : html.index("<h3>Versions</h3>")]
    assert "True" not in method and "False" not in method
    assert "yes" in method and "no" in method
    assert "case=" not in method  # no SLA target at all is "–", not a list of empty targets


def test_discover_summary_writes_the_variants_to_cover_with_separators():
    row = VariantRow(rank=1, activities=["A", "B"], length=2, cases=10, share=0.001, cumulative_share=0.001)
    section = VariantsSection(
        total=4336, cases=13087, top=[row], variants_to_cover={"80": 1719}, coverage_curve=[]
    )
    assert _variants(section)[0] == "Variants   4,336 (1,719 cover 80% of cases)"


def test_the_note_on_completions_without_start_counts_with_separators(tmp_path):
    rows = ["case,activity,timestamp,lifecycle", "c0,A,2024-01-01 09:00,start"]
    rows += ["c0,A,2024-01-01 09:30,complete"]
    rows += [f"c{i},B,2024-01-02 10:00,complete" for i in range(1, 1202)]
    path = tmp_path / "log.csv"
    path.write_text("\n".join(rows) + "\n")
    notes = read_log(path).quality.notes
    assert any(note.startswith("1,201 completions have no start event") for note in notes), notes


def test_a_change_against_a_previous_report_is_grey_and_says_it_is_not_tested():
    """Only the previous report's totals are known: a change of +0.009 in fitness is no finding, so it is
    not painted green or red as a tested change would be."""
    data = fake_report()
    change = lambda now, then: {  # noqa: E731
        "current": now,
        "previous": then,
        "delta": now - then,
        "relative": (now - then) / then,
    }
    data["comparison"] = {
        "previous": {
            "path": "q2",
            "first_timestamp": "2026-04-01T00:00:00Z",
            "last_timestamp": "2026-06-30T00:00:00Z",
            "cases": 900,
            "procmine_version": "0.1.0",
        },
        "figures": {
            "cases": change(1000, 900),
            "fitness": change(0.933, 0.924),
            "conforming_share": change(0.47, 0.43),
            "throughput_median": change(5.3 * 86400, 4.8 * 86400),
            "sla_breach_rate": {"current": None, "previous": None, "delta": None, "relative": None},
            "findings": change(4, 4),
        },
        "findings": {"new": [], "persisting": [], "resolved": []},
    }
    tiles = {t.label: t for t in build_view(Report.from_dict(data), HtmlExtras()).tiles}
    for label in ("Fitness", "Conforming cases", "Median throughput", "Cases"):
        assert tiles[label].tone == "", label
        assert tiles[label].change.endswith("; not tested"), tiles[label].change
    assert tiles["Fitness"].change.startswith("▲ +0.009 vs previous report (2026-04-01 – 2026-06-30)")


def test_inspect_lists_a_dozen_case_attributes_and_counts_the_rest():
    names = [f"(case)_Attribute_{i:03d}" for i in range(170)]
    line = _case_attributes(names)
    assert line.startswith("Case attributes 170: (case)_Attribute_000, ")
    assert line.endswith(", and 158 more (--format json lists them all)")
    assert "(case)_Attribute_012" not in line and len(line) < 400
    assert _case_attributes(["AMOUNT_REQ", "REG_DATE"]) == "Case attributes AMOUNT_REQ, REG_DATE"


def test_inspect_writes_a_rare_activity_as_a_share_not_zero():
    assert share_text(2 / 6426, 1) == "0.03%"  # an activity in 2 of 6,426 cases: not "0.0%", never
    assert share_text(0.682, 1) == "68.2%"
    assert share_text(0.0, 1) == "0.0%"


def test_lint_counts_files_in_words():
    model = str(Path(__file__).parent / "fixtures" / "lint" / "fake-join" / "incorrect.bpmn")
    text = render(lint_files([model], build_settings(preset="all")), "human")
    assert "Lint       1 file, " in text and "file(s)" not in text


def test_a_repetition_message_gives_the_share_as_the_evidence_grid_does():
    item = {
        "activity": "O_CANCELLED",
        "cases_reworked": 749,
        "rate": 749 / 13087,
        "repeats": 995,
        "kind": "repetition",
        "typical_before": None,
        "typical_before_share": None,
        "extra_time_per_reworked_case": 1.2 * 86400,
    }
    assert _message(item, 0.008).startswith("'O_CANCELLED' is repeated in 749 cases (5.7% of all cases, 995 ")


def test_the_evidence_grid_leaves_out_sums_of_days_nobody_can_picture():
    grid = dict(
        evidence(
            "repetition",
            {
                "cases_repeating_it": 4274,
                "extra_time": 42073.6 * 86400,
                "extra_time_per_case": 9.8 * 86400,
                "share_of_case_time": 0.37,
            },
        )
    )
    assert "time the repeats take" not in grid and "42,073.6 d" not in grid.values()
    assert grid["per case repeating it"] == "9.8 d" and grid["share of all case time"] == "37%"
    waits = {"total_wait": 5243.8 * 86400, "wait_per_affected_case": 2.5 * 86400}
    bottleneck = dict(evidence("bottleneck", waits))
    assert list(bottleneck) == ["wait per affected case"]


def test_audit_announces_each_step_once(tmp_path, capsys):
    """stderr reads as a list of steps, each with its time: none printed twice around another."""
    model = tmp_path / "abc.bpmn"
    model.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">'
        '<process id="p"><startEvent id="s"/><task id="a" name="A"/><task id="b" name="B"/><endEvent id="e"/>'
        '<sequenceFlow id="f1" sourceRef="s" targetRef="a"/>'
        '<sequenceFlow id="f2" sourceRef="a" targetRef="b"/>'
        '<sequenceFlow id="f3" sourceRef="b" targetRef="e"/></process></definitions>'
    )
    log = tmp_path / "log.csv"
    rows = [f"c{i},{act},2026-01-0{1 + i % 5} 0{h}:00" for i in range(12) for h, act in ((8, "A"), (9, "B"))]
    log.write_text("case,activity,timestamp\n" + "\n".join(rows) + "\n")
    assert run(["audit", str(model), str(log), "-o", str(tmp_path / "out")], False) == 0
    steps = [line.split(" ...")[0] for line in capsys.readouterr().err.splitlines() if " ..." in line]
    assert "procmine: drawing the process map" in steps
    assert len(steps) == len(set(steps)), steps


def test_the_audit_summary_counts_each_severity():
    text = audit_summary.render(Report.from_dict(fake_report()))  # one error, three warnings
    assert "Findings   1 error, 3 warnings, 0 notes\n" in text
    assert "warnings and errors" not in text


def test_the_audit_summary_prints_the_ten_most_important_and_counts_the_rest():
    """A documented model far from reality gives 179 warnings (BPIC 2015); the summary stays a summary."""
    data = fake_report()
    warning = next(f for f in data["findings"] if f["severity"] == "warning")
    data["findings"] += [{**warning, "message": f"more {i}"} for i in range(11)]  # 1 error, 14 warnings
    text = audit_summary.render(Report.from_dict(data))
    printed = [line for line in text.splitlines() if line.startswith(("  error", "  warning"))]
    assert len(printed) == 10 and printed[0].startswith("  error")
    assert "  ... and 5 more warnings: the report lists them all" in text
    data["findings"] = [{**warning, "severity": "error"}] * 11 + data["findings"]  # 12 errors, 14 warnings
    text = audit_summary.render(Report.from_dict(data))
    assert "  ... and 2 more errors and 14 more warnings: the report" in text
    assert "..." not in audit_summary.render(Report.from_dict(fake_report()))


def test_no_queueing_is_not_read_as_a_wait_on_customers():
    """The test shows only that no wait grows with the work waiting, not who or what the cases wait for."""
    text = _summary([object()], 0)  # type: ignore[list-item]
    assert text.startswith("No wait shows queueing")
    assert "customers" not in text and "not shown to shorten" in text


def test_a_tiny_share_is_not_printed_as_zero_nor_a_near_total_as_all():
    assert fmt(3 / 10357, "pct") == "0.03%"
    assert (fmt(1615 / 1617, "pct"), fmt(1.0, "pct"), fmt(0.9998, "ratio")) == ("99.9%", "100%", "0.9998")
    assert (fmt(0.0, "pct"), fmt(0.0012, "pct"), fmt(0.64, "pct")) == ("0.0%", "0.1%", "64%")


def test_the_queue_at_the_top_bottleneck_reads_in_one_decimal():
    q = Queue(
        source="Submitted",
        target="Approved",
        bucket="week",
        trend="growing",
        slope_per_bucket=0.41,
        mean_queue_first_third=3.765,
        mean_queue_last_third=44.0912,
        series=[],
    )

    class Perf:
        queue = q

    rows = dict(queue(Perf()))  # type: ignore[arg-type]
    assert rows["cases waiting at the end of a week, on average"] == (
        "3.8 in the first third of the period, 44.1 in the last"
    )


def _activity_times_table(time_basis: str) -> str:
    data = fake_report()
    data["performance"]["time_basis"] = time_basis
    wait = {"count": 10, "median": 3600.0, "p90": 7200.0, "mean": 4000.0, "total": 40000.0}
    service = dict(wait) if time_basis == "start_and_complete" else None
    data["performance"]["activities"] = [
        {
            "activity": "Triage",
            "executions": 10,
            "cases": 10,
            "service": service,
            "sojourn": wait,
            "wait_before": wait,
        },
    ]
    html = render_data(data, HtmlExtras())
    start = html.index("<h3>Time per activity</h3>")
    return html[start : html.index("</table>", start)]


def test_time_per_activity_has_no_columns_of_na_without_start_times():
    untimed = _activity_times_table("complete_only")
    assert "Triage" in untimed and "median wait before" in untimed
    assert "median work" not in untimed and "n/a" not in untimed
    assert "median work" in _activity_times_table("start_and_complete")


def test_documented_tasks_show_the_cases_out_of_order_as_check_does():
    data = fake_report()
    data["conformance"]["tasks"][0]["cases_out_of_order"] = 127
    html = render_data(data, HtmlExtras())
    start = html.index("<h3>Documented tasks in the log</h3>")
    tasks = html[start : html.index("</table>", start)]
    assert "cases out of order" in tasks
    row = tasks[tasks.index("Classify complaint") :]
    assert re.search(r"<td[^>]*>127</td>", row[: row.index("</tr>")])


def test_the_wait_bars_are_labelled_with_shares_of_case_time_not_sums_of_days():
    day = 86400.0
    rows = [
        SimpleNamespace(
            source="Release A",
            target="Return ER",
            kind="no_queueing",
            total=22737.8 * day,
            share_of_case_time=0.76,
        ),
        SimpleNamespace(
            source="CRP", target="CRP", kind="no_queueing", total=3840.0 * day, share_of_case_time=0.128
        ),
    ]
    svg = str(bottleneck_chart(SimpleNamespace(handovers=rows)))  # type: ignore[arg-type]
    assert ">76%<" in svg and ">13%<" in svg
    assert "22,737.8 d" not in svg


def test_directly_follows_waits_say_how_they_differ_from_the_model_based_waits():
    """Sepsis: CRP -> CRP is 13 % of case time in the bars (waits from the documented predecessor) and 2.0 %
    in the directly-follows table; the table says why the same pair shows other figures."""
    waits = {
        "basis": "documented model",
        "min_waits": 30,
        "min_rho": 0.3,
        "alpha": 0.05,
        "external": [],
        "queues": 0,
        "summary": "No wait shows queueing.",
        "handovers": [],
    }
    data = fake_report(waits=waits)
    html = render_data(data, HtmlExtras())
    start = html.index("<h3>Waits per handover (directly-follows)</h3>")
    assert "whichever event came just before" in html[start : html.index("<table", start)]
    data["waits"]["basis"] = "previous event"  # no model: both tables measure the same waits
    assert "whichever event came just before" not in render_data(data, HtmlExtras())


def test_waits_per_handover_give_their_share_of_case_time_not_a_sum_of_days():
    html = render_data(fake_report(), HtmlExtras())
    start = html.index("<h3>Waits per handover (directly-follows)</h3>")
    waits = html[start : html.index("</table>", start)]
    assert "share of all case time" in waits and "total wait" not in waits
    # Classify -> Investigate: 1,200 waits of 3.2 d on average over 3,000 cases of 7.2 d: 17.8 %
    row = waits[waits.index("Classify complaint → Investigate issue") :]
    assert ">18%<" in row[: row.index("</tr>")]
    assert "3,840.0 d" not in waits


def _queue_row(share: float, cases: int):
    from procmine.sections.waits import WaitRow

    return WaitRow(
        source="AML check",
        target="Appraise property",
        count=cases,
        cases=cases,
        median=0.0,
        p90=0.0,
        mean=2.4,
        total=2.4 * cases,
        max=600.0,
        overlaps=0,
        share_of_case_time=share,
        per_affected_case=2.4,
        share_of_affected_case_time=share,
        kind="queue",
        reason="the wait grows with the cases already waiting",
        evidence=None,
    )


def test_queues_under_a_tenth_of_case_time_are_not_called_bottlenecks():
    """LoanApp (simod): every queue takes under 1 % of all case time with a median wait of 0 s; the summary
    says no bottleneck, and lists them as queues; one queue over the share, in enough cases, is one."""
    from procmine.renderers.terminal.performance import _waits

    def heading(*rows) -> str:
        section = SimpleNamespace(summary="...", handovers=list(rows))
        return next(line for line in _waits(section) if line.startswith("Bottlenecks"))

    assert heading(_queue_row(0.006, 326), _queue_row(0.002, 377)).startswith(
        "Bottlenecks: none (no internal"
    )
    assert heading(_queue_row(0.12, 326)) == "Bottlenecks: internal queues, ranked by total wait"
    assert heading(_queue_row(0.12, 4)).startswith("Bottlenecks: none")  # four cases make no claim
