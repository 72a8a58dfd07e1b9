"""Pseudonyms and the other-pool filter computed in the engine, for a log that lives there: the same
events as the pandas way (independent: Python's ``hmac``, pandas' ``isin``), and no frame made on the way."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from procmine.analyses.pseudonymize import make_pseudonymizer, pseudonymize_log
from procmine.engine.pseudonyms import hmac_sha256_sql
from procmine.io.logs import read_log
from procmine.model.log import ACTIVITY

SAMPLE = Path(__file__).resolve().parents[1] / "sample_logs" / "complaints.csv"


@pytest.mark.parametrize("key", [b"k", b"\x00\xff" * 32, b"a much longer key " * 5])
def test_hmac_in_sql_is_pythons(key: bytes) -> None:
    values = ["C-1", "O'Brien", "Zoë", "", "x" * 200]
    con = duckdb.connect()
    con.execute("CREATE TABLE v AS SELECT unnest(?) AS value", [values])
    digest = hmac_sha256_sql(key, b"case\0", "value")
    got = dict(con.execute(f"SELECT value, {digest} FROM v").fetchall())
    assert got == {v: hmac.new(key, f"case\0{v}".encode(), hashlib.sha256).hexdigest() for v in values}


@pytest.mark.parametrize("digits", [10, 1])  # 1 digit: clashes, lengthened to 16 as in Python
def test_a_log_in_the_engine_gets_the_pseudonyms_of_its_frame(digits: int) -> None:
    in_engine, as_frame = make_pseudonymizer("key"), make_pseudonymizer("key")
    in_engine.digits = as_frame.digits = digits
    framed = read_log(SAMPLE)
    framed.events  # noqa: B018  (the frame is made: the pandas way)
    expected = pseudonymize_log(framed, as_frame).events
    log = pseudonymize_log(read_log(SAMPLE), in_engine)
    assert not log.has_frame and log.store is not None
    assert in_engine.digits == as_frame.digits
    assert "pseudonymised" in log.quality.notes[-1]
    pd.testing.assert_frame_equal(log.events, expected)


def test_other_pools_activities_are_filtered_in_the_engine() -> None:
    names = {"Close complaint", "Call customer back", "Nowhere"}
    framed = read_log(SAMPLE)
    expected, expected_dropped = framed.replace(events=framed.events).without_activities(names)
    log, dropped = read_log(SAMPLE).without_activities(names)
    assert not log.has_frame and log.store is not None
    assert dropped == expected_dropped == int(framed.events[ACTIVITY].isin(names).sum()) > 0
    pd.testing.assert_frame_equal(log.events, expected.events)
