"""``procmine lint`` and ``procmine rules``: static checks of BPMN model files, for CI and pre-commit."""

from __future__ import annotations

import click

from procmine.cli.options import format_option, input_file, limit_option
from procmine.cli.outcome import finish
from procmine.errors import ExitCode, InputError

LINT_FORMATS = ("human", "json", "sarif", "junit", "github")


@click.command()
@click.argument("paths", nargs=-1, metavar="FILES...")
@format_option(*LINT_FORMATS)
@click.option(
    "--preset",
    type=click.Choice(["correctness", "recommended", "all"]),
    help="Rule preset (default: from the configuration, else recommended).",
)
@click.option(
    "--config",
    "config_path",
    metavar="FILE",
    callback=input_file,
    help="procmine.toml or pyproject.toml to use instead of the nearest one.",
)
@click.option(
    "--max-warnings",
    type=click.IntRange(min=0),
    metavar="N",
    help="Exit 1 when there are more than N warnings (errors always exit 1).",
)
@click.option(
    "--rule",
    "rule_levels",
    multiple=True,
    metavar="RULE=LEVEL",
    help="Override one rule: name or code = off|info|warn|error (repeatable).",
)
@click.option(
    "--state-limit",
    type=click.IntRange(min=100),
    metavar="N",
    help="Markings the soundness rules explore per process before giving up (default: 20000).",
)
@limit_option
def lint(
    paths: tuple[str, ...],
    fmt: str,
    preset: str | None,
    config_path: str | None,
    max_warnings: int | None,
    rule_levels: tuple[str, ...],
    state_limit: int | None,
) -> int:
    """Check BPMN model files for modelling errors.

    FILES may be files, directories (searched recursively for *.bpmn) or glob patterns.
    Exit codes: 0 clean, 1 an error finding or more warnings than --max-warnings,
    2 a file could not be read (the readable ones are still linted and reported).
    """
    from procmine.pipeline import lint as pipeline
    from procmine.renderers import render

    overrides = {}
    for item in rule_levels:
        name, sep, level = item.partition("=")
        if not sep:
            raise InputError("--rule", f"expected RULE=LEVEL, got {item!r}")
        overrides[name.strip()] = level.strip()
    settings = pipeline.load_settings(
        config_path,
        preset=preset,
        max_warnings=max_warnings,
        state_limit=state_limit,
        rules=overrides,
    )
    outcome = pipeline.run(list(paths), settings)
    click.echo(render(outcome.report, fmt), nl=False)
    return finish(outcome)


@click.command()
@format_option("human", "json")
@click.option(
    "--preset",
    type=click.Choice(["correctness", "recommended", "all"]),
    help="Only the rules this preset switches on, with its severities.",
)
def rules(fmt: str, preset: str | None) -> int:
    """List the lint rules: code, name, smallest preset, severity and what each checks. The severity is the
    one a run gets: under --preset, or else the default preset (for rules only in ``all``: theirs there)."""
    from procmine.pipeline.lint import rule_rows
    from procmine.renderers.rules import render

    click.echo(render(rule_rows(preset), fmt), nl=False)
    return ExitCode.OK
