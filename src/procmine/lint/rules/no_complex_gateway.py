"""L016 no-complex-gateway: complex gateways have no clear semantics for readers or conformance checks."""

from __future__ import annotations

from procmine.findings import Severity
from procmine.lint.factories import discouraged_node_type

RULE = discouraged_node_type(
    "complexGateway",
    code="L016",
    name="no-complex-gateway",
    preset="all",
    severity=Severity.ERROR,
    advice="Express the rule with exclusive, inclusive and parallel gateways.",
)
