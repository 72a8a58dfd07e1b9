"""How the report words its figures for a reader: counts of findings in plain words, correlations without a
negative zero, no working time where the log has none, run parameters without Python's spelling."""

from __future__ import annotations

import re

from procmine.analyses.significance import rho_text
from procmine.findings import Report, severity_counts_text
from procmine.io.logs import read_log
from procmine.renderers import markdown
from procmine.renderers.html_report import render_data
from procmine.renderers.html_view import HtmlExtras
from procmine.renderers.terminal.discovery import _variants
from procmine.renderers.terminal.findings import lines as findings_lines
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
