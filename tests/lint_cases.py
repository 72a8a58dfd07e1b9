"""The lint rules' case files: ``tests/fixtures/lint/<rule>/cases.toml``.

Each case is a small BPMN model and exactly what the rule reports on it, as ``[element id, message]``
pairs (an empty ``report`` is a model the rule must leave alone)::

    [[case]]
    name = "a task forks into two unconditional flows"
    process = '''
    <startEvent id="Start" /> ...
    '''
    report = [["Task_A", 'task "Check order" splits implicitly into 2 parallel flows']]

The model is given as ``process`` (the content of one process, ``Process_1``), ``definitions`` (the content
of ``<definitions>``: several processes, collaborations, diagrams) or ``file`` (a file beside the case
file, such as the incorrect and correct examples the rule's docs page shows). Where bpmnlint's rule of the
same name reports other elements, ``bpmnlint`` says why (``tests/test_lint_cases_bpmnlint.py``).
"""

from __future__ import annotations

import re
import textwrap
import tomllib
from dataclasses import dataclass
from pathlib import Path

CASES = Path(__file__).parent / "fixtures" / "lint"

NAMESPACES = (
    'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:di="http://www.omg.org/spec/DD/20100524/DI"'
)
HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<definitions {NAMESPACES} id="Definitions_1" targetNamespace="https://procmine.dev/lint-cases">\n'
PROCESS = '  <process id="Process_1" name="Case" isExecutable="false">\n{}  </process>\n'
TAIL = "</definitions>\n"
KEYS = {"name", "process", "definitions", "file", "report", "bpmnlint"}


@dataclass(frozen=True)
class Case:
    rule: str
    name: str
    source: str  # the whole BPMN document
    report: tuple[tuple[str, str], ...]  # (element id, message), in no particular order
    file: str | None = None  # the file beside the case file the model comes from, if any
    bpmnlint: str | None = None  # why bpmnlint's rule of the same name reports other elements, if it does

    @property
    def id(self) -> str:
        return f"{self.rule}:{re.sub(r'[^a-z0-9]+', '-', self.name.lower()).strip('-')}"


def rules_with_cases() -> list[str]:
    return sorted(p.parent.name for p in CASES.glob("*/cases.toml"))


def load(rule: str) -> list[Case]:
    folder = CASES / rule
    data = tomllib.loads((folder / "cases.toml").read_text("utf-8"))
    unknown = set(data) - {"case"}
    if unknown:
        raise ValueError(f"{rule}/cases.toml: unknown top-level keys {sorted(unknown)}")
    return [_case(rule, folder, entry) for entry in data["case"]]


def all_cases() -> list[Case]:
    return [case for rule in rules_with_cases() for case in load(rule)]


def _case(rule: str, folder: Path, entry: dict) -> Case:
    where = f"{rule}/cases.toml, case {entry.get('name')!r}"
    if set(entry) - KEYS or "name" not in entry or "report" not in entry:
        raise ValueError(f"{where}: keys are name, report, one of process/definitions/file, and bpmnlint")
    given = [key for key in ("process", "definitions", "file") if key in entry]
    if len(given) != 1:
        raise ValueError(f"{where}: give exactly one of process, definitions, file")
    if "file" in entry:
        source = (folder / entry["file"]).read_text("utf-8")
    elif "process" in entry:
        source = HEAD + PROCESS.format(_indent(entry["process"], 4)) + TAIL
    else:
        source = HEAD + _indent(entry["definitions"], 2) + TAIL
    report = tuple((str(element_id), str(message)) for element_id, message in entry["report"])
    return Case(rule, entry["name"], source, report, entry.get("file"), entry.get("bpmnlint"))


def _indent(text: str, spaces: int) -> str:
    lines = textwrap.dedent(text).strip("\n").splitlines()
    return "".join(" " * spaces + line + "\n" if line.strip() else "\n" for line in lines)
