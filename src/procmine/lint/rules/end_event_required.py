"""L002 end-event-required: every process and sub-process says where it ends.

Empty processes and empty (collapsed, not yet modelled) sub-processes are left alone: there is nothing to
end yet. Ad-hoc sub-processes must have no end event at all (see ``ad-hoc-sub-process``).
"""

from __future__ import annotations

from procmine.findings import Severity
from procmine.lint.factories import event_required

RULE = event_required(
    "endEvent",
    code="L002",
    name="end-event-required",
    preset="recommended",
    severity=Severity.ERROR,
    advice="Add an end event, so readers (and procmine) know when a case is done.",
)
