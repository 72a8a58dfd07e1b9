"""One exit-code decision for every command: ``over_threshold`` picks the failing findings, ``exit_code``
turns an Outcome into 0, 1 or 2."""

from __future__ import annotations

from procmine.errors import ExitCode
from procmine.findings import Finding, Report, Severity
from procmine.pipeline.outcome import Outcome, exit_code, over_threshold, write_files


def _finding(kind: str, severity: Severity) -> Finding:
    return Finding("C001", kind, "conformance", severity, f"a {kind}")


ERROR = _finding("low_fitness", Severity.ERROR)
WARNING = _finding("skipped_step", Severity.WARNING)
OTHER_WARNING = _finding("order_violation", Severity.WARNING)
INFO = _finding("undocumented_step", Severity.INFO)
ALL = [ERROR, WARNING, OTHER_WARNING, INFO]


def test_errors_always_fail_warnings_only_when_asked():
    assert over_threshold(ALL) == [ERROR]
    assert over_threshold(ALL, ["skipped_step"]) == [ERROR, WARNING]
    assert over_threshold(ALL, ["undocumented_step"]) == [ERROR, INFO]  # a kind named fails at any severity
    assert over_threshold(ALL, ["any"]) == [ERROR, WARNING, OTHER_WARNING]
    assert over_threshold([WARNING, OTHER_WARNING, INFO], max_warnings=2) == []
    assert over_threshold([WARNING, OTHER_WARNING, INFO], max_warnings=1) == [WARNING, OTHER_WARNING]


def test_exit_code_unreadable_input_before_findings():
    report = Report(command="lint")
    assert exit_code(Outcome(report)) == ExitCode.OK
    assert exit_code(Outcome(report, failing=[WARNING])) == ExitCode.FINDINGS
    assert exit_code(Outcome(report, failing=[WARNING], unreadable=["x.bpmn: not XML"])) == ExitCode.USAGE


def test_write_files_writes_every_file_and_names_them(tmp_path):
    files = write_files(tmp_path / "out", {"a.json": "{}\n", "b.bin": b"\x00\x01"})
    assert list(files) == ["a.json", "b.bin"]
    assert files["a.json"].read_text() == "{}\n" and files["b.bin"].read_bytes() == b"\x00\x01"
