"""Soundness exploration on hand-built Petri nets whose verdicts are worked out on paper."""

from __future__ import annotations

from types import SimpleNamespace

from procmine.petri.net import PetriNet
from procmine.petri.soundness import check_soundness


def net_of(arcs, final="end"):
    """arcs: [(transition, label, element, [inputs], [outputs])]; places by name; start at 'start'."""
    net = PetriNet()
    places = {}

    def place(name):
        if name not in places:
            places[name] = net.add_place(name, element_id=name)
        return places[name]

    place("start")
    for name, label, element, inputs, outputs in arcs:
        t = net.add_transition(name, label, element)
        net.connect([place(p) for p in inputs], t, [place(p) for p in outputs])
    final_marking = {place(final): 1} if final else {}
    return SimpleNamespace(net=net, initial={places["start"]: 1}, final=final_marking)


def kinds(result):
    return sorted((p.kind, p.element_id) for p in result.problems)


def test_sequence_is_sound():
    result = check_soundness(
        net_of([("a", "A", "Task_A", ["start"], ["p1"]), ("b", "B", "Task_B", ["p1"], ["end"])])
    )
    assert result.problems == [] and result.states == 3 and result.to_dict()["sound"]


def test_exclusive_split_into_parallel_join_deadlocks_and_kills_what_follows():
    result = check_soundness(
        net_of(
            [
                ("a", "A", "Task_A", ["start"], ["pa"]),
                ("b", "B", "Task_B", ["start"], ["pb"]),
                ("join", None, "Join", ["pa", "pb"], ["pj"]),
                ("c", "C", "Task_C", ["pj"], ["end"]),
            ]
        )
    )
    assert kinds(result) == [("dead", "Join"), ("dead", "Task_C"), ("deadlock", "Join")]
    (deadlock,) = result.of_kind("deadlock")
    assert deadlock.path == ("A",)  # breadth first: the shortest way into the deadlock
    assert deadlock.tokens == ("pa",)


def test_loop_without_exit_has_no_option_to_complete():
    result = check_soundness(
        net_of(
            [
                ("a", "A", "Task_A", ["start"], ["p1"]),
                ("loop", "Again", "Task_Loop", ["p1"], ["p1"]),
                ("never", None, "Gateway_Never", ["p1", "missing"], ["end"]),
            ]
        )
    )
    (livelock,) = result.of_kind("livelock")
    assert livelock.element_id == "Task_Loop" and livelock.path == ("A",)
    assert ("dead", "Gateway_Never") in kinds(result)


def test_parallel_branches_merged_exclusively_lack_synchronisation():
    result = check_soundness(
        net_of(
            [
                ("fork", None, "Fork", ["start"], ["pa", "pb"]),
                ("a", "A", "Task_A", ["pa"], ["ma"]),
                ("b", "B", "Task_B", ["pb"], ["mb"]),
                ("merge1", None, "Merge", ["ma"], ["pm"]),
                ("merge2", None, "Merge", ["mb"], ["pm"]),
                ("c", "C", "Task_C", ["pm"], ["pc"]),
                ("end", None, "End", ["pc"], []),
            ],
            final=None,
        )
    )
    unsafe = result.of_kind("unsafe")
    assert [u.element_id for u in unsafe] == ["Merge"]  # not again at Task_C: that is only passed on
    assert unsafe[0].path == ("A", "B")


def test_end_reached_with_work_left_is_improper_completion():
    result = check_soundness(
        net_of(
            [
                ("fork", None, "Fork", ["start"], ["pa", "pb"]),
                ("a", "A", "Task_A", ["pa"], ["end"]),
                ("join", None, "Join", ["pb", "never"], ["end"]),
            ]
        )
    )
    (improper,) = result.of_kind("improper_completion")
    assert improper.element_id == "Join" and improper.reason == "left"
    assert not result.of_kind("deadlock")


def parallel(branches):
    arcs = [("fork", None, "Fork", ["start"], [f"p{i}" for i in range(branches)])]
    arcs += [(f"t{i}", f"T{i}", f"Task_{i}", [f"p{i}"], [f"q{i}"]) for i in range(branches)]
    return net_of([*arcs, ("join", None, "Join", [f"q{i}" for i in range(branches)], ["end"])])


def test_state_limit_stops_and_withholds_global_verdicts():
    full = check_soundness(parallel(4))
    assert full.complete and full.states == 2 + 2**4 and full.problems == []
    result = check_soundness(parallel(16), state_limit=500)
    assert not result.complete and result.states == 500
    assert not result.decided and result.problems == []  # no dead-task verdict from half a state space


def test_unbounded_growth_is_cut_off_and_reported():
    result = check_soundness(
        net_of(
            [
                ("spawn", "Remind", "Task_Remind", ["start"], ["start", "pending"]),
                ("stop", None, "Gateway_Stop", ["start"], ["end"]),
            ]
        )
    )
    assert result.truncated >= 1 and not result.decided
    assert [p.element_id for p in result.of_kind("unsafe")] == ["Task_Remind"]
