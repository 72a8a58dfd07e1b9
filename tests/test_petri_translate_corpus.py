"""Every readable .bpmn of the public corpus translates, every process, without a traceback."""

from __future__ import annotations

import pytest

from procmine.errors import InputError
from procmine.io.bpmn import read_bpmn
from procmine.petri.translate import translate_all

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


def test_every_corpus_model_translates_or_is_refused_by_name(shared_data):
    tally = {"read": 0, "refused": 0, "translated": 0, "with_warnings": 0}
    for path in sorted((shared_data / "models").rglob("*.bpmn")):
        try:
            model = read_bpmn(path)
        except InputError:
            tally["refused"] += 1
            continue
        tally["read"] += 1
        translations = translate_all(model)  # a crash here fails the test, naming the file via the traceback
        tally["translated"] += 1
        tally["with_warnings"] += any(t.warnings for t in translations)
        for translation in translations:
            for warning in translation.warnings:
                assert warning.element_id and warning.element_type and warning.message
            for transition in translation.net.transitions:
                assert transition.label is None or transition.label.strip() == transition.label
    assert tally["read"] + tally["refused"] >= 466
    assert tally["translated"] == tally["read"] >= 400  # pm4py 2.7.23 imports 371 of 466


def _ends_by_scanning_every_place(builder, initial):
    """The same exploration as ``translate._ends_reached_together`` with dense markings (a count per
    place, every place scanned for the transitions to try): what it replaced."""
    from collections import deque

    from procmine.petri.translate import END_CHECK_LIMIT

    net = builder.net
    index = {place: i for i, place in enumerate(net.places)}
    pre = [tuple(index[p] for p in net.preset(t)) for t in net.transitions]
    post = [tuple(index[p] for p in net.postset(t)) for t in net.transitions]
    consumers = [[] for _ in net.places]
    for t, places in enumerate(pre):
        for i in places:
            consumers[i].append(t)
    watched = {index[place]: sub for sub, place in builder.collectors.items()}
    sink = index[builder.sink] if builder.sink is not None else None
    start = [0] * len(net.places)
    for place, count in initial.items():
        start[index[place]] = count
    seen = {tuple(start)}
    queue = deque(seen)
    vanish, absorb = False, set()
    while queue:
        marking = queue.popleft()
        vanish |= sink is not None and marking[sink] >= 2
        absorb.update(sub for i, sub in watched.items() if marking[i] >= 2)
        for t in {t for i, n in enumerate(marking) if n for t in consumers[i]}:
            if all(marking[i] for i in pre[t]):
                after = list(marking)
                for i in pre[t]:
                    after[i] -= 1
                for i in post[t]:
                    after[i] += 1
                if tuple(after) not in seen:
                    if len(seen) >= END_CHECK_LIMIT:
                        return True, frozenset(absorb)
                    seen.add(tuple(after))
                    queue.append(tuple(after))
    return vanish, frozenset(absorb)


def test_sparse_markings_find_the_ends_a_scan_of_every_place_finds(shared_data, monkeypatch):
    from procmine.petri import translate

    explored = []
    sparse = translate._ends_reached_together

    def both(builder, initial):
        found = sparse(builder, initial)
        assert found == _ends_by_scanning_every_place(builder, initial)
        explored.append(found)
        return found

    monkeypatch.setattr(translate, "_ends_reached_together", both)
    for path in sorted((shared_data / "models").rglob("*.bpmn")):
        try:
            translate_all(read_bpmn(path))
        except InputError:
            continue
    assert len(explored) >= 200 and sum(v for v, _ in explored) >= 100 and any(a for _, a in explored)
