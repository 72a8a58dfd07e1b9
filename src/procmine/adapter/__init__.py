"""The only place that imports pm4py. Its modules import pm4py at the top and are themselves imported lazily
(inside functions) by the analyses, so commands that need no mining never pay pm4py's ~2 s import.
They call pm4py's facade and turn its objects into procmine's types at this boundary."""
