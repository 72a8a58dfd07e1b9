"""The ``variants`` section: the most frequent case paths and how many variants cover the cases."""

from __future__ import annotations

from dataclasses import dataclass

from procmine.sections.base import Section, doc


@dataclass(frozen=True)
class VariantRow(Section):
    rank: int = doc("1 for the most frequent variant.")
    activities: list[str] = doc("The activities of the variant, in order.")
    length: int = doc("Number of activities in the variant.")
    cases: int = doc("Cases that follow this variant.")
    share: float = doc("Share of all cases that follow it.")
    cumulative_share: float = doc("Share of all cases covered by this variant and the more frequent ones.")


@dataclass(frozen=True)
class CoveragePoint(Section):
    variants: int = doc("The k most frequent variants ...")
    cases_share: float = doc("... cover this share of cases.")


@dataclass(frozen=True)
class VariantsSection(Section):
    NAME = "variants"

    total: int = doc("Number of distinct variants.")
    cases: int = doc("Number of cases.")
    top: list[VariantRow] = doc("The most frequent variants (--top-variants), most frequent first.")
    variants_to_cover: dict[str, int] = doc(
        "Variants needed to cover 50, 80, 90 and 95 % of the cases (key: the percentage)."
    )
    coverage_curve: list[CoveragePoint] = doc("Share of cases covered by the k most frequent variants.")
