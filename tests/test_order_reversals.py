"""Documented orders reversed per variant: the array formulation against the plain one (each trace walked
event by event, each documented pair looked up), on a hand-worked log and on random logs."""

from __future__ import annotations

import random

from procmine.analyses.alignment_stats import Variants
from procmine.analyses.model_order import ModelRelations
from procmine.analyses.order_check import _reversed_pairs, reversals


def _plain(traces, relations, task_activity):
    tasks = sorted(task_activity)
    ordered = [(p, q) for p in tasks for q in tasks if relations.documented_before(p, q)]
    found = {pair: (set(), set()) for pair in ordered}
    for index, trace in enumerate(traces):
        first, last = {}, {}
        for position, activity in enumerate(trace):
            for task in tasks:
                if task_activity[task] == activity:
                    first.setdefault(task, position)
                    last[task] = position
        for p, q in ordered:
            if p in first and q in first:
                found[(p, q)][1].add(index)
                if first[q] < last[p]:
                    found[(p, q)][0].add(index)
    return {pair: sets for pair, sets in found.items() if sets[0]}


def _sequence(*labels):
    """A model doing ``labels`` in this order, once each."""
    return ModelRelations(known=True, can_follow={x: set(labels[i + 1 :]) for i, x in enumerate(labels)})


def test_a_hand_worked_log():
    relations = _sequence("Register", "Check", "Pay")
    task_activity = {"Register": "register", "Check": "check", "Pay": "pay"}
    traces = [
        ("register", "check", "pay"),  # in order
        ("check", "register", "pay"),  # Check before Register
        ("register", "pay", "check", "pay"),  # some Check after some Pay... and a Pay after it
        ("pay", "unknown"),  # only one of each pair
    ]
    variants = Variants(traces, [5, 3, 2, 1], cases=None)  # type: ignore[arg-type]
    assert _reversed_pairs(variants, relations, task_activity) == {
        ("Register", "Check"): ({1}, {0, 1, 2}),
        ("Check", "Pay"): ({2}, {0, 1, 2}),
    }
    found = reversals(variants, relations, task_activity, 0.1, {})
    assert [(r.task, r.others, r.cases_reversed, r.cases_with_both) for r in found] == [
        ("Check", ("Pay", "Register"), 5, 10)
    ]


def test_random_logs_give_what_the_plain_walk_gives():
    generator = random.Random(7)
    activities = ["a", "b", "c", "d", "e", "f"]
    reversed_somewhere = 0
    for _ in range(40):
        labels = generator.sample(activities, 5)
        tasks = [f"T_{x}" for x in labels]
        relations = _sequence(*tasks[:4])
        relations.can_follow[tasks[4]] = {tasks[0]}  # a loop: T4 and T0 both before and after each other
        relations.can_follow[tasks[0]].add(tasks[4])
        relations.can_follow["T_twin"] = set(relations.can_follow[tasks[1]])  # a second task on one activity
        relations.can_follow[tasks[0]].add("T_twin")
        relations.can_follow[tasks[1]].add("T_twin")  # documented after the task sharing its activity
        task_activity = {task: x for task, x in zip(tasks, labels, strict=True)} | {"T_twin": labels[1]}
        traces = [
            tuple(generator.choice([*activities, "z"]) for _ in range(generator.randint(0, 9)))
            for _ in range(generator.randint(1, 30))
        ]
        variants = Variants(traces, [1] * len(traces), cases=None)  # type: ignore[arg-type]
        expected = _plain(traces, relations, task_activity)
        found = _reversed_pairs(variants, relations, task_activity)
        assert found == expected
        assert list(found) == list(expected)
        reversed_somewhere += bool(expected)
    assert reversed_somewhere > 30
