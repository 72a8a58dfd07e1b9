"""Lint model files: read each, run the switched-on rules, and collect the findings in one Report.

A file that cannot be read (not XML, not BPMN, hostile XML) does not stop the run: the other files are
still linted, the unreadable one is listed in the report's ``lint.unreadable`` with its cause, and the
command exits 2. That way one broken file in a repository never hides the findings of all the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from procmine.errors import InputError
from procmine.findings import Finding, Location, Report, Severity
from procmine.io.bpmn import read_bpmn
from procmine.lint.base import LintContext, Rule
from procmine.lint.rules import all_rules
from procmine.lint.settings import LintSettings
from procmine.model.bpmn import BpmnModel
from procmine.sections.lint import LintSection


@dataclass
class FileResult:
    file: str
    findings: list[Finding] = field(default_factory=list)
    suppressed: int = 0
    processes: int = 0
    nodes: int = 0
    flows: int = 0
    soundness: dict[str, dict[str, Any]] = field(default_factory=dict)  # process id -> verdict summary

    def to_dict(self) -> dict[str, Any]:
        by = {s.value: 0 for s in Severity}
        for f in self.findings:
            by[f.severity.value] += 1
        return {
            "file": self.file,
            "processes": self.processes,
            "nodes": self.nodes,
            "flows": self.flows,
            "findings": len(self.findings),
            "by_severity": by,
            "suppressed": self.suppressed,
            "soundness": self.soundness,
        }


def active_rules(settings: LintSettings) -> list[Rule]:
    return [r for r in all_rules() if r.name in settings.severities]


def lint_model(model: BpmnModel, file: str, settings: LintSettings) -> FileResult:
    """Run every active rule over one model; findings point at ``file`` as the user named it."""
    ctx = LintContext(model, state_limit=settings.state_limit)
    result = FileResult(file, processes=len(model.processes), nodes=len(model.nodes), flows=len(model.flows))
    seen: set[tuple[str, str, str]] = set()
    for rule in active_rules(settings):
        for issue in rule.check(ctx):
            key = (rule.code, issue.element_id, issue.message)
            if key in seen:
                continue
            seen.add(key)
            if settings.ignored(rule.name, file, issue.element_id):
                result.suppressed += 1
                continue
            line = issue.line if issue.line is not None else ctx.line_of(issue.element_id)
            result.findings.append(
                Finding(
                    code=rule.code,
                    kind=rule.name,
                    category="lint",
                    severity=settings.severities[rule.name],
                    message=issue.message,
                    location=Location(file=file, line=line, element_id=issue.element_id or None),
                    metrics=dict(issue.metrics),
                    advice=rule.advice,
                )
            )
    result.soundness = {pid: r.to_dict() for pid, r in sorted(ctx.soundness_results().items())}
    return result


def lint_files(
    files: Iterable[str | Path], settings: LintSettings, unreadable: list[dict[str, str]] | None = None
) -> Report:
    """Lint each file; unreadable files are listed with their cause (see the module docstring).

    ``unreadable`` may already name inputs the caller could not find; they are reported the same way.
    """
    results: list[FileResult] = []
    unreadable = list(unreadable or [])
    for path in files:
        name = str(path)
        try:
            model = read_bpmn(path)
        except InputError as exc:
            unreadable.append({"file": name, "cause": exc.cause})
            continue
        results.append(lint_model(model, name, settings))
    return build_report(results, unreadable, settings)


def build_report(
    results: list[FileResult], unreadable: list[dict[str, str]], settings: LintSettings
) -> Report:
    rules = active_rules(settings)
    return Report(
        command="lint",
        parameters={
            "preset": settings.preset,
            "max_warnings": settings.max_warnings,
            "state_limit": settings.state_limit,
            "config": settings.config_path,
        },
        sections={
            "lint": LintSection.from_dict(
                {
                    "preset": settings.preset,
                    "files": [r.to_dict() for r in sorted(results, key=lambda r: r.file)],
                    "unreadable": sorted(unreadable, key=lambda u: u["file"]),
                    "rules": [{**r.to_dict(), "severity": settings.severities[r.name].value} for r in rules],
                    "suppressed": sum(r.suppressed for r in results),
                }
            )
        },
        findings=[f for r in results for f in r.findings],
    )
