"""The only place that imports pm4py. Its modules import pm4py at the top and are themselves imported lazily
(inside functions) by the analyses, so commands that need no mining never pay pm4py's ~2 s import.
They call pm4py's facade and turn its objects into procmine's types at this boundary."""

from __future__ import annotations

import importlib
import threading

_warming: threading.Thread | None = None


def warm_up() -> None:
    """Start importing pm4py in a background thread, for a command that will need it after reading its
    log: Arrow's CSV parser and DuckDB release the GIL, so most of the import (~1 s on a quiet machine)
    hides behind the reading. The later ``import pm4py`` of an adapter module waits for this one to finish
    (the import lock), and a failure here is left for that import to raise."""
    global _warming
    if _warming is None:
        _warming = threading.Thread(target=_import_pm4py, name="procmine-pm4py-import", daemon=True)
        _warming.start()


def _import_pm4py() -> None:
    try:
        importlib.import_module("pm4py")
    except BaseException:  # the real import, in the analysis that needs pm4py, reports it
        return
