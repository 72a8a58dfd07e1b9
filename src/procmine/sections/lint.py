"""The ``lint`` section (``procmine lint``): the preset, the files linted with soundness verdicts per
process, the files that could not be read, and the rules applied."""

from __future__ import annotations

from dataclasses import dataclass

from procmine.sections.base import Section, doc


@dataclass(kw_only=True)
class Soundness(Section):
    states: int = doc("Markings explored.")
    complete: bool = doc("Whether the exploration finished within --state-limit.")
    truncated: int = doc("Markings cut off as unbounded.")
    sound: bool = doc("Whether the process is sound (decided, and no problem found).")
    problems: dict[str, int] = doc("Problems found, by kind (dead, deadlock, livelock, unsafe...).")


@dataclass(kw_only=True)
class LintedFile(Section):
    file: str = doc("The model file, as named.")
    processes: int = doc("Its processes.")
    nodes: int = doc("Its flow nodes.")
    flows: int = doc("Its sequence flows.")
    findings: int = doc("Findings in it.")
    by_severity: dict[str, int] = doc("Findings by severity.")
    suppressed: int = doc("Findings suppressed by the configuration.")
    soundness: dict[str, Soundness] = doc("Process id -> the soundness verdict of its Petri net.")


@dataclass(kw_only=True)
class UnreadableFile(Section):
    file: str = doc("A path given that could not be linted.")
    cause: str = doc("Why, in one line.")


@dataclass(kw_only=True)
class AppliedRule(Section):
    code: str = doc("The rule's code (L...).")
    name: str = doc("Its name (bpmnlint style).")
    preset: str = doc("The smallest preset that has it.")
    default_severity: str | None = doc(
        "Its severity when no preset says otherwise.", default=None, omit_none=True
    )
    description: str = doc("What it checks.")
    docs: str = doc("Its documentation page.")
    severity: str = doc("The severity it had in this run.")


@dataclass(kw_only=True)
class LintSection(Section):
    NAME = "lint"

    preset: str = doc("The preset: correctness, recommended or all.")
    files: list[LintedFile] = doc("The files linted, by name.")
    unreadable: list[UnreadableFile] = doc("The files that could not be read, by name.")
    rules: list[AppliedRule] = doc("The rules applied.")
    suppressed: int = doc("Findings suppressed by the configuration, over all files.")
