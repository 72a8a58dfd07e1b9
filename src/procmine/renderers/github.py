"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request's diff.

``::error file=F,line=L,title=T::message`` for errors, ``::warning`` and ``::notice`` for the rest. Values are
escaped as the runner expects (``%``, CR and LF in the message; additionally ``:`` and ``,`` in properties),
so a label with a comma or a line break cannot break the command or inject another one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procmine.renderers.ci_paths import relative_to_checkout
from procmine.sections.lint import LintSection

if TYPE_CHECKING:
    from procmine.findings import Finding, Report

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def render(report: Report) -> str:
    lines = [_annotation(f) for f in report.findings]
    lint = report.section(LintSection)
    for u in lint.unreadable if lint else []:
        where = {"file": relative_to_checkout(u.file), "title": "procmine: unreadable file"}
        lines.append(_command("error", where, u.cause))
    return "".join(line + "\n" for line in lines)


def _annotation(finding: Finding) -> str:
    loc = finding.location
    properties: dict[str, Any] = {}
    if loc.file:
        properties["file"] = relative_to_checkout(loc.file)
        if loc.line:
            properties["line"] = loc.line
    properties["title"] = f"{finding.code} {finding.kind}"
    message = finding.message
    if loc.element_id:
        message = f"{message} ({loc.element_id})"
    if finding.advice:
        message = f"{message}\n{finding.advice}"
    return _command(COMMANDS[finding.severity.value], properties, message)


def _command(name: str, properties: dict[str, Any], message: str) -> str:
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items())
    return f"::{name} {props}::{escape_data(message)}" if props else f"::{name}::{escape_data(message)}"


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")
