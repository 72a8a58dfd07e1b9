"""``procmine audit MODEL LOG -o reports/NAME``: the quarterly audit as one self-contained HTML report.

Without arguments (or with ``--sample``) it audits the bundled complaints sample. The report folder is
written for the human and json formats (default ``reports/<log name>``); ``--format html`` prints the HTML
on stdout and writes the folder only with ``-o``. Exit code 1 when a
``--fail-on`` finding kind appears, fitness is below ``--min-fitness``, or the SLA breach rate is above
``--max-sla-breach``; 2 for unreadable input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from procmine import progress
from procmine.cli.options import (
    conformance_options,
    format_option,
    log_options,
    output_option,
    performance_options,
    pop_log_options,
    pop_performance_options,
    precision_option,
    top_variants_option,
)
from procmine.errors import ExitCode, InputError


@click.command()
@click.argument("model", metavar="[MODEL.bpmn]", required=False)
@click.argument("log", metavar="[LOG]", required=False)
@click.option(
    "--sample", is_flag=True, help="Audit the bundled sample (sample_logs/); the default without MODEL."
)
@log_options
@conformance_options
@precision_option(default=False)
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
    help="The report.json (or its folder) of an earlier audit, e.g. last quarter's: the scorecard shows the "
    "change against it, and findings are marked new, persisting or resolved.",
)
@format_option("human", "json", "html")
@output_option(default="reports/<log name>")
def audit(model: str | None, log: str | None, sample: bool, **kwargs: object) -> int:
    """Write the audit report of the documented MODEL (BPMN) against the event LOG: report.html (one
    self-contained file) and report.json in the output folder.

    Prints a short summary on stdout (--format json: the report JSON; --format html: the HTML itself,
    for piping, and the folder is then written only with -o).

    \b
    procmine audit                                   # the bundled sample, into reports/complaints
    procmine audit model.bpmn log.csv -o reports/q3 --sla 5d
    procmine audit model.bpmn log.csv --format json | jq '.findings[].message'
    """
    from procmine.pipeline.audit import AuditOptions, check_fail_on, html_text, run, sample_inputs
    from procmine.pipeline.bottlenecks import build_options

    read = pop_log_options(kwargs)
    if sample or (model is None and log is None):
        if model is not None or log is not None:
            raise click.UsageError("give either --sample or MODEL and LOG, not both")
        model_path, log_path = sample_inputs()
        progress.note(f"auditing the sample: {model_path} against {log_path}")
    elif model is None or log is None:
        raise click.UsageError("give the documented MODEL (.bpmn) and the event LOG, or --sample")
    else:
        model_path, log_path = Path(model), Path(log)
    performance = build_options(**pop_performance_options(kwargs))
    key = kwargs["pseudonymize_key"]
    top_variants = kwargs["top_variants"]
    options = AuditOptions(
        performance=performance,
        min_fitness=kwargs["min_fitness"],  # type: ignore[arg-type]
        fail_on=check_fail_on(tuple(kwargs["fail_on"])),  # type: ignore[arg-type]
        mapping=kwargs["mapping"],  # type: ignore[arg-type]
        process=kwargs["process"],  # type: ignore[arg-type]
        recent_period=kwargs["recent_period"],  # type: ignore[arg-type]
        top_variants=20 if top_variants is None else int(top_variants),  # type: ignore[call-overload]
        precision=bool(kwargs["precision"]),
        pseudonymize=bool(kwargs["pseudonymize"] or key),
        pseudonymize_key=key,  # type: ignore[arg-type]
        previous=kwargs["previous"],  # type: ignore[arg-type]
    )
    fmt = str(kwargs["fmt"])
    output = kwargs["output"]
    folder = Path(str(output)) if output else Path("reports") / _stem(log_path)
    result = run(model_path, log_path, read, options, folder if (fmt != "html" or output) else None)
    if fmt == "html":
        click.echo(html_text(result), nl=False)
    elif fmt == "json":
        from procmine.renderers import render

        click.echo(render(result.report, "json"), nl=False)
    else:
        click.echo(summary(result.report.to_dict()), nl=False)
    if result.files:
        html = result.files["report.html"]
        progress.note(
            f"report written to {html} (open it in a browser); figures in {result.files['report.json']}"
        )
    for reason in result.failed:
        progress.warn(f"failing: {reason}")
    breached = any(f.kind == "sla_breach" for f in result.report.findings)
    return ExitCode.FINDINGS if result.failed or breached else ExitCode.OK


def summary(data: dict[str, Any]) -> str:
    """The human format: the headline figures and the warnings and errors; the rest is in the report."""
    from procmine.renderers.terminal.performance import duration

    log, conf, model = data.get("log") or {}, data.get("conformance") or {}, data.get("model") or {}
    span = f"{str(log.get('first_timestamp'))[:10]} .. {str(log.get('last_timestamp'))[:10]}"
    out = [
        f"Audit      {log.get('path')} against {model.get('path')} ({model.get('process_name') or 'model'})",
        f"Cases      {log.get('cases', 0):,} ({span}), {conf.get('variants', 0):,} variants",
    ]
    if conf.get("fitness") is not None:
        out.append(
            f"Fitness    {conf['fitness']:.3f}; {conf.get('fitting_share', 0):.0%} of cases follow the "
            "documented process exactly"
        )
    through = (data.get("performance") or {}).get("throughput") or {}
    if through.get("median") is not None:
        out.append(f"Throughput median {duration(through['median'])}, p90 {duration(through.get('p90'))}")
    out.extend(_comparison_lines(data.get("comparison")))
    findings = [f for f in data.get("findings") or [] if f.get("severity") != "info"]
    notes = len(data.get("findings") or []) - len(findings)
    out.append("")
    out.append(
        f"Findings   {len(findings)} warnings and errors"
        + (f" ({notes} notes in the report)" if notes else "")
    )
    for f in findings:
        out.append(f"  {f['severity']:<7} {f['code']} {f['message']} [{f['kind']}]")
    return "\n".join(out) + "\n"


def _comparison_lines(comparison: dict[str, Any] | None) -> list[str]:
    if not comparison:
        return []
    fit = comparison["figures"]["fitness"]
    then = comparison["previous"]
    span = f"{str(then.get('first_timestamp'))[:10]} .. {str(then.get('last_timestamp'))[:10]}"
    change = (
        f"fitness {fit['previous']:.3f} -> {fit['current']:.3f}; "
        if fit.get("previous") is not None and fit.get("current") is not None
        else ""
    )
    f = comparison["findings"]
    return [
        f"Previous   {then['path']} ({span}): {change}{len(f['new'])} new findings, "
        f"{len(f['persisting'])} persisting, {len(f['resolved'])} resolved"
    ]


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".gz", ".csv", ".xes", ".parquet"):
        name = name.removesuffix(suffix)
    if not name:
        raise InputError(path, "cannot name the report folder after this file; give -o FOLDER")
    return name
