"""One lint rule per module; each module defines ``RULE``.

Rules are found by scanning this package, so adding a rule is adding a module (and its docs page and case
file): there is no list to keep in step. Modules whose name starts with ``_`` are helpers, not rules.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procmine.lint.base import Rule


@cache
def rule_modules() -> dict[str, Rule]:
    """Each rule module's name -> the rule it defines, in code order."""
    found: dict[str, Rule] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        rule = getattr(module, "RULE", None)
        if rule is None:
            raise TypeError(f"{module.__name__} defines no RULE: every module here is one lint rule")
        found[info.name] = rule
    return dict(sorted(found.items(), key=lambda item: item[1].code))


def all_rules() -> tuple[Rule, ...]:
    """Every rule, in code order."""
    return tuple(rule_modules().values())


def rule_index() -> dict[str, Rule]:
    """Rules by name and by code, for configuration lookups."""
    out: dict[str, Rule] = {}
    for rule in all_rules():
        out[rule.name] = rule
        out[rule.code] = rule
    return out
