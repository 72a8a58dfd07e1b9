"""L017 no-inclusive-gateway: inclusive (OR) joins are hard to read; some teams forbid them."""

from __future__ import annotations

from procmine.findings import Severity
from procmine.lint.factories import discouraged_node_type

RULE = discouraged_node_type(
    "inclusiveGateway",
    code="L017",
    name="no-inclusive-gateway",
    preset="all",
    severity=Severity.ERROR,
    advice="Use exclusive and parallel gateways where the combinations are known.",
)
