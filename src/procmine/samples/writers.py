"""The simulated cases as a CSV (one row per activity instance), an XES log and a canonical events frame.

All three carry the same events. CSV and XES timestamps are ISO 8601 with the Europe/Berlin offset of
their date; the frame holds UTC, like every log procmine reads.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from typing import TYPE_CHECKING
from xml.sax.saxutils import quoteattr

from procmine.model.log import ACTIVITY, CASE, RESOURCE, ROW, START, TIMESTAMP
from procmine.samples.calendar import PERIOD_START, iso, utc_offsets
from procmine.samples.process import Case

if TYPE_CHECKING:
    import pandas as pd

CSV_COLUMNS = (
    "Complaint ID",
    "Activity",
    "Start Timestamp",
    "Complete Timestamp",
    "Agent",
    "Channel",
    "Segment",
    "Product",
    "Satisfaction",
)
LOG_NAME = "Complaint handling 2026 (procmine sample)"


def csv_text(cases: list[Case]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for case in cases:
        for step in case.steps:
            writer.writerow(
                (
                    case.case_id,
                    step.activity,
                    iso(step.start),
                    iso(step.end),
                    step.agent,
                    case.channel,
                    case.segment,
                    case.product,
                    case.satisfaction,
                )
            )
    return buffer.getvalue()


XES_HEAD = f"""<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016" xmlns="http://www.xes-standard.org/">
<extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
<extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
<extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
<extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
<global scope="trace">
<string key="concept:name" value="UNKNOWN"/>
</global>
<global scope="event">
<string key="concept:name" value="UNKNOWN"/>
<string key="lifecycle:transition" value="complete"/>
<date key="time:timestamp" value="1970-01-01T00:00:00+00:00"/>
</global>
<classifier name="Activity" keys="concept:name"/>
<classifier name="Activity and lifecycle" keys="concept:name lifecycle:transition"/>
<string key="concept:name" value={quoteattr(LOG_NAME)}/>
"""


def xes_text(cases: list[Case]) -> str:
    """IEEE 1849-2016 XES: case attributes on the trace, a start and a complete event per activity.

    One element per line and no indentation: the log stays a third smaller and still diffs well.
    """
    out = [XES_HEAD]
    for case in cases:
        out.append(
            "<trace>"
            f'<string key="concept:name" value={quoteattr(case.case_id)}/>'
            f'<string key="channel" value={quoteattr(case.channel)}/>'
            f'<string key="segment" value={quoteattr(case.segment)}/>'
            f'<string key="product" value={quoteattr(case.product)}/>'
            f'<int key="satisfaction" value="{case.satisfaction}"/>\n'
        )
        for step in case.steps:
            name = _quoted(step.activity)
            agent = _quoted(step.agent)
            for transition, moment in (("start", step.start), ("complete", step.end)):
                out.append(
                    f'<event><string key="concept:name" value={name}/>'
                    f'<string key="lifecycle:transition" value="{transition}"/>'
                    f'<date key="time:timestamp" value="{iso(moment)}"/>'
                    f'<string key="org:resource" value={agent}/></event>\n'
                )
        out.append("</trace>\n")
    out.append("</log>\n")
    return "".join(out)


@lru_cache(maxsize=4096)
def _quoted(value: str) -> str:
    return quoteattr(value)


def events_frame(cases: list[Case]) -> pd.DataFrame:
    """The cases as procmine's canonical events frame (UTC), sorted by case, completion time and row."""
    import numpy as np
    import pandas as pd

    steps = [(case, step) for case in cases for step in case.steps]
    frame = pd.DataFrame(
        {
            CASE: [case.case_id for case, _ in steps],
            ACTIVITY: [step.activity for _, step in steps],
            TIMESTAMP: _utc([step.end for _, step in steps]),
            START: _utc([step.start for _, step in steps]),
            RESOURCE: [step.agent for _, step in steps],
            ROW: np.arange(len(steps), dtype="int64"),
            "Channel": [case.channel for case, _ in steps],
            "Segment": [case.segment for case, _ in steps],
            "Product": [case.product for case, _ in steps],
            "Satisfaction": np.array([case.satisfaction for case, _ in steps], dtype="int64"),
        }
    )
    return frame.sort_values([CASE, TIMESTAMP, ROW], kind="stable").reset_index(drop=True)


def _utc(moments: list[int]) -> pd.Series:
    """Simulation moments (local seconds) as UTC timestamps."""
    import numpy as np
    import pandas as pd

    local = np.array(moments, dtype="int64")
    utc = local - np.array(utc_offsets(moments), dtype="int64")
    stamps = np.datetime64(PERIOD_START.isoformat(), "us") + (utc * 1_000_000).astype("timedelta64[us]")
    return pd.Series(pd.DatetimeIndex(stamps).tz_localize("UTC"))
