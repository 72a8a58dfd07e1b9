"""Every figure the HTML report shows is read from the same data as report.json: the figures a reader
compares (cases, fitness, throughput, variant coverage, the change per quarter, findings, waits, repeats)
are looked up in the JSON, formatted as the report formats them, and must appear in the HTML; a figure the
JSON does not state (such as a coverage mark read off a sampled curve) must not."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markupsafe import escape

from procmine.cli import run
from procmine.renderers.html_view import fmt
from procmine.timefmt import duration
from tests.conftest import SAMPLE_LOGS

pytestmark = [pytest.mark.slow, pytest.mark.graphviz]


def expected_figures(data: dict) -> list[str]:
    """What the HTML must say, in its words, from the JSON alone."""
    out = [f"{data['log']['cases']:,}"]
    variants = data["variants"]
    out.append(f"of {variants['total']:,} variants")
    if variants["variants_to_cover"]:
        out.append(f"{variants['variants_to_cover']['80']:,} variants cover 80%")
    conformance = data.get("conformance")
    if conformance:
        out += [fmt(conformance["fitness"], "ratio"), fmt(conformance["fitting_share"], "pct")]
    out.append(duration(data["performance"]["throughput"]["median"]))
    periods = data["periods"]
    for q in periods["quarters"]:
        label = q["period"] + (" (partial)" if q["partial"] else "")
        out += [label, f"{q['cases']:,}", duration(q["throughput_median"])]
    change = periods["change"]
    if change:
        out.append(f"{change['period']}: {duration(change['throughput_median']['current'])}")
        for metric in ("cases", "mean_fitness", "conforming_share", "throughput_median", "sla_breach_rate"):
            p = (change.get(metric) or {}).get("p_value")
            if p is not None:  # every delta on a tile carries its test's p value
                out.append(str(escape(f"p {fmt(p, 'p')}" if p < 0.001 else f"p = {fmt(p, 'p')}")))
    out += [str(escape(f["message"])) for f in data["findings"][:50]]
    for row in data["waits"]["handovers"][:10]:
        out += [
            str(escape(f"{row['source']} → {row['target']}")),
            duration(row["median"]),
            duration(row["per_affected_case"]),
            str(escape(fmt(row["share_of_case_time"], "pct"))),
        ]
    case_time = data["performance"]["throughput"]["total"]
    for row in data["performance"]["rework"]["activities"][:10]:  # what repeats cost: per case and share
        out += [
            str(escape(row["activity"])),
            f"{row['repeats']:,}",
            duration(row["extra_time_per_reworked_case"]),
            str(escape(fmt(row["extra_time"] / case_time, "pct"))),
        ]
    return out


def assert_consistent(folder: Path) -> None:
    data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    html = (folder / "report.html").read_text(encoding="utf-8")
    missing = [figure for figure in expected_figures(data) if figure not in html]
    assert not missing, f"in report.json but not in report.html: {missing[:10]}"
    marks = {int(n.replace(",", "")) for n in re.findall(r"([\d,]+) variants cover 80%", html)}
    assert marks <= {data["variants"]["variants_to_cover"].get("80")}


@pytest.mark.skipif(not (SAMPLE_LOGS / "complaints.csv").exists(), reason="sample_logs not generated")
def test_html_and_json_agree_on_the_sample(tmp_path):
    out = tmp_path / "sample"
    model, log = SAMPLE_LOGS / "complaints_documented.bpmn", SAMPLE_LOGS / "complaints.csv"
    assert run(["-q", "audit", str(model), str(log), "--sla", "5d", "-o", str(out)], True) in (0, 1)
    assert_consistent(out)


@pytest.mark.shared_data
def test_html_and_json_agree_on_sepsis(shared_data, tmp_path):
    model = shared_data / "models/bpmn_with_logs/mannhardt_course/sepsis.bpmn"
    log = shared_data / "logs/real/mannhardt_course/sepsis.csv.gz"
    out = tmp_path / "sepsis"
    assert run(["-q", "audit", str(model), str(log), "-o", str(out)], True) in (0, 1)
    assert_consistent(out)
