"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request's diff.

``::error file=F,line=L,title=T::message`` for errors, ``::warning`` and ``::notice`` for the rest. Values are
escaped as the runner expects (``%``, CR and LF in the message; additionally ``:`` and ``,`` in properties),
so a label with a comma or a line break cannot break the command or inject another one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from procmine.findings import Report

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def render(report: Report) -> str:
    data = report.to_dict()
    lines = [_annotation(f) for f in data["findings"]]
    for u in (data.get("lint") or {}).get("unreadable") or []:
        lines.append(_command("error", {"file": u["file"], "title": "procmine: unreadable file"}, u["cause"]))
    return "".join(line + "\n" for line in lines)


def _annotation(finding: dict[str, Any]) -> str:
    properties: dict[str, Any] = {}
    if finding.get("file"):
        properties["file"] = finding["file"]
        if finding.get("line"):
            properties["line"] = finding["line"]
    properties["title"] = f"{finding['code']} {finding['kind']}"
    message = finding["message"]
    if finding.get("element_id"):
        message = f"{message} ({finding['element_id']})"
    if finding.get("advice"):
        message = f"{message}\n{finding['advice']}"
    return _command(COMMANDS[finding["severity"]], properties, message)


def _command(name: str, properties: dict[str, Any], message: str) -> str:
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items())
    return f"::{name} {props}::{escape_data(message)}" if props else f"::{name}::{escape_data(message)}"


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")
