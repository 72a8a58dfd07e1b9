"""procmine's computations for pm4py's sequence and concurrency cuts answer exactly as pm4py's own, and the
inductive miner finds the same model with them. (pm4py is imported inside the tests: see conftest.py.)"""

from __future__ import annotations

import random
from itertools import pairwise
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _pm4py(pm4py):
    return pm4py


def _dfg(graph: dict, starts: dict, ends: dict) -> Any:
    from pm4py.objects.dfg.obj import DFG

    return DFG(graph, starts, ends)


def random_dfg(seed: int, activities: int, arcs: int) -> Any:
    rng = random.Random(seed)
    names = [f"a{k}" for k in range(activities)]
    graph = {(rng.choice(names), rng.choice(names)): rng.randint(1, 9) for _ in range(arcs)}
    starts = {rng.choice(names): 3 for _ in range(3)}
    ends = {rng.choice(names): 3 for _ in range(3)}
    return _dfg(graph, starts, ends)


@pytest.mark.parametrize(("seed", "activities", "arcs"), [(1, 8, 6), (2, 30, 40), (3, 30, 120), (4, 60, 70)])
def test_the_same_relations_as_pm4py(seed, activities, arcs):
    from pm4py.objects.dfg import util as dfu

    from procmine.adapter.faster_cuts import transitive_relations

    dfg = random_dfg(seed, activities, arcs)
    theirs = dfu.get_transitive_relations(dfg)
    ours = transitive_relations(dfg)
    names = dfu.get_vertices(dfg)
    for mine, reference in zip(ours, theirs, strict=True):
        assert set(mine) == set(reference)
        for a in names:
            assert len(mine[a]) == len(reference[a]) and set(mine[a]) == set(reference[a])
            assert all((b in mine[a]) == (b in reference[a]) for b in names)
            assert "not an activity" not in mine[a]


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_the_inductive_miner_finds_the_same_model(seed):
    from pm4py.algo.discovery.inductive import algorithm as inductive_miner
    from pm4py.objects.dfg import util as dfu

    from procmine.adapter.faster_cuts import faster_cuts, transitive_relations

    rng = random.Random(seed)
    chain = [f"s{k}" for k in range(12)]  # a sequence with loops and choices: cuts of every kind
    graph = {(a, b): rng.randint(1, 9) for a, b in pairwise(chain)}
    graph.update({(chain[k + 2], chain[k]): 2 for k in range(0, 9, 4)})
    graph.update({(chain[k], chain[k + 2]): 1 for k in range(1, 9, 3)})
    dfg = _dfg(graph, {"s0": 10}, {"s11": 10})
    params = {"multiprocessing": False}
    reference = inductive_miner.apply(dfg, variant=inductive_miner.Variants.IMd, parameters=params)
    with faster_cuts():
        ours = inductive_miner.apply(dfg, variant=inductive_miner.Variants.IMd, parameters=params)
    assert str(ours) == str(reference) and "->" in str(reference)
    assert dfu.get_transitive_relations is not transitive_relations  # restored


@pytest.mark.parametrize("seed", range(4))
def test_the_inductive_miner_finds_the_same_model_with_concurrency(seed):
    from pm4py.algo.discovery.inductive import algorithm as inductive_miner

    from procmine.adapter.faster_cuts import faster_cuts

    dfg = parallel_dfg(seed)
    params = {"multiprocessing": False}
    reference = inductive_miner.apply(dfg, variant=inductive_miner.Variants.IMd, parameters=params)
    with faster_cuts():
        ours = inductive_miner.apply(dfg, variant=inductive_miner.Variants.IMd, parameters=params)
    assert str(ours) == str(reference)


def parallel_dfg(seed: int) -> Any:
    """Three blocks of activities interleaved with each other, with noise: concurrency cuts to find."""
    rng = random.Random(seed)
    blocks = [[f"{b}{k}" for k in range(rng.randint(1, 4))] for b in "xyz"]
    names = [a for block in blocks for a in block]
    graph = {}
    for i, block in enumerate(blocks):
        for other in blocks[i + 1 :]:
            for a in block:
                for b in other:
                    graph[(a, b)] = graph[(b, a)] = 1
        graph.update({(a, b): 2 for a, b in pairwise(block)})
    for _ in range(rng.randint(0, 3)):  # noise: an arc one way only, or a missing one
        graph.pop((rng.choice(names), rng.choice(names)), None)
    return _dfg(
        graph, {blocks[0][0]: 5, blocks[1][0]: 5, rng.choice(names): 1}, {blocks[2][-1]: 5, blocks[0][-1]: 5}
    )


@pytest.mark.parametrize("seed", range(12))
def test_the_same_concurrency_groups_as_pm4py(seed):
    from pm4py.algo.discovery.inductive.cuts.concurrency import ConcurrencyCutDFG
    from pm4py.algo.discovery.inductive.dtypes.im_dfg import InductiveDFG
    from pm4py.algo.discovery.inductive.dtypes.im_ds import IMDataStructureDFG
    from pm4py.objects.dfg.obj import DFG as Dfg

    from procmine.adapter.faster_cuts import concurrency_groups

    dfg = parallel_dfg(seed) if seed % 3 else random_dfg(seed, 12, 60)
    reference = ConcurrencyCutDFG.holds(IMDataStructureDFG(InductiveDFG(dfg)))
    assert concurrency_groups(dfg) == reference
    assert concurrency_groups(Dfg()) is None


def test_the_patches_are_in_place_only_while_mining():
    from pm4py.algo.discovery.inductive.cuts.concurrency import ConcurrencyCut

    from procmine.adapter.faster_cuts import faster_cuts

    before = ConcurrencyCut.__dict__["holds"]
    with faster_cuts():
        assert ConcurrencyCut.__dict__["holds"] is not before
    assert ConcurrencyCut.__dict__["holds"] is before


def random_variants(seed: int) -> Any:
    """A log of variants (pm4py's UVCL: variant -> cases) with repeats, loops and an empty variant."""
    from collections import Counter

    rng = random.Random(seed)
    names = [f"t{k}" for k in range(rng.randint(2, 9))]
    log: Counter = Counter()
    for _ in range(rng.randint(1, 40)):
        log[tuple(rng.choice(names) for _ in range(rng.randint(0, 12)))] += rng.randint(1, 50)
    return log


@pytest.mark.parametrize("seed", range(30))
def test_the_same_directly_follows_graph_of_variants_as_pm4py(seed):
    from pm4py.util.compression import util as comut

    from procmine.adapter.faster_cuts import variants_dfg

    log = random_variants(seed)
    theirs, ours = comut.discover_dfg_uvcl(log), variants_dfg(log)
    for part in ("graph", "start_activities", "end_activities"):  # the same counts, in the same order
        assert list(getattr(ours, part).items()) == list(getattr(theirs, part).items())


@pytest.mark.parametrize(("seed", "noise"), [(s, n) for s in range(8) for n in (0.0, 0.2)])
def test_the_inductive_miner_finds_the_same_model_from_variants(seed, noise):
    from pm4py.algo.discovery.inductive.dtypes.im_ds import IMDataStructureUVCL
    from pm4py.algo.discovery.inductive.variants.im import IMUVCL
    from pm4py.algo.discovery.inductive.variants.imf import IMFUVCL
    from pm4py.util.compression import util as comut

    from procmine.adapter.faster_cuts import faster_cuts, variants_dfg

    log = random_variants(100 + seed)
    params = {"noise_threshold": noise, "multiprocessing": False, "disable_fallthroughs": False}
    miner = IMFUVCL(params) if noise else IMUVCL(params)  # (as procmine runs it: adapter/discovery.py)
    reference = miner.apply(IMDataStructureUVCL(log), params)
    with faster_cuts():
        ours = miner.apply(IMDataStructureUVCL(log), params)
    assert str(ours) == str(reference)
    assert comut.discover_dfg_uvcl is not variants_dfg  # restored
