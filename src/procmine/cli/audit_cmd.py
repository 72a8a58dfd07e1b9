"""``procmine audit MODEL LOG -o reports/NAME``: the quarterly audit as one self-contained HTML report.

Without arguments (or with ``--sample``) it audits the bundled complaints sample. The report folder is
written for the human and json formats (default ``reports/<log name>/audit``); ``--format html`` prints the
HTML on stdout and writes the folder only with ``-o``. Exit code 1 when a
``--fail-on`` finding kind appears, fitness is below ``--min-fitness``, or the SLA breach rate is above
``--max-sla-breach``; 2 for unreadable input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from procmine import progress
from procmine.cli.options import (
    ConformanceArgs,
    PerformanceArgs,
    conformance_options,
    format_option,
    input_file,
    log_options,
    output_option,
    performance_options,
    top_variants_option,
)
from procmine.cli.outcome import finish


@click.command()
@click.argument("model", metavar="[MODEL.bpmn]", required=False)
@click.argument("log", metavar="[LOG]", required=False)
@click.option(
    "--sample", is_flag=True, help="Audit the bundled sample (sample_logs/); the default without MODEL."
)
@log_options
@conformance_options
@performance_options
@top_variants_option
@click.option(
    "--pseudonymize", is_flag=True, help="Replace case ids and resource names by stable pseudonyms."
)
@click.option(
    "--pseudonymize-key",
    metavar="KEY",
    envvar="PROCMINE_PSEUDONYMIZE_KEY",
    help="Secret key for the pseudonyms (same key: same pseudonyms in every report). Implies --pseudonymize.",
)
@click.option(
    "--previous",
    metavar="REPORT.json",
    callback=input_file,
    help="The report.json (or its folder) of an earlier audit, e.g. last quarter's: the scorecard shows the "
    "change against it, and findings are marked new, persisting or resolved.",
)
@format_option("human", "json", "html")
@output_option(default="reports/<log name>/audit")
def audit(
    model: str | None,
    log: str | None,
    sample: bool,
    read: dict[str, Any],
    conformance: ConformanceArgs,
    performance: PerformanceArgs,
    top_variants: int | None,
    pseudonymize: bool,
    pseudonymize_key: str | None,
    previous: str | None,
    fmt: str,
    output: str | None,
) -> int:
    """Write the audit report of the documented MODEL (BPMN) against the event LOG: report.html (one
    self-contained file) and report.json in the output folder.

    Prints a short summary on stdout (--format json: the report JSON; --format html: the HTML itself,
    for piping, and the folder is then written only with -o).

    \b
    procmine audit                                   # the bundled sample, into reports/complaints/audit
    procmine audit model.bpmn log.csv -o reports/q3 --sla 5d
    procmine audit model.bpmn log.csv --format json | jq '.findings[].message'
    """
    from procmine.pipeline.audit import AuditOptions, run, sample_inputs
    from procmine.pipeline.inputs import default_output
    from procmine.pipeline.outcome import parse_fail_on
    from procmine.renderers import render

    model_path, log_path = _inputs(model, log, sample, sample_inputs)
    options = AuditOptions(
        performance=performance.options(),
        min_fitness=conformance.min_fitness,
        fail_on=parse_fail_on(conformance.fail_on),
        mapping=conformance.mapping,
        process=conformance.process,
        recent_period=conformance.recent_period,
        top_variants=20 if top_variants is None else top_variants,
        precision=conformance.precision,
        time_cap=conformance.time_cap,
        time_budget=conformance.time_budget,
        processes=conformance.processes,
        pseudonymize=bool(pseudonymize or pseudonymize_key),
        pseudonymize_key=pseudonymize_key,
        previous=previous,
    )
    folder = Path(output) if output else default_output(log_path, "audit")
    outcome = run(model_path, log_path, read, options, folder if (fmt != "html" or output) else None)
    click.echo(outcome.html if fmt == "html" else render(outcome.report, fmt), nl=False)
    if outcome.files:
        html = outcome.files["report.html"]
        progress.note(
            f"report written to {html} (open it in a browser); figures in {outcome.files['report.json']}"
        )
    return finish(outcome)


def _inputs(model: str | None, log: str | None, sample: bool, sample_inputs: Any) -> tuple[Path, Path]:
    """MODEL and LOG, or the bundled sample (--sample, or neither given)."""
    if sample or (model is None and log is None):
        if model is not None or log is not None:
            raise click.UsageError("give either --sample or MODEL and LOG, not both")
        model_path, log_path = sample_inputs()
        progress.note(f"auditing the sample: {model_path} against {log_path}")
        return model_path, log_path
    if model is None or log is None:
        raise click.UsageError("give the documented MODEL (.bpmn) and the event LOG, or --sample")
    return Path(model), Path(log)
