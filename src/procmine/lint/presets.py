"""Presets: plain maps of rule name -> severity, ``correctness`` ⊂ ``recommended`` ⊂ ``all``.

- ``correctness``: the model is broken (engines reject it, or it cannot run as drawn).
- ``recommended`` (the default): correctness, plus what bpmnlint recommends and procmine's soundness and
  conformance checks: the model runs, but not the way a reader would think.
- ``all``: recommended, plus house-style rules some teams want (no inclusive or complex gateways, default
  flows everywhere). Every rule is an error here unless it is a matter of taste.

Configuration overrides single rules on top of a preset (``rule = "off" | "info" | "warn" | "error"``).
"""

from __future__ import annotations

CORRECTNESS: dict[str, str] = {
    "no-duplicate-ids": "error",
    "no-dangling-references": "error",
    "no-duplicate-sequence-flows": "warning",
    "single-blank-start-event": "error",
    "sub-process-blank-start-event": "error",
    "event-sub-process-typed-start-event": "error",
    "ad-hoc-sub-process": "error",
    "link-event": "error",
}

RECOMMENDED: dict[str, str] = {
    **CORRECTNESS,
    "no-duplicate-sequence-flows": "error",
    "start-event-required": "error",
    "end-event-required": "error",
    "no-disconnected": "error",
    "no-implicit-split": "error",
    "no-implicit-start": "error",
    "no-implicit-end": "error",
    "superfluous-gateway": "warning",
    "no-gateway-join-fork": "error",
    "fake-join": "warning",
    "label-required": "error",
    "conditional-flows": "error",
    "single-event-definition": "error",
    "event-based-gateway": "error",
    "superfluous-termination": "warning",
    "no-bpmndi": "error",
    "no-deadlock": "error",
    "option-to-complete": "error",
    "no-dead-tasks": "error",
    "no-lack-of-synchronisation": "error",
    "proper-completion": "error",
    "conformance-checkable": "warning",
}

ALL: dict[str, str] = {
    **RECOMMENDED,
    "default-flow-required": "warning",
    "no-complex-gateway": "error",
    "no-inclusive-gateway": "error",
}

PRESETS: dict[str, dict[str, str]] = {"correctness": CORRECTNESS, "recommended": RECOMMENDED, "all": ALL}
DEFAULT_PRESET = "recommended"
