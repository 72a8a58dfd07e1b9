"""Reading inputs (event logs, BPMN models) and writing output files. Readers raise InputError."""
