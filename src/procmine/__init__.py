"""procmine: audit documented BPMN processes against what event logs say really happens."""

__version__ = "0.1.0"
