"""Typed report sections: what analyses hand to renderers, with documented fields (see ``base``).

Each top-level section class has a ``NAME``, its key in the report JSON; ``SECTION_TYPES`` maps those
names to their classes, for ``Report.from_dict``.
"""

from __future__ import annotations

from procmine.sections.base import Section, doc
from procmine.sections.map import MapActivity, MapPath, MapSection
from procmine.sections.periods import PeriodsSection
from procmine.sections.variants import CoveragePoint, VariantRow, VariantsSection

SECTION_TYPES: dict[str, type[Section]] = {
    cls.NAME: cls for cls in (VariantsSection, PeriodsSection, MapSection)
}

__all__ = [
    "SECTION_TYPES",
    "CoveragePoint",
    "MapActivity",
    "MapPath",
    "MapSection",
    "PeriodsSection",
    "Section",
    "VariantRow",
    "VariantsSection",
    "doc",
]
