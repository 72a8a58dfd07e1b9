"""One lint rule per module; each module defines ``RULE``. The order here is the order of the codes."""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procmine.lint.base import Rule

MODULES = (
    "start_event_required",
    "end_event_required",
    "no_disconnected",
    "no_implicit_split",
    "no_implicit_start",
    "no_implicit_end",
    "superfluous_gateway",
    "no_gateway_join_fork",
    "fake_join",
    "label_required",
    "no_duplicate_sequence_flows",
    "conditional_flows",
    "default_flow_required",
    "single_blank_start_event",
    "single_event_definition",
    "no_complex_gateway",
    "no_inclusive_gateway",
    "sub_process_blank_start_event",
    "event_sub_process_typed_start_event",
    "ad_hoc_sub_process",
    "event_based_gateway",
    "superfluous_termination",
    "link_event",
    "no_bpmndi",
    "no_duplicate_ids",
    "no_dangling_references",
    "no_deadlock",
    "option_to_complete",
    "no_dead_tasks",
    "no_lack_of_synchronisation",
    "proper_completion",
    "conformance_checkable",
)


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule, in code order."""
    return tuple(importlib.import_module(f"{__name__}.{name}").RULE for name in MODULES)


def rule_index() -> dict[str, Rule]:
    """Rules by name and by code, for configuration lookups."""
    out: dict[str, Rule] = {}
    for rule in all_rules():
        out[rule.name] = rule
        out[rule.code] = rule
    return out
