"""``procmine audit``: the quarterly audit as one report, composed of the other commands' analyses.

Read the log (pseudonymised first when asked, so nothing downstream sees a real case id or name) and the
documented model; run the conformance check, the bottleneck and customer analysis, the log statistics of
``discover`` and the figures per period; build one Report; write report.html (self-contained) and
report.json, each atomically (``html_text`` gives the HTML for stdout). Never prints to stdout.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from procmine import __version__, progress
from procmine.errors import InputError
from procmine.findings import Report
from procmine.pipeline.outcome import Outcome, output_folder, over_threshold

if TYPE_CHECKING:
    from procmine.analyses.conformance import ConformanceResult
    from procmine.analyses.performance import PerformanceOptions
    from procmine.model.bpmn import BpmnModel
    from procmine.model.log import EventLog
    from procmine.pipeline.check import CheckOptions
    from procmine.renderers.html_view import HtmlExtras
    from procmine.sections.model import DocumentedModel

SAMPLE_MODEL = "complaints_documented.bpmn"
SAMPLE_LOG = "complaints.csv"
LIBRARIES = ("pm4py", "duckdb", "pandas", "highspy", "jinja2")


@dataclass(frozen=True)
class AuditOptions:
    performance: PerformanceOptions | None = None  # --sla, --max-sla-breach, segments... (bottlenecks)
    min_fitness: float | None = None
    fail_on: tuple[str, ...] = ()  # finding kinds (or "any") that make the run fail (exit 1)
    mapping: str | None = None  # --map FILE: model task name -> log activity
    process: str | None = None  # --process: the process of the model to check (default: best match)
    recent_period: str | None = None
    top_variants: int = 20
    precision: bool | None = None  # precision from the alignments (None: check's default, on)
    time_cap: float | None = None  # alignment limits (None: check's defaults)
    time_budget: float | None = None
    processes: int | None = None
    pseudonymize: bool = False
    pseudonymize_key: str | None = None
    previous: str | None = None  # --previous: the report.json of an earlier audit to compare with

    def to_parameters(self) -> dict[str, Any]:
        """The audit's own options; the conformance settings come from ``check``'s options as they were
        resolved (``_effective_limits``)."""
        perf = self.performance
        return {
            "sla": perf.sla.to_dict() if perf else None,
            "max_sla_breach": perf.max_sla_breach if perf else None,
            "fail_on": list(self.fail_on),
            "map": self.mapping,
            "process": self.process,
            "top_variants": self.top_variants,
            "pseudonymize": self.pseudonymize,
            "pseudonymize_keyed": bool(self.pseudonymize and self.pseudonymize_key),
            "previous": self.previous,
        }


def sample_inputs(cwd: Path | None = None) -> tuple[Path, Path]:
    """``sample_logs/`` under the working folder; elsewhere (an installed procmine) the sample is generated
    once into procmine's cache folder, so ``procmine audit`` works without a checkout."""
    folder = (cwd / "sample_logs") if cwd else Path("sample_logs")  # relative paths in the report
    model, log = folder / SAMPLE_MODEL, folder / SAMPLE_LOG
    if model.is_file() and log.is_file():
        return model, log
    cache = _cache_folder() / f"sample-{__version__}"
    model, log = cache / SAMPLE_MODEL, cache / SAMPLE_LOG
    if not (model.is_file() and log.is_file()):
        from procmine.samples import generate

        with progress.step(f"no sample_logs/ here: generating the sample into {cache}"):
            try:
                generate().write(cache)
            except OSError as exc:
                raise InputError(cache, f"cannot write the sample: {exc.strerror or exc}") from exc
    return model, log


def _cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "procmine"


def run(
    model_path: str | Path,
    log_path: str | Path,
    log_options: dict[str, Any],
    options: AuditOptions,
    output: str | Path | None = None,
) -> Outcome:
    """The audit; ``output``: the folder for report.html and report.json (None: write nothing, the
    HTML is in ``Outcome.html``)."""
    from procmine.io.previous_report import read_previous_report
    from procmine.pipeline.inputs import read_inputs, require_timestamps

    previous = read_previous_report(options.previous) if options.previous else None  # fail fast
    with output_folder(output) as out:
        model, log = read_inputs(model_path, log_path, {**log_options, "processes": options.processes})
        require_timestamps(log, "the audit")
        if options.pseudonymize:
            log = _pseudonymised(log, options)
        report, extras = build_report(log, model, Path(model_path), options)
        if previous is not None:
            from procmine.analyses.comparison import compare

            current = report.to_dict()
            report.sections["comparison"] = compare(current, previous, str(options.previous))
        html = html_text(report, extras)
        files = out.write(output_contents(report, html)) if out else {}
    return Outcome(report, files, over_threshold(report.findings, options.fail_on), html=html)


def _pseudonymised(log: EventLog, options: AuditOptions) -> EventLog:
    from procmine.analyses.pseudonymize import make_pseudonymizer, pseudonymize_log

    pseudonymizer = make_pseudonymizer(options.pseudonymize_key)
    if not pseudonymizer.keyed:
        progress.note(
            "pseudonymising with a random key for this report only (give --pseudonymize-key "
            "to keep pseudonyms stable across reports)"
        )
    return pseudonymize_log(log, pseudonymizer)


def build_report(
    log: EventLog, model: BpmnModel, model_path: Path, options: AuditOptions
) -> tuple[Report, HtmlExtras]:
    from procmine.analyses.case_groups import VariantKinds
    from procmine.analyses.performance import PerformanceOptions, analyse
    from procmine.analyses.periods import period_figures
    from procmine.analyses.statistics import log_sections
    from procmine.engine.db import connect
    from procmine.pipeline.inputs import log_section
    from procmine.renderers.html_view import HtmlExtras

    check_options = _check_options(options)
    model_block, conformance = _conformance(log, model, model_path, check_options)
    perf_options = options.performance or PerformanceOptions()
    with progress.step("measuring waits, service and throughput times"):
        performance = analyse(
            log,
            perf_options,
            model=model,
            deviations=VariantKinds(conformance.per_case.cases.batches, conformance.variant_kinds),
            names={m.task: m.activity for m in conformance.section.matching.matched},
            process_id=model_block.process_id,
        )
    con = connect(log)
    try:  # two steps side by side: nested, the outer one's line was printed twice around the inner one
        with progress.step("computing the directly-follows graph and variants"):
            sections = log_sections(con, options.top_variants)
        with progress.step("drawing the process map"):
            map_section, maps = _maps(con)
    finally:
        con.close()
    if map_section is not None:
        sections["map"] = map_section
    sections["performance"] = performance.performance
    sections["customer"] = performance.customer
    sections["waits"] = performance.waits
    sections["conformance"] = conformance.section
    sla = perf_options.sla.case if perf_options.sla else None
    with progress.step("figures per quarter and month"):
        sections["periods"] = period_figures(log, sla_seconds=sla, case_fitness=conformance.per_case)
    findings = [*conformance.findings, *performance.findings]
    report = Report(
        command="audit",
        parameters={**options.to_parameters(), **_effective_limits(check_options)},
        log=log_section(log),
        model=dataclasses.replace(model_block, has_layout=model.has_di),
        sections=sections,
        findings=findings,
    )
    return report, HtmlExtras(model=model, maps=maps, versions=_versions())


def _check_options(options: AuditOptions) -> CheckOptions:
    """``procmine check``'s options as the audit runs them: the command line over ``[tool.procmine.check]``
    over check's defaults."""
    from procmine.pipeline import check

    return check.build_options(
        min_fitness=options.min_fitness,
        recent_period=options.recent_period,
        mapping=options.mapping,
        process=options.process,
        precision=options.precision,
        time_cap=options.time_cap,
        time_budget=options.time_budget,
        processes=options.processes,
    )


def _effective_limits(check_options: CheckOptions) -> dict[str, Any]:
    """The conformance settings the audit ran with, defaults and configuration included, so that the report
    records the run's values rather than "not given"."""
    return {
        "min_fitness": check_options.min_fitness,
        "precision": check_options.precision,
        "recent_period": check_options.recent_period,
        "time_cap": check_options.time_cap,
        "time_budget": check_options.time_budget,
    }


def _conformance(
    log: EventLog, model: BpmnModel, model_path: Path, check_options: CheckOptions
) -> tuple[DocumentedModel, ConformanceResult]:
    """``procmine check`` (its glue) on the log already read here, so that a pseudonymised log is what gets
    checked."""
    from procmine.pipeline import check

    return check.conform(model, model_path, log, check_options)


def _maps(con: Any) -> tuple[Any, list[Any]]:
    """The map section (the default detail) and the report's maps: frequency and performance views, at
    the levels of detail that fit the page (left to right; the last may be top to bottom)."""
    from procmine.analyses.process_map import MapDetail, build_map
    from procmine.renderers.process_map import report_maps

    section = build_map(con)
    if not section.activities:
        return None, []
    levels = report_maps(section, lambda a, p: build_map(con, MapDetail(max_activities=a, max_paths=p)))
    return section, levels


def _versions() -> dict[str, str]:
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return out


def html_text(report: Report, extras: HtmlExtras) -> str:
    """The self-contained HTML report of the published report, with the overlay of its figures on the
    documented model's diagram."""
    from procmine.analyses.overlay import model_overlay
    from procmine.renderers.html_report import render

    with progress.step("rendering the HTML report"):
        published = report.published()
        if extras.model is not None:
            extras = dataclasses.replace(extras, overlay=model_overlay(published, extras.model))
        return render(published, extras)


def output_contents(report: Report, html: str) -> dict[str, str]:
    from procmine.renderers import render

    return {"report.html": html, "report.json": render(report, "json")}
