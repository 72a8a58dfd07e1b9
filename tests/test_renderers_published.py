"""A report published once renders, in every format, what rendering the report itself gives (``check``
publishes its report once for report.json, summary.md and the terminal)."""

from __future__ import annotations

import pytest

from procmine.findings import Report
from procmine.renderers import render, render_published
from tests.test_conformance_findings import ABCE, cases_log
from tests.test_conformance_models import run_check, sequence_with_choice


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    model = sequence_with_choice(tmp_path_factory.mktemp("model"))
    result = run_check(model, cases_log([(ABCE, 4), (["A", "C", "E"], 3), (["A", "B", "X", "C", "E"], 2)]))
    return Report(command="check", sections={"conformance": result.section}, findings=result.findings)


@pytest.mark.parametrize("fmt", ["human", "json", "markdown", "sarif", "junit", "github"])
def test_a_report_published_once_renders_as_the_report_does(checked, fmt):
    assert checked.findings  # (something to render in every format)
    assert render_published(checked.published(), fmt) == render(checked, fmt)
