"""The pattern every typed report section follows (datasette's documented context dataclasses).

A section is a dataclass deriving from ``Section`` whose fields are declared with ``doc("help text")``:
analyses build it, renderers read its fields, ``to_dict()`` gives the JSON that ``schemas/report.schema.json``
documents (fields in declaration order, which is the JSON's key order), and ``from_dict()`` reads it back
from an earlier report (``audit --previous``). A test checks that every field has a help text and that the
fields and the schema's properties are the same.

Rows of a section (one per activity, per handover...) are ``Section`` dataclasses too, so they document
their fields the same way. Field types drive ``from_dict``: a nested ``Section`` type, ``list[...]``,
``tuple[...]``, ``dict[str, ...]`` and ``X | None`` are converted; anything else is taken as it is.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from typing import Any, ClassVar, Self, TypeVar

MISSING: Any = dataclasses.MISSING


def doc(
    help: str,
    *,
    default: Any = MISSING,
    default_factory: Any = MISSING,
    key: str | None = None,
    omit_none: bool = False,
    present_with: str | None = None,
) -> Any:
    """A documented field. ``key``: its JSON name when that is not a Python name (``from``);
    ``omit_none``: left out of the JSON when None (for keys the schema makes optional);
    ``present_with``: in the JSON exactly when that other field is not None (a rate that may be null
    beside its count)."""
    metadata = {"help": help, "key": key, "omit_none": omit_none, "present_with": present_with}
    return dataclasses.field(default=default, default_factory=default_factory, metadata=metadata)


@dataclasses.dataclass(frozen=True)
class _FieldSpec:
    name: str
    key: str
    omit_none: bool
    required: bool
    present_with: str | None


class Section:
    """Base of typed sections and their rows: ``to_dict()`` and ``from_dict()`` from the fields.

    ``NAME`` is the key of a top-level section in the report JSON (``variants``, ``conformance``); rows
    leave it empty."""

    NAME: ClassVar[str] = ""
    LIST: ClassVar[bool] = False  # a row class whose NAME section is a list of its rows in the JSON

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in _specs(type(self)):
            value = getattr(self, spec.name)
            if value is None and spec.omit_none:
                continue
            if spec.present_with is not None and getattr(self, spec.present_with) is None:
                continue
            out[spec.key] = plain(value)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """The section from its JSON. A missing required key, or a key the class does not declare, is a
        ``ValueError``: a producer that adds a key must declare (and document) the field."""
        if not isinstance(data, dict):
            raise ValueError(f"{cls.__name__}: expected an object, got {type(data).__name__}")
        unknown = set(data) - {spec.key for spec in _specs(cls)}
        if unknown:
            raise ValueError(f"{cls.__name__}: unknown keys {sorted(unknown)}")
        hints = _hints(cls)
        values = {}
        for spec in _specs(cls):
            if spec.key in data:
                values[spec.name] = _typed(hints[spec.name], data[spec.key])
            elif spec.required:
                raise ValueError(f"{cls.__name__}: missing {spec.key!r}")
        return cls(**values)


S = TypeVar("S", bound=Section)


def plain(value: Any) -> Any:
    """A section, row, list, tuple or dict of them as plain JSON data."""
    if isinstance(value, Section):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def help_texts(cls: type[Section]) -> dict[str, str]:
    """JSON key -> help text of every field of ``cls`` (empty when undocumented)."""
    return {
        spec.key: str(f.metadata.get("help") or "")
        for spec, f in zip(_specs(cls), dataclasses.fields(cls), strict=True)  # type: ignore[arg-type]
    }


@cache
def _specs(cls: type) -> tuple[_FieldSpec, ...]:
    out = []
    for f in dataclasses.fields(cls):
        required = f.default is MISSING and f.default_factory is MISSING
        key = f.metadata.get("key") or f.name
        omit, companion = bool(f.metadata.get("omit_none")), f.metadata.get("present_with")
        out.append(_FieldSpec(f.name, key, omit, required, companion))
    return tuple(out)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _typed(hint: Any, value: Any) -> Any:
    """``value`` (plain JSON) converted to the type ``hint`` names, as far as the hint says."""
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        sections = [a for a in options if isinstance(a, type) and issubclass(a, Section)]
        if len(options) == 1 or (sections and isinstance(value, dict)):
            return _typed(sections[0] if sections else options[0], value)
        return value
    if isinstance(hint, type) and issubclass(hint, Section):
        return hint.from_dict(value)
    if origin is list:
        (item,) = typing.get_args(hint) or (Any,)
        return [_typed(item, v) for v in value]
    if origin is tuple:
        args = typing.get_args(hint)
        item = args[0] if args else Any
        return tuple(_typed(item, v) for v in value)
    if origin is dict:
        _, item = typing.get_args(hint) or (str, Any)
        return {k: _typed(item, v) for k, v in value.items()}
    return value
