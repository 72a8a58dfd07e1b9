"""Variants of a log too large for one ordered list per case (by fingerprint) equal the exact ones."""

from __future__ import annotations

from pathlib import Path

from procmine.engine import variants
from procmine.engine.db import connect
from procmine.io.logs import read_log

SAMPLE = Path(__file__).resolve().parents[1] / "sample_logs" / "complaints.csv"


def _variants_and_cases(con, monkeypatch, bytes_per_step: float):
    monkeypatch.setattr(variants, "BYTES_PER_STEP", bytes_per_step)
    con.execute(f"DROP TABLE IF EXISTS {variants.VARIANTS}; DROP TABLE IF EXISTS {variants.CASE_VARIANT}")
    found = variants.variants(con)
    per_case = dict(con.execute(f"SELECT case_id, variant_id FROM {variants.CASE_VARIANT}").fetchall())
    return found, per_case


def _same_both_ways(path: Path, monkeypatch) -> None:
    log = read_log(path)  # kept: the connection closes with the log
    con = connect(log)
    exact, exact_cases = _variants_and_cases(con, monkeypatch, 0)
    printed, printed_cases = _variants_and_cases(con, monkeypatch, 1e30)  # as if the lists did not fit
    assert printed == exact and printed_cases == exact_cases
    assert len(exact) > 10 and sum(v.cases for v in exact) == len(exact_cases)


def test_fingerprints_give_the_variants_of_the_lists(monkeypatch) -> None:
    _same_both_ways(SAMPLE, monkeypatch)


def test_fingerprints_give_the_variants_of_sepsis(shared_data, monkeypatch) -> None:
    _same_both_ways(shared_data / "logs" / "real" / "mannhardt_course" / "sepsis.csv.gz", monkeypatch)
