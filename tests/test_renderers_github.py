"""GitHub workflow-command annotations: one per finding, with file and line, escaped as the runner expects."""

from __future__ import annotations

from procmine.findings import Finding, Location, Report, Severity
from procmine.renderers import render
from procmine.renderers.github import escape_data, escape_property
from procmine.sections.lint import LintSection, UnreadableFile


def test_one_annotation_per_finding_with_level_file_line_and_title():
    report = Report(
        command="lint",
        findings=[
            Finding(
                "L027",
                "no-deadlock",
                "lint",
                Severity.ERROR,
                "deadlock at Join",
                Location(file="models/order.bpmn", line=8, element_id="Join"),
                advice="Join like you split.",
            ),
            Finding(
                "L009",
                "fake-join",
                "lint",
                Severity.WARNING,
                "fake join",
                Location(file="models/order.bpmn", line=9),
            ),
            Finding(
                "P001", "bottleneck", "performance", Severity.INFO, "waits", Location(activity="Classify")
            ),
        ],
    )
    lines = render(report, "github").splitlines()
    assert lines == [
        "::error file=models/order.bpmn,line=8,title=L027 no-deadlock::"
        "deadlock at Join (Join)%0AJoin like you split.",
        "::warning file=models/order.bpmn,line=9,title=L009 fake-join::fake join",
        "::notice title=P001 bottleneck::waits",
    ]


def test_escaping_cannot_break_or_inject_commands():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%") == "a%2Cb%3Ac%25"
    report = Report(
        command="lint",
        findings=[
            Finding(
                "L010",
                "label-required",
                "lint",
                Severity.ERROR,
                'label "x"\n::error::injected',
                Location(file="odd, name:1.bpmn", line=3),
            ),
        ],
    )
    (line,) = render(report, "github").splitlines()
    assert (
        line
        == '::error file=odd%2C name%3A1.bpmn,line=3,title=L010 label-required::label "x"%0A::error::injected'
    )


def test_unreadable_files_are_annotated():
    unreadable = [UnreadableFile(file="a.bpmn", cause="not XML")]
    lint = LintSection(preset="recommended", files=[], unreadable=unreadable, rules=[], suppressed=0)
    report = Report(command="lint", sections={"lint": lint})
    assert render(report, "github") == "::error file=a.bpmn,title=procmine%3A unreadable file::not XML\n"


def _at(file: str) -> Report:
    return Report(
        command="lint",
        findings=[
            Finding("L009", "fake-join", "lint", Severity.WARNING, "fake join", Location(file=file, line=9))
        ],
    )


def test_files_are_named_relative_to_the_checkout_as_github_needs(tmp_path, monkeypatch):
    """GitHub shows an annotation on the pull request's file only for a path relative to the checkout: an
    absolute path inside GITHUB_WORKSPACE (off GitHub, the working directory) loses its root; './' goes."""
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    inside = render(_at(str(tmp_path / "models" / "order.bpmn")), "github")
    assert inside.startswith("::warning file=models/order.bpmn,line=9,")
    assert render(_at("./models/order.bpmn"), "github").startswith("::warning file=models/order.bpmn,")
    assert render(_at("/elsewhere/order.bpmn"), "github").startswith("::warning file=/elsewhere/order.bpmn,")
    monkeypatch.delenv("GITHUB_WORKSPACE")
    monkeypatch.chdir(tmp_path)
    assert render(_at(str(tmp_path / "order.bpmn")), "github").startswith("::warning file=order.bpmn,")
