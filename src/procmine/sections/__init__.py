"""Typed report sections: what analyses hand to renderers, with documented fields (see ``base``).

Each top-level section class has a ``NAME``, its key in the report JSON; ``SECTION_TYPES`` maps those
names to their classes, for ``Report.from_dict``. ``activities`` and ``dfg`` are lists in the JSON: their
row classes are registered with ``LIST = True``.

A section's module is imported when one of its classes (or ``SECTION_TYPES``) is first asked for, so a
command imports only the sections it builds: each module defines dozens of dataclasses, and making them
is most of the cost of importing the package (``check`` needs three of the eleven).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from procmine.sections.base import Section, doc

if TYPE_CHECKING:
    from procmine.sections.comparison import ComparisonSection
    from procmine.sections.conformance import ConformanceSection
    from procmine.sections.customer import CustomerSection
    from procmine.sections.discovery import DiscoverySection
    from procmine.sections.lint import LintSection
    from procmine.sections.log import LogSection
    from procmine.sections.map import MapActivity, MapPath, MapSection
    from procmine.sections.performance import PerformanceSection
    from procmine.sections.periods import PeriodsSection
    from procmine.sections.statistics import ActivityStats, Arc, ThroughputSection
    from procmine.sections.variants import CoveragePoint, VariantRow, VariantsSection
    from procmine.sections.waits import WaitsSection

    SECTION_TYPES: dict[str, type[Section]]

_MODULE_OF = {
    "ActivityStats": "statistics",
    "Arc": "statistics",
    "ComparisonSection": "comparison",
    "ConformanceSection": "conformance",
    "CoveragePoint": "variants",
    "CustomerSection": "customer",
    "DiscoverySection": "discovery",
    "LintSection": "lint",
    "LogSection": "log",
    "MapActivity": "map",
    "MapPath": "map",
    "MapSection": "map",
    "PerformanceSection": "performance",
    "PeriodsSection": "periods",
    "ThroughputSection": "statistics",
    "VariantRow": "variants",
    "VariantsSection": "variants",
    "WaitsSection": "waits",
}
_REGISTERED = {  # the report's section names (each class's ``NAME``) and the classes ``SECTION_TYPES`` maps
    "activities": "ActivityStats",
    "dfg": "Arc",
    "variants": "VariantsSection",
    "throughput": "ThroughputSection",
    "discovery": "DiscoverySection",
    "map": "MapSection",
    "conformance": "ConformanceSection",
    "performance": "PerformanceSection",
    "customer": "CustomerSection",
    "periods": "PeriodsSection",
    "comparison": "ComparisonSection",
    "lint": "LintSection",
    "waits": "WaitsSection",
}


def section_type(name: str) -> type[Section] | None:
    """``SECTION_TYPES[name]`` with only that section's module imported (None: not a typed section)."""
    registered = _REGISTERED.get(name)
    return None if registered is None else __getattr__(registered)


def __getattr__(name: str) -> Any:
    if name == "SECTION_TYPES":
        # (not map(): importing the submodule ``map`` binds that name in this module)
        types = {cls.NAME: cls for cls in (__getattr__(name) for name in _REGISTERED.values())}
        globals()[name] = types
        return types
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "SECTION_TYPES",
    "ActivityStats",
    "Arc",
    "ComparisonSection",
    "ConformanceSection",
    "CoveragePoint",
    "CustomerSection",
    "DiscoverySection",
    "LintSection",
    "LogSection",
    "MapActivity",
    "MapPath",
    "MapSection",
    "PerformanceSection",
    "PeriodsSection",
    "Section",
    "ThroughputSection",
    "VariantRow",
    "VariantsSection",
    "WaitsSection",
    "doc",
]
