"""Analyses: from an EventLog (and a BpmnModel) to report sections and findings. They never print."""
