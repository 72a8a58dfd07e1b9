"""L001 start-event-required: every process and sub-process says where it starts.

Empty processes and empty (collapsed, not yet modelled) sub-processes are left alone: there is nothing to
start yet. Ad-hoc sub-processes must have no start event at all (see ``ad-hoc-sub-process``).
"""

from __future__ import annotations

from procmine.findings import Severity
from procmine.lint.factories import event_required

RULE = event_required(
    "startEvent",
    code="L001",
    name="start-event-required",
    preset="recommended",
    severity=Severity.ERROR,
    advice="Add a start event, so readers (and procmine) know where a case begins.",
)
