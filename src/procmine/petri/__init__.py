"""Petri nets translated from BPMN models, for conformance checking and soundness (no pm4py needed)."""
