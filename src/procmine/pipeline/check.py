"""``procmine check MODEL LOG``: read both, pick the process, match names, check conformance, build the
Report, and write the output files when asked (each atomically). Never prints to stdout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from procmine import progress
from procmine.config import Config, load_config, seconds, share, whole_number
from procmine.findings import Report
from procmine.io.output import csv_rows_text, spreadsheet_cell
from procmine.pipeline.inputs import log_section, old_objects_left_alone, read_inputs
from procmine.pipeline.outcome import Outcome, output_folder, over_threshold, parse_fail_on
from procmine.sections.model import DocumentedModel, ModelWarning, NetSize, OtherProcesses, ProcessCandidate

if TYPE_CHECKING:
    from collections.abc import Iterator

    from procmine.analyses.conformance import ConformanceResult
    from procmine.model.bpmn import BpmnModel
    from procmine.model.log import EventLog

CONFIG_KEYS = frozenset(
    {
        "min_fitness",
        "max_skip_share",
        "max_order_share",
        "recent_period",
        "fail_on",
        "time_cap",
        "time_budget",
        "processes",
        "precision",
        "map",
        "process",
    }
)
OUTPUT_FILES = ("report.json", "case_fitness.csv", "summary.md")
# imported while the log is read (``warm_imports.expect``): what ``conform`` needs once it is read
CONFORMANCE_MODULES = (
    "procmine.analyses.conformance",
    "procmine.analyses.model_net",
    "procmine.petri.translate",
    "procmine.adapter.alignments",
    "procmine.analyses.precision",
    "procmine.adapter.alongside",
)
DEFAULT_TIME_BUDGET = 600.0  # seconds for all alignments of a check (--time-budget)


@dataclass(frozen=True)
class CheckOptions:
    min_fitness: float | None = None
    max_skip_share: float = 0.05
    max_order_share: float = 0.05
    recent_period: str | None = None
    fail_on: tuple[str, ...] = ()  # finding kinds (or "any") that make the exit code 1
    time_cap: float | None = 10.0  # seconds per variant
    time_budget: float | None = DEFAULT_TIME_BUDGET  # seconds for all alignments
    processes: int | None = None
    precision: bool = True
    mapping: str | None = None  # path of the --map CSV
    process: str | None = None

    def to_parameters(self) -> dict[str, Any]:
        return {
            "min_fitness": self.min_fitness,
            "max_skip_share": self.max_skip_share,
            "max_order_share": self.max_order_share,
            "recent_period": self.recent_period,
            "fail_on": list(self.fail_on),
            "time_cap": self.time_cap,
            "time_budget": self.time_budget,
            "precision": self.precision,
            "map": self.mapping,
            "process": self.process,
        }


def build_options(config: Config | None = None, **given: Any) -> CheckOptions:
    """Command-line values (None: not given) over ``[tool.procmine.check]`` over the defaults."""
    table = (config or load_config()).section("check", CONFIG_KEYS)
    given = {("map" if k == "mapping" else k): v for k, v in given.items()}
    value = {k: given[k] if given.get(k) not in (None, ()) else table.get(k) for k in CONFIG_KEYS}
    fail_on = parse_fail_on(value["fail_on"])
    processes = value["processes"]
    if processes is not None:
        whole_number("--processes", processes, 1)
    time_cap = seconds("--time-cap", value["time_cap"], 10.0)
    time_budget = seconds("--time-budget", value["time_budget"], DEFAULT_TIME_BUDGET)
    return CheckOptions(
        min_fitness=share("--min-fitness", value["min_fitness"]),
        max_skip_share=share("--max-skip-share", value["max_skip_share"], 0.05),
        max_order_share=share("--max-order-share", value["max_order_share"], 0.05),
        recent_period=value["recent_period"],
        fail_on=fail_on,
        time_cap=time_cap,
        time_budget=time_budget,
        processes=processes,
        precision=bool(value["precision"]) if value["precision"] is not None else True,
        mapping=value["map"],
        process=value["process"],
    )


def run(
    model_path: str | Path,
    log_path: str | Path,
    log_options: dict[str, Any],
    options: CheckOptions,
    output: str | Path | None = None,
) -> Outcome:
    """The check; ``output``: the folder for report.json, case_fitness.csv and summary.md (None: none)."""
    from procmine.io import warm_imports

    warm_imports.expect(*CONFORMANCE_MODULES)
    with output_folder(output) as out, old_objects_left_alone() as inputs_read:
        model, log = read_inputs(model_path, log_path, {**log_options, "processes": options.processes})
        inputs_read()
        model_block, result = conform(model, model_path, log, options)
        report = Report(
            command="check",
            parameters=options.to_parameters(),
            log=log_section(log),
            model=model_block,
            sections={"conformance": result.section},
            findings=result.findings,
        )
        files = out.write(output_contents(report, result.per_case)) if out else {}
    return Outcome(report, files, over_threshold(report.findings, options.fail_on))


def conform(
    model: BpmnModel, model_path: str | Path, log: EventLog, options: CheckOptions
) -> tuple[DocumentedModel, ConformanceResult]:
    """The check on a model and a log already read (the audit passes its pseudonymised log): pick the
    process, match names, check conformance. Returns the report's ``model`` block and the result, whose
    ``case_deviations()`` maps each case id to its deviation kinds (empty: conforming)."""
    from procmine.analyses.conformance import check_conformance
    from procmine.analyses.drift import log_period
    from procmine.analyses.log_side import LogSide
    from procmine.analyses.model_net import netspec_from_translation

    period = log_period(log, options.recent_period)  # (a bad value fails early)
    if not log.has_timestamps and options.recent_period:
        progress.warn("--recent-period needs timestamps and the log has none: no step is judged outdated")
    log_side = LogSide(log, period)  # its variants, pending facts and times, counted while the model is read
    try:
        activities = log.activity_names()
        choice, elsewhere = _chosen_process(model, model_path, activities, options.process)
        translation, set_aside = choice.translation, 0
        if elsewhere:  # the events checked are fewer: their side is counted again
            log_side.join()
            log, set_aside = _without_other_pools(log, elsewhere)
            log_side = LogSide(log, log_period(log, options.recent_period))
        activities -= set(elsewhere)
        net, matching, side = _model_side(model, model_path, translation, activities, options.mapping)
        result = check_conformance(log, net, side, matching, _conformance_options(options), log_side)
    finally:
        log_side.join()
    block = _model_block(model_path, model, translation, choice, netspec_from_translation(translation), net)
    if elsewhere:
        block.other_processes = OtherProcesses(activities=elsewhere, events_set_aside=set_aside)
    return block, result


def _chosen_process(
    model: BpmnModel, model_path: str | Path, activities: set[str], process: str | None
) -> tuple[Any, dict[str, str]]:
    """The process checked (refused when its references are broken: exit 2, not a fitness), and the log's
    activities another pool of the model documents."""
    from procmine.analyses.model_net import choose_process, other_process_activities, refuse_broken_references

    choice = choose_process(model, activities, process)
    translation = choice.translation
    refuse_broken_references(model, translation.process_id, model_path)
    if choice.how == "best match with the log":
        progress.note(
            f"checking process {translation.process_name!r} (best match of "
            f"{len(choice.candidates)} processes; pick another with --process)"
        )
    return choice, other_process_activities(choice, activities)


def _model_side(
    model: BpmnModel, model_path: str | Path, translation: Any, activities: set[str], mapping: str | None
) -> tuple[Any, Any, Any]:
    """The net checked (the translation reduced), its tasks matched with the log's activities, and where
    they are in the file."""
    from procmine.analyses.conformance import ModelSide
    from procmine.analyses.matching import match_names
    from procmine.analyses.model_net import choice_places, netspec_from_translation, task_places
    from procmine.petri.translate import lean

    net = netspec_from_translation(lean(translation))
    matching = match_names(net.labels, activities, _read_mapping(mapping), mapping)
    for w in translation.warnings:
        progress.warn(f"{model_path}: {w.element_type} {w.element_id}: {w.message}")
    places = task_places(model, net)
    side = ModelSide(str(model_path), places, list(translation.warnings), choice_places(model, places))
    return net, matching, side


def _conformance_options(options: CheckOptions) -> Any:
    from procmine.analyses.conformance import ConformanceOptions

    return ConformanceOptions(
        min_fitness=options.min_fitness,
        max_skip_share=options.max_skip_share,
        max_order_share=options.max_order_share,
        recent_period=options.recent_period,
        time_cap=options.time_cap,
        time_budget=options.time_budget,
        processes=options.processes,
        precision=options.precision,
    )


def _without_other_pools(log: EventLog, elsewhere: dict[str, str]) -> tuple[EventLog, int]:
    """The log without the events of activities another pool documents (counted, and said on stderr)."""
    log, set_aside = log.without_activities(set(elsewhere))
    pools = sorted(set(elsewhere.values()))
    progress.note(
        f"{set_aside:,} event(s) of {len(elsewhere)} activity(ies) documented in "
        + ", ".join(repr(p) for p in pools)
        + " are set aside for this process (check that pool with --process)"
    )
    return log, set_aside


def _read_mapping(path: str | None) -> dict[str, str]:
    """The --map CSV (model task name, log activity name), or no pairs without one."""
    from procmine.analyses.matching import parse_mapping
    from procmine.io.input_files import read_text

    if not path:
        return {}
    return parse_mapping(read_text(path, "a mapping CSV"), path)


def _net_size(net: Any) -> dict[str, int]:
    return {
        "places": len(net.places),
        "transitions": len(net.transitions),
        "silent_transitions": sum(1 for t in net.transitions if t.label is None),
    }


def _model_block(
    path: str | Path, model: Any, translation: Any, choice: Any, full: Any, net: Any
) -> DocumentedModel:
    """``full``: the translated net; ``net``: the same after the language-preserving reductions."""
    return DocumentedModel(
        path=str(path),
        origin="documented",
        process_id=translation.process_id,
        process_name=translation.process_name,
        selected_by=choice.how,
        processes=[ProcessCandidate.from_dict(c) for c in choice.candidates],
        tasks=len(net.labels),
        net=NetSize.from_dict(
            {**_net_size(net), "completion": translation.completion, "translated": _net_size(full)}
        ),
        exporter=model.exporter,
        warnings=[
            ModelWarning(element_id=w.element_id, element_type=w.element_type, line=w.line, message=w.message)
            for w in translation.warnings
        ],
    )


def output_contents(report: Report, per_case: Any) -> dict[str, Any]:
    from procmine.renderers import render_published

    published = report.published()
    return {
        "report.json": render_published(published, "json"),
        "case_fitness.csv": case_fitness_csv(per_case),
        "summary.md": render_published(published, "markdown"),
    }


def case_fitness_csv(per_case: Any) -> Iterator[bytes]:
    """case_fitness.csv, one line per case, written a batch of cases at a time as the engine hands them
    over (a log of millions of cases never becomes one table in Python)."""
    header = [c for c in per_case.COLUMNS if c != "variant"]
    fitness = per_case.fitness.round(4).tolist()  # NaN (an empty cell) for a variant not aligned
    # a case's figures are its variant's: made ready for a spreadsheet once per variant
    figures = [
        tuple(map(spreadsheet_cell, row))
        for row in zip(fitness, per_case.deviations, per_case.method, strict=True)
    ]
    written_as = {cells: csv_rows_text([cells]) for cells in set(figures)}  # and written as CSV once
    tails = [written_as[cells] for cells in figures]
    written = False
    for batch in per_case.cases.batches():
        head = "" if written else csv_rows_text([], header)
        lines = "".join(_case_line(str(case), figures[v], tails[v]) for case, v in batch)
        yield (head + lines).encode("utf-8")
        written = True
    if not written:
        yield csv_rows_text([], header).encode("utf-8")


_QUOTED = re.compile('[,"\r\n]')  # a cell holding one of these is quoted by the CSV writer


def _case_line(case: str, figures: tuple, tail: str) -> str:
    """A case's line of case_fitness.csv: its id (ids can be formulas: neutralised) before its variant's
    figures, already written (``tail``); an id the CSV writer would quote goes through the writer."""
    cell = spreadsheet_cell(case)
    if cell and not _QUOTED.search(cell):
        return f"{cell},{tail}"
    return csv_rows_text([(cell, *figures)])
