"""Typed report sections: what analyses hand to renderers, with documented fields (see ``base``).

Each top-level section class has a ``NAME``, its key in the report JSON; ``SECTION_TYPES`` maps those
names to their classes, for ``Report.from_dict``. ``activities`` and ``dfg`` are lists in the JSON: their
row classes are registered with ``LIST = True``.
"""

from __future__ import annotations

from procmine.sections.base import Section, doc
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

SECTION_TYPES: dict[str, type[Section]] = {
    cls.NAME: cls
    for cls in (
        ActivityStats,
        Arc,
        VariantsSection,
        ThroughputSection,
        DiscoverySection,
        MapSection,
        ConformanceSection,
        PerformanceSection,
        CustomerSection,
        PeriodsSection,
        ComparisonSection,
        LintSection,
        WaitsSection,
    )
}

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
