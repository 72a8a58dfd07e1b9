"""The one way procmine writes instants (ISO 8601, UTC) and durations, worked out by hand."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd

from procmine.timefmt import duration, iso_utc


def test_durations_as_a_person_reads_them():
    cases = {
        None: "n/a",
        float("nan"): "n/a",
        0: "0 s",
        30: "30 s",
        59.4: "59 s",
        59.6: "1 min",
        600: "10 min",
        3599: "1.0 h",
        86390: "1.0 d",
        7200: "2.0 h",
        5400: "1.5 h",
        3 * 86400: "3.0 d",
        1664.2 * 86400: "1,664.2 d",
        -90: "-2 min",
        -3 * 3600: "-3.0 h",
    }
    assert {value: duration(value) for value in cases} == cases


def test_instants_in_utc():
    berlin = timezone(timedelta(hours=2))
    assert iso_utc(datetime(2024, 5, 1, 8, 0, tzinfo=berlin)) == "2024-05-01T06:00:00Z"
    assert iso_utc(datetime(2024, 5, 1, 8, 0)) == "2024-05-01T08:00:00Z"  # no zone: taken as UTC
    assert iso_utc(pd.Timestamp("2024-05-01T08:00:00+02:00")) == "2024-05-01T06:00:00Z"
    assert iso_utc(pd.Timestamp("2024-12-31 23:59:59", tz="America/New_York")) == "2025-01-01T04:59:59Z"
    assert iso_utc(1714543200) == "2024-05-01T06:00:00Z"  # seconds since 1970
    assert iso_utc(None) is None and iso_utc(pd.NaT) is None and iso_utc(float("nan")) is None
