"""The lint rules' documentation pages (``docs/rules/``), generated from the rule modules and case files.

``python -m tests.lint_docs`` rewrites the pages; ``tests/test_lint_presets.py`` checks they are current.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from procmine.lint.base import PRESETS, Rule
from procmine.lint.presets import PRESETS as PRESET_LEVELS
from procmine.lint.rules import rule_modules
from tests.lint_cases import load

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "rules"
FIXTURES = "tests/fixtures/lint"

INDEX_HEAD = """# procmine lint rules

Generated from the rule modules in `src/procmine/lint/rules/` and their case files
(`tests/fixtures/lint/<rule>/cases.toml`): each page says what the rule reports and what it leaves alone,
and shows an incorrect and a correct model, the same files the rule's tests use. To change a page, change
the rule or its cases and run `python -m tests.lint_docs`.

| code | rule | smallest preset | severity | checks |
| --- | --- | --- | --- | --- |
"""


def pages() -> dict[Path, str]:
    """Every page's path and text: one per rule, and the index."""
    out = {DOCS / f"{rule.name}.md": page(module, rule) for module, rule in rule_modules().items()}
    rows = [
        f"| {r.code} | [{r.name}]({r.name}.md) | {r.preset} | {r.severity.value} | {r.description} |\n"
        for r in rule_modules().values()
    ]
    out[DOCS / "README.md"] = INDEX_HEAD + "".join(rows)
    return out


def page(module: str, rule: Rule) -> str:
    levels = {preset: PRESET_LEVELS[preset].get(rule.name) for preset in PRESETS}
    presets = ", ".join(f"{preset}: {level}" for preset, level in levels.items() if level)
    parts = [
        f"# {rule.name} ({rule.code})\n\n**{rule.description}**\n",
        "| code | presets (severity) | module |\n| --- | --- | --- |\n"
        f"| `{rule.code}` | {presets} | `src/procmine/lint/rules/{module}.py` |\n",
        f"## Why\n\n{_why(module, rule)}\n",
        f"## How to fix\n\n{rule.advice}\n",
        _cases(rule),
        _example(rule, "incorrect", "Incorrect example"),
        _example(rule, "correct", "Correct example"),
        "## Configuration\n\n```toml\n[tool.procmine.lint.rules]\n"
        f'{rule.name} = "warn"   # or "off", "info", "error"\n\n'
        "[[tool.procmine.lint.ignore]]     # silence it for chosen elements\n"
        f'rule = "{rule.name}"\nelements = ["Element_Id"]\n```\n',
    ]
    return "\n".join(parts)


def _why(module: str, rule: Rule) -> str:
    """The rule module's docstring, without the ``L001 name:`` it starts with."""
    doc = inspect.cleandoc(importlib.import_module(f"procmine.lint.rules.{module}").__doc__ or "")
    text = doc.removeprefix(f"{rule.code} {rule.name}:").strip()
    return text[:1].upper() + text[1:]


def _cases(rule: Rule) -> str:
    cases = [case for case in load(rule.name) if case.file is None]  # the examples have sections below
    reported = [f"- {case.name}: {case.report[0][1]}\n" for case in cases if case.report]
    clean = [f"- {case.name}\n" for case in cases if not case.report]
    link = f"[`{FIXTURES}/{rule.name}/cases.toml`](../../{FIXTURES}/{rule.name}/cases.toml)"
    differences = dict.fromkeys(case.bpmnlint for case in load(rule.name) if case.bpmnlint)
    unlike = "".join(f"- {reason}\n" for reason in differences)
    if unlike:
        unlike = f"\nUnlike bpmnlint's rule of the same name (checked on these cases):\n\n{unlike}"
    return (
        f"## What it reports, and what it leaves alone\n\nEach case is a model in\n{link},\nwith the "
        f"exact findings its test expects.\n\nReported (with the first message):\n\n{''.join(reported)}\n"
        f"Not reported:\n\n{''.join(clean)}" + unlike
    )


def _example(rule: Rule, kind: str, title: str) -> str:
    path = f"{FIXTURES}/{rule.name}/{kind}.bpmn"
    source = (ROOT / path).read_text("utf-8").strip()
    return f"## {title}\n\n[`{path}`](../../{path})\n\n```xml\n{source}\n```\n"


if __name__ == "__main__":
    for path, text in pages().items():
        if not path.is_file() or path.read_text("utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
