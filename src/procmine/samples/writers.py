"""The simulated cases as a CSV (one row per activity instance), an XES log and a canonical events frame.

All three carry the same events. CSV and XES timestamps are ISO 8601 with the Europe/Berlin offset of
their date; the frame holds UTC, like every log procmine reads.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING
from xml.sax.saxutils import quoteattr

from procmine.model.log import ACTIVITY, CASE, RESOURCE, ROW, START, TIMESTAMP
from procmine.samples.calendar import iso, to_datetime
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
            name = quoteattr(step.activity)
            agent = quoteattr(step.agent)
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


def events_frame(cases: list[Case]) -> pd.DataFrame:
    """The cases as procmine's canonical events frame (UTC), sorted by case, completion time and row."""
    import pandas as pd

    rows = []
    for case in cases:
        for step in case.steps:
            rows.append(
                {
                    CASE: case.case_id,
                    ACTIVITY: step.activity,
                    TIMESTAMP: to_datetime(step.end),
                    START: to_datetime(step.start),
                    RESOURCE: step.agent,
                    ROW: len(rows),
                    "Channel": case.channel,
                    "Segment": case.segment,
                    "Product": case.product,
                    "Satisfaction": case.satisfaction,
                }
            )
    frame = pd.DataFrame(rows)
    for column in (TIMESTAMP, START):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    frame[ROW] = frame[ROW].astype("int64")
    return frame.sort_values([CASE, TIMESTAMP, ROW], kind="stable").reset_index(drop=True)
