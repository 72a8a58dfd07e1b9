"""The lint cases against bpmnlint, an independent implementation of the rules procmine shares with it.

For each case of a rule bpmnlint also has, bpmnlint (that rule alone) must report the same elements as the
case expects from procmine, or the case must say why it differs (its ``bpmnlint`` key); a stated
difference that no longer shows fails too, so the reasons stay true. bpmnlint reads a node's flows from
its ``<incoming>``/``<outgoing>`` children, which the hand-made cases leave out (procmine reads
``sourceRef``/``targetRef``), so they are added to the copy bpmnlint reads, as modelling tools write them.

Needs Node.js and the npm package bpmnlint in ``$PROCMINE_NODE_MODULES``; the stated differences are those
of bpmnlint 11.15.0, the version ``.ci/run`` installs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from procmine.lint.rules import all_rules
from tests.lint_cases import Case, all_cases

NODE_DIR = os.environ.get("PROCMINE_NODE_MODULES")
BPMNLINT_RULES = Path(NODE_DIR or "/nonexistent") / "node_modules" / "bpmnlint" / "rules"
pytestmark = pytest.mark.skipif(
    not (NODE_DIR and shutil.which("node") and BPMNLINT_RULES.is_dir()),
    reason="Node.js with bpmnlint is not installed (PROCMINE_NODE_MODULES)",
)

SHARED = {r.name for r in all_rules()} & {p.stem for p in BPMNLINT_RULES.glob("*.js")}
CASES = [case for case in all_cases() if case.rule in SHARED]
MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"

LINT_EACH = """
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const require = createRequire(process.cwd() + '/');
const { BpmnModdle } = require('bpmn-moddle');
const Linter = require('bpmnlint/lib/linter');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');
const out = [];
for (const [file, rule] of JSON.parse(readFileSync(process.argv[1], 'utf8'))) {
  const linter = new Linter({ resolver: new NodeResolver(), config: { rules: { [rule]: 'error' } } });
  const { rootElement } = await new BpmnModdle().fromXML(readFileSync(file, 'utf8'));
  const results = await linter.lint(rootElement);
  out.push((results[rule] || []).map(report => report.id));
}
console.log(JSON.stringify(out));
"""


def with_flow_references(source: str) -> bytes:
    """The model with each flow listed in its source's <outgoing> and its target's <incoming>."""
    root = etree.fromstring(source.encode("utf-8"))
    nodes = {e.get("id"): e for e in root.iter(f"{{{MODEL}}}*") if e.get("id")}
    for flow in root.iter(f"{{{MODEL}}}sequenceFlow"):
        for attribute, child in (("sourceRef", "outgoing"), ("targetRef", "incoming")):
            node = nodes.get((flow.get(attribute) or "").strip())
            if node is None:
                continue
            reference = etree.Element(f"{{{MODEL}}}{child}")
            reference.text = flow.get("id")
            leading = [c for c in node if etree.QName(c).localname in ("documentation", "extensionElements")]
            node.insert(len(leading) + len(node.findall(f"{{{MODEL}}}incoming")), reference)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@pytest.fixture(scope="module")
def bpmnlint_reports(tmp_path_factory) -> dict[str, list[str]]:
    """Case id -> the element ids bpmnlint reports, for every case, in one Node.js run."""
    folder = tmp_path_factory.mktemp("bpmnlint")
    jobs = []
    for n, case in enumerate(CASES):
        path = folder / f"{n}.bpmn"
        path.write_bytes(with_flow_references(case.source))
        jobs.append([str(path), case.rule])
    (folder / "jobs.json").write_text(json.dumps(jobs), encoding="utf-8")
    done = subprocess.run(
        ["node", "--input-type=module", "-e", LINT_EACH, str(folder / "jobs.json")],
        cwd=NODE_DIR,  # where bpmn-moddle and bpmnlint resolve from
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return dict(zip((case.id for case in CASES), json.loads(done.stdout), strict=True))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bpmnlint_reports_the_same_elements_or_the_case_says_why_not(case: Case, bpmnlint_reports):
    ours = sorted(element_id for element_id, _ in case.report)
    theirs = sorted(bpmnlint_reports[case.id])
    if case.bpmnlint is None:
        assert theirs == ours
    else:
        assert theirs != ours, f"bpmnlint now agrees; drop the stated difference: {case.bpmnlint}"


def test_the_shared_rules_are_compared():
    assert len(SHARED) >= 20  # bpmnlint's recommended rules procmine implements, and its discouraged types
