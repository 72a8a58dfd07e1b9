"""How procmine writes time: instants as ISO 8601 in UTC, durations as a person reads them.

One place for both, so reports, tables, maps and finding messages agree. Imports neither pandas nor numpy
(lint uses the model, which uses this): pandas timestamps are datetimes, and NaT and NaN are recognised by
not being equal to themselves.
"""

from __future__ import annotations

from datetime import UTC, datetime

ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"
UNKNOWN = "n/a"  # a duration that could not be measured
MINUTE, HOUR, DAY = 60, 3600, 86400


def iso_utc(value: datetime | float | None) -> str | None:
    """``2024-05-01T06:00:00Z``. A datetime with a zone is converted to UTC, one without is taken as UTC, a
    number is seconds since 1970 (UTC); None, NaT and NaN stay None."""
    if value is None or value != value:
        return None
    if isinstance(value, datetime):
        moment = value if value.tzinfo is None else value.astimezone(UTC)
    else:
        moment = datetime.fromtimestamp(float(value), UTC)
    return moment.strftime(ISO_UTC)


def duration_unit(seconds: float) -> float:
    """The unit ``duration`` writes ``seconds`` in, in seconds (1, 60, 3600 or 86400): an axis that should end
    on a round figure ends on one in this unit (600 d, not 578.7 d)."""
    value = abs(float(seconds))
    if round(value) < MINUTE:
        return 1
    if round(value / MINUTE) < 60:
        return MINUTE
    return HOUR if round(value / HOUR, 1) < 24 else DAY


def duration(seconds: float | None) -> str:
    """``45 s``, ``12 min``, ``3.5 h``, ``2.1 d``, ``1,664.2 d`` (with a minus sign when negative); ``n/a``
    when unknown."""
    if seconds is None or seconds != seconds:
        return UNKNOWN
    value = float(seconds)
    sign = "-" if value < 0 else ""
    value = abs(value)
    # the unit is chosen on the rounded figure, so 59.6 s reads "1 min", never "60 s"
    if round(value) < MINUTE:
        return f"{sign}{value:.0f} s"
    if round(value / MINUTE) < 60:
        return f"{sign}{value / MINUTE:.0f} min"
    if round(value / HOUR, 1) < 24:
        return f"{sign}{value / HOUR:.1f} h"
    return f"{sign}{value / DAY:,.1f} d"  # thousands separated: 22,725.9 d
