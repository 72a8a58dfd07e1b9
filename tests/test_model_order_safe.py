"""The model's state space explored with markings as bit sets (safe nets) is the one explored with token
counts: the same markings in the same order, the same edges, the same final states, on every BPMN model
of the test fixtures, the sample and (when present) the shared models, full and reduced."""

from __future__ import annotations

from pathlib import Path

import pytest

from procmine.analyses.model_net import netspec_from_translation
from procmine.analyses.model_order import _counted_graph, _safe_graph, model_relations
from procmine.errors import InputError
from procmine.io.bpmn import read_bpmn
from procmine.petri.translate import lean, translate_all

FIXTURES = Path(__file__).parent / "fixtures"


def _nets(files):
    for file in files:
        try:
            translations = translate_all(read_bpmn(file))
        except (InputError, ValueError):
            continue  # the malformed-file fixtures
        for translation in translations:
            yield netspec_from_translation(translation)
            yield netspec_from_translation(lean(translation))


def _same_space(nets) -> int:
    safe_nets = 0
    for net in nets:
        quick = _safe_graph(net)
        if quick is None:
            continue  # a place would hold two tokens: explored with counts only
        counted = _counted_graph(net)
        safe_nets += 1
        if isinstance(counted, str):
            assert quick == counted
            continue
        states, edges, final = counted
        assert len(quick[0]) == len(states)
        assert quick[1] == edges
        assert quick[2] == final
    return safe_nets


def test_the_fixtures_and_the_sample(sample_logs):
    files = [*sorted(FIXTURES.rglob("*.bpmn")), sample_logs / "complaints_documented.bpmn"]
    assert _same_space(_nets(files)) > 50


@pytest.mark.slow
def test_the_shared_models(shared_data):
    """The models that come with logs and pm4py's, and every fifth MIWG model (all of them: 11 s)."""
    models = shared_data / "models"
    files = [
        *sorted((models / "bpmn_with_logs").rglob("*.bpmn")),
        *sorted((models / "pm4py").rglob("*.bpmn")),
    ]
    files += sorted((models / "miwg").rglob("*.bpmn"))[::5]
    assert _same_space(_nets(files)) > 40


def test_an_unsafe_net_is_explored_with_counts():
    from procmine.adapter.netspec import NetSpec, TransitionSpec

    def net(arcs):
        transitions = tuple(TransitionSpec(t, t.upper()) for t in ("t", "u", "v", "w"))
        return NetSpec(("i", "p", "q", "r", "o"), transitions, arcs, {"i": 1}, {"o": 1})

    weighted = net((("i", "t", 1), ("t", "r", 2), ("r", "w", 2), ("w", "o", 1)))
    # t splits into p and q, u and v each put a token in r: r holds two
    joined = net(
        (
            ("i", "t", 1),
            ("t", "p", 1),
            ("t", "q", 1),
            ("p", "u", 1),
            ("u", "r", 1),
            ("q", "v", 1),
            ("v", "r", 1),
            ("r", "w", 1),
            ("w", "o", 1),
        )
    )
    for unsafe in (weighted, joined):
        assert _safe_graph(unsafe) is None
        states, _, _ = _counted_graph(unsafe)  # type: ignore[misc]
        relations = model_relations(unsafe)
        assert relations.known and relations.states == len(states)
    assert model_relations(weighted).mandatory == {"T", "W"}


def test_too_many_markings_and_an_unbounded_net_say_so(monkeypatch, sample_logs):
    from procmine.adapter.netspec import NetSpec, TransitionSpec
    from procmine.analyses import model_order

    [net] = list(_nets([sample_logs / "complaints_documented.bpmn"]))[:1]
    monkeypatch.setattr(model_order, "MAX_STATES", 3)
    too_many = "the state space exceeds 3 markings"
    assert _safe_graph(net) == _counted_graph(net) == too_many
    assert model_relations(net).reason == too_many and not model_relations(net).known
    monkeypatch.undo()
    # t keeps its own token and adds one to p each time: p grows without bound
    growing = NetSpec(
        ("i", "p"), (TransitionSpec("t", "T"),), (("i", "t", 1), ("t", "i", 1), ("t", "p", 1)), {"i": 1}, {}
    )
    assert _safe_graph(growing) is None
    assert model_relations(growing).reason == "the net is unbounded (place p exceeds 20 tokens)"
