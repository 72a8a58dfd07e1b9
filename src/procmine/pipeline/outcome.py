"""The one contract every command's pipeline keeps: it returns an ``Outcome``; ``exit_code`` decides.

``Outcome(report, files, failing)``: the typed report, the files written (name -> path), and the findings
over a threshold. ``over_threshold`` is the one rule for which findings those are (errors always;
``--fail-on`` kinds, or ``any`` warning; warnings past ``--max-warnings``), ``parse_fail_on`` the one
validation of ``--fail-on`` (the kinds of ``procmine.catalogue``), and ``output_folder`` the one way a
command's files are written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from procmine import catalogue
from procmine.errors import ExitCode, InputError
from procmine.findings import Finding, Report, Severity

if TYPE_CHECKING:
    from procmine.io.output import OutputFolder


@dataclass
class Outcome:
    """What a command's pipeline hands the CLI.

    ``failing``: the findings over a threshold (exit code 1); ``unreadable``: inputs that could not be
    read while the others were still used (``lint`` of several files; exit code 2), as one line each;
    ``html``: the rendered HTML report when the command produces one (``audit``)."""

    report: Report
    files: dict[str, Path] = field(default_factory=dict)
    failing: list[Finding] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    html: str | None = None

    def failing_kinds(self) -> list[str]:
        return sorted({f.kind for f in self.failing})


def exit_code(outcome: Outcome) -> ExitCode:
    """2 when an input could not be read, 1 when findings are over a threshold, else 0."""
    if outcome.unreadable:
        return ExitCode.USAGE
    if outcome.failing:
        return ExitCode.FINDINGS
    return ExitCode.OK


def over_threshold(
    findings: Iterable[Finding], fail_on: Iterable[str] = (), max_warnings: int | None = None
) -> list[Finding]:
    """The findings that fail a run: every error (low fitness under --min-fitness, an SLA breach rate over
    --max-sla-breach, a lint error); findings of a kind named in ``fail_on`` (``any``: every warning); and
    all warnings when there are more than ``max_warnings``."""
    findings = list(findings)
    wanted = set(fail_on)
    warnings = [f for f in findings if f.severity == Severity.WARNING]
    too_many = max_warnings is not None and len(warnings) > max_warnings
    return [
        f
        for f in findings
        if f.severity == Severity.ERROR
        or f.kind in wanted
        or (f.severity == Severity.WARNING and (catalogue.ANY in wanted or too_many))
    ]


def parse_fail_on(values: str | Iterable[str] | None) -> tuple[str, ...]:
    """``--fail-on`` (or ``fail_on`` in the configuration): kinds, comma-separated or repeated, sorted and
    each once; a kind not in the catalogue is a usage error."""
    if values is None:
        return ()
    items = [values] if isinstance(values, str) else list(values)
    kinds = sorted({k.strip() for item in items for k in str(item).split(",") if k.strip()})
    known = catalogue.fail_on_choices()
    for kind in kinds:
        if kind not in known:
            raise InputError("--fail-on", f"unknown kind {kind!r} (kinds: {', '.join(known)})")
    return tuple(kinds)


@contextmanager
def output_folder(folder: str | Path | None) -> Iterator[OutputFolder | None]:
    """The one way a pipeline writes its files: ``with output_folder(folder) as out: ...;
    files = out.write({...}) if out else {}``. None: the run writes no files. Opened before the run's
    work: an unwritable or busy folder fails first; ``write`` puts the files in place as one unit."""
    from procmine.io.output import OutputFolder

    if folder is None:
        yield None
        return
    with OutputFolder(folder) as out:
        yield out


def write_files(folder: str | Path, contents: Mapping[str, str | bytes]) -> dict[str, Path]:
    """Open ``folder`` and write ``contents`` into it at once (for a run that has nothing left to fail)."""
    with output_folder(folder) as out:
        assert out is not None
        return out.write(contents)
