"""``pipeline.check.conform``: the check on a log already read, and the deviation kinds per case that the
audit hands to the customer analysis, compared with what the raw sample CSV says case by case."""

from __future__ import annotations

import pandas as pd
import pytest

from procmine.io.bpmn import read_bpmn
from procmine.io.logs import read_log
from procmine.pipeline import check

pytestmark = pytest.mark.slow  # one check of the whole sample, shared by the tests below


@pytest.fixture(scope="module")
def conformed(sample_logs):
    model_path = sample_logs / "complaints_documented.bpmn"
    log = read_log(sample_logs / "complaints.csv")
    block, result = check.conform(read_bpmn(model_path), model_path, log, check.build_options())
    raw = pd.read_csv(sample_logs / "complaints.csv")
    activities = raw.groupby("Complaint ID")["Activity"].agg(set)
    return block, result, activities


def test_model_block_names_the_checked_process(conformed):
    block, _, _ = conformed
    assert block.origin == "documented" and block.tasks == 8
    assert block.path.endswith("complaints_documented.bpmn")


def test_every_case_gets_its_deviation_kinds(conformed):
    _, result, activities = conformed
    kinds = result.case_deviations()
    assert set(kinds) == set(activities.index)
    fitness = result.per_case.by_case()
    for case, found in kinds.items():
        assert (not found) == (fitness[case] == 1.0), case  # empty exactly for the fitting cases
    # the undocumented "Call customer back": exactly the cases whose raw rows hold it
    called_back = {c for c, acts in activities.items() if "Call customer back" in acts}
    assert {c for c, k in kinds.items() if "undocumented_step" in k} == called_back
    # "Classify complaint" left out (it is mandatory): a skipped step
    unclassified = {c for c, acts in activities.items() if "Classify complaint" not in acts}
    assert unclassified and all("skipped_step" in kinds[c] for c in unclassified)
    # no confirmation letter after it was retired: the outdated step, not a skipped one
    retired = {c for c, k in kinds.items() if "outdated_step" in k}
    assert retired and all("Send confirmation letter" not in activities[c] for c in retired)
    assert {k for found in kinds.values() for k in found} <= {
        "undocumented_step",
        "skipped_step",
        "outdated_step",
        "order_violation",
        "extra_step",
        "deviating",
    }


def test_case_fitness_csv_is_the_same_file_in_batches_of_any_size(conformed, monkeypatch):
    """case_fitness.csv is written from the engine a batch of cases at a time: one header, every case
    once, sorted by case id, each line its variant's figures, whatever the batch size."""
    import io

    from procmine.engine import conformance_inputs

    _, result, activities = conformed
    whole = b"".join(check.case_fitness_csv(result.per_case)).decode()
    monkeypatch.setattr(conformance_inputs, "BATCH_ROWS", 7)
    chunks = list(check.case_fitness_csv(result.per_case))
    assert len(chunks) == -(-len(activities) // 7)
    assert b"".join(chunks).decode() == whole
    table = pd.read_csv(io.StringIO(whole), dtype={"case_id": str})
    assert list(table["case_id"]) == sorted(activities.index)
    fitness = result.per_case.by_case()
    assert table.set_index("case_id")["fitness"].to_dict() == {c: round(f, 4) for c, f in fitness.items()}
    assert set(table["method"]) == {"alignment"}


def test_an_output_file_may_be_written_in_chunks(tmp_path):
    from procmine.io.output import OutputFolder

    with OutputFolder(tmp_path / "out") as out:
        out.write({"a.csv": iter([b"x,y\n", b"1,2\n"]), "b.txt": "text"})
    assert (tmp_path / "out" / "a.csv").read_bytes() == b"x,y\n1,2\n"
    assert (tmp_path / "out" / "b.txt").read_text() == "text"


def test_case_fitness_lines_are_what_the_csv_writer_writes():
    """Each line of case_fitness.csv, made from its variant's figures written once, is the line the CSV
    writer makes of the whole row: ids to quote (commas, quotes, line breaks), blank, formula-like ids."""
    import csv
    import io
    import random

    from procmine.io.output import spreadsheet_cell

    rng = random.Random(7)
    alphabet = ["a", "7", ",", '"', "\r", "\n", " ", "=", "+", "-", "@", "é", "\t", "'", ";"]
    ids = ["", "=1+1", "@x", "plain", "a,b", 'say "hi"', "two\nlines", "cr\r", " padded "]
    ids += ["".join(rng.choices(alphabet, k=rng.randint(1, 6))) for _ in range(400)]
    variants = [(1.0, 0, "alignment"), (0.75, 2, "alignment"), (float("nan"), 0, "not aligned")]
    for case in ids:
        for row in variants:
            figures = tuple(map(spreadsheet_cell, row))
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows([(spreadsheet_cell(case), *figures)])
            tail = io.StringIO()
            csv.writer(tail, lineterminator="\n").writerows([figures])
            assert check._case_line(case, figures, tail.getvalue()) == buffer.getvalue(), repr(case)
