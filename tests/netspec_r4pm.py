"""procmine's NetSpec as r4pm's Petri net dict, for tests that check procmine's alignments against r4pm."""

from __future__ import annotations

import uuid
from typing import Any

_NAMESPACE = uuid.UUID("6f1c2d4e-8a7b-4c3d-9e0f-a1b2c3d4e5f6")


def to_r4pm(spec: Any) -> dict[str, Any]:
    def uid(kind: str, name: str) -> str:
        return str(uuid.uuid5(_NAMESPACE, f"{kind}:{name}"))

    place_ids = set(spec.places)
    arcs = []
    for source, target, weight in spec.arcs:
        if source in place_ids:
            arc_type = {"type": "PlaceTransition", "nodes": [uid("p", source), uid("t", target)]}
        else:
            arc_type = {"type": "TransitionPlace", "nodes": [uid("t", source), uid("p", target)]}
        arcs.append({"from_to": arc_type, "weight": weight})
    return {
        "places": {uid("p", p): {"id": uid("p", p)} for p in spec.places},
        "transitions": {uid("t", t.id): {"id": uid("t", t.id), "label": t.label} for t in spec.transitions},
        "arcs": arcs,
        "initial_marking": {uid("p", p): n for p, n in spec.initial.items()},
        "final_markings": [{uid("p", p): n for p, n in spec.final.items()}],
    }
