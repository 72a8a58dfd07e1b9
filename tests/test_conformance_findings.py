"""Each conformance finding appears when the log deviates that way, and not otherwise.

Models are tiny BPMN files (``test_conformance_models``); logs are built case by case, one case a day,
events an hour apart, so the expected answer can be worked out by hand.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.factories import make_log
from tests.test_conformance_models import kinds, parallel_with_loop, run_check, sequence_with_choice


def cases_log(groups: list[tuple[list[str], int]], start: str = "2024-01-01"):
    """One case per day, in the order given: ``(trace, how many cases)``."""
    rows = []
    day = datetime.fromisoformat(start)
    n = 0
    for trace, count in groups:
        for _ in range(count):
            n += 1
            for hour, activity in enumerate(trace):
                rows.append((f"c{n:04d}", activity, (day + timedelta(days=n, hours=hour)).isoformat()))
    return make_log(rows)


def interleaved(groups: list[tuple[list[str], int]]) -> list[tuple[list[str], int]]:
    """Spread the groups evenly over time (so no activity looks retired by accident)."""
    pool = [trace for trace, count in groups for _ in range(count)]
    total = len(pool)
    order = sorted(range(total), key=lambda i: ((i * 7919) % total, i))
    return [(pool[i], 1) for i in order]


ABCE, ABDE = ["A", "B", "C", "E"], ["A", "B", "D", "E"]


@pytest.fixture
def choice_model(tmp_path):
    return sequence_with_choice(tmp_path)


def test_a_fitting_log_has_no_findings_and_fitness_one(choice_model):
    result = run_check(choice_model, cases_log(interleaved([(ABCE, 60), (ABDE, 40)])))
    assert kinds(result) == []
    # pm4py's log fitness counts silent moves (cost 1 against 10,000 for a deviation): a hair below 1
    assert result.section.fitness == pytest.approx(1.0, abs=1e-3)
    assert result.section.average_trace_fitness == 1.0
    assert result.section.fitting_cases == 100
    tasks = {t.task: t for t in result.section.tasks}
    assert tasks["C"].cases_executed == 60 and tasks["D"].cases_executed == 40
    assert tasks["A"].mandatory and not tasks["C"].mandatory


def test_normalised_names_still_fit(choice_model):
    log = cases_log(interleaved([(["a", "B ", "c", "E_"], 60), (["a", "B ", "d.", "E_"], 40)]))
    result = run_check(choice_model, log)
    assert kinds(result) == []
    assert result.section.average_trace_fitness == 1.0


def test_names_equal_once_folded_are_ambiguous_and_not_guessed(choice_model):
    log = cases_log(interleaved([(["A", "B", "C", "E"], 60), (["A", "b", "D", "E"], 40)]))
    found = kinds(run_check(choice_model, log))
    assert ("ambiguous_match", "T_B") not in found  # "B" matches exactly: no ambiguity
    log = cases_log(interleaved([(["A", "B ", "C", "E"], 60), (["A", "b", "D", "E"], 40)]))
    found = kinds(run_check(choice_model, log))
    assert ("ambiguous_match", "T_B") in found
    assert {("undocumented_step", "B "), ("undocumented_step", "b"), ("outdated_step", "T_B")} <= set(found)


def test_undocumented_step_with_its_share_and_place(choice_model):
    log = cases_log(interleaved([(["A", "B", "X", "C", "E"], 30), (ABCE, 30), (ABDE, 40)]))
    result = run_check(choice_model, log)
    assert kinds(result) == [("undocumented_step", "X")]
    finding = result.findings[0]
    assert finding.metrics["cases"] == 30 and finding.metrics["share"] == pytest.approx(0.3)
    assert finding.metrics["typically_after"] == "B"


def test_skipped_mandatory_step_above_threshold_only(choice_model):
    skipping = cases_log(interleaved([(["A", "C", "E"], 20), (ABCE, 40), (ABDE, 40)]))
    result = run_check(choice_model, skipping)
    assert kinds(result) == [("skipped_step", "B")]
    assert result.findings[0].metrics["cases_skipped"] == 20
    assert result.findings[0].location.element_id == "T_B"
    rarely = cases_log(interleaved([(["A", "C", "E"], 2), (ABCE, 58), (ABDE, 40)]))
    assert kinds(run_check(choice_model, rarely)) == []
    assert kinds(run_check(choice_model, skipping, max_skip_share=0.25)) == []


def test_skipping_a_whole_choice_is_reported_at_the_choice_not_at_a_branch(choice_model):
    # A B E: neither C nor D. An optimal alignment moves on C or on D (a tie): the skip belongs to the
    # exclusive choice, so no branch is blamed and the finding names both, at the gateway.
    result = run_check(choice_model, cases_log(interleaved([(["A", "B", "E"], 30), (ABCE, 40), (ABDE, 30)])))
    (finding,) = result.findings
    assert finding.kind == "skipped_step" and finding.location.task is None
    assert finding.metrics["tasks"] == ["C", "D"] and finding.metrics["cases_skipped"] == 30
    assert finding.location.element_id == "X1"  # the exclusive split in front of C and D
    assert "none of 'C' and 'D' is done in 30 of 100 cases" in finding.message
    assert [c.to_dict() for c in result.section.choices] == [{"tasks": ["C", "D"], "cases": 30}]
    tasks = {t.task: t for t in result.section.tasks}
    assert tasks["C"].cases_skipped == tasks["D"].cases_skipped == 0
    assert tasks["C"].model_moves == tasks["D"].model_moves == 0
    assert result.section.fitness < 1.0


def test_order_violation_when_documented_order_is_reversed(choice_model):
    log = cases_log(interleaved([(["B", "A", "C", "E"], 20), (ABCE, 40), (ABDE, 40)]))
    result = run_check(choice_model, log)
    assert kinds(result) == [("order_violation", "B<A")]
    finding = result.findings[0]
    assert (finding.metrics["cases_reversed"], finding.metrics["cases_with_both"]) == (20, 100)
    # the location names the order seen in the log, as the message does (not the documented A -> B)
    assert finding.message.startswith(("'B' happens before 'A'", "'A' happens after 'B'"))
    tasks = {t.task: t for t in result.section.tasks}
    assert tasks["A"].cases_out_of_order + tasks["B"].cases_out_of_order == 20
    assert tasks["A"].cases_skipped == tasks["B"].cases_skipped == 0


def test_parallel_branches_in_either_order_and_loops_are_fine(tmp_path):
    model = parallel_with_loop(tmp_path)
    log = cases_log(
        interleaved(
            [
                (["A", "B", "C", "D", "E"], 40),
                (["A", "C", "B", "D", "E"], 40),
                (["A", "B", "C", "D", "D", "E"], 20),
            ]
        )
    )
    result = run_check(model, log)
    assert kinds(result) == []
    assert result.section.average_trace_fitness == 1.0
    reversed_log = cases_log(interleaved([(["D", "A", "B", "C", "E"], 20), (["A", "B", "C", "D", "E"], 80)]))
    assert kinds(run_check(model, reversed_log)) == [("order_violation", "D<A")]


def test_outdated_step_not_executed_since_a_date(choice_model):
    early = interleaved([(ABCE, 40), (ABDE, 35)])  # first 75 days: D in about half the cases
    late = [(ABCE, 25)]  # last 25 days: never D
    result = run_check(choice_model, cases_log(early + late))
    assert kinds(result) == [("outdated_step", "D")]
    finding = result.findings[0]
    assert "since 2024-03-" in finding.message
    assert finding.metrics["expected_in_recent_period"] >= 5
    # a recent period too short to prove anything by itself (10 cases, 4.7 expected executions of D):
    # D's trailing gap does (25 cases started since its last execution, 11.7 expected, none done)
    short = run_check(choice_model, cases_log(early + late), recent_period="10d")
    assert kinds(short) == [("outdated_step", "D")]
    assert short.findings[0].metrics["cases_since"] == 25
    assert short.findings[0].metrics["expected_since"] == pytest.approx(35 / 75 * 25, abs=0.1)
    # a recent period that covers the whole log: the trailing gap still finds the retired step
    whole = run_check(choice_model, cases_log(early + late), recent_period="2023-01-01")
    assert kinds(whole) == [("outdated_step", "D")]


def test_cases_still_open_at_the_export_are_not_skips(choice_model):
    # every case ends with E ten days after it starts; the export stops before the last 30 cases reach it:
    # the 20 cases started after E's last execution (day 80) are open, not skipping E (without counting only
    # cases that ran long enough, E's earlier rate would predict 17.5 executions among them)
    rows = []
    start = datetime.fromisoformat("2024-01-01")
    for n in range(1, 101):
        day = start + timedelta(days=n)
        case = f"c{n:03d}"
        rows += [(case, "A", day.isoformat()), (case, "B", (day + timedelta(hours=1)).isoformat())]
        rows.append((f"c{n:03d}", "C" if n % 2 else "D", (day + timedelta(hours=2)).isoformat()))
        if n <= 70:
            rows.append((f"c{n:03d}", "E", (day + timedelta(days=10)).isoformat()))
    result = run_check(choice_model, make_log(rows), recent_period="2023-01-01")
    assert ("outdated_step", "E") not in kinds(result)


def test_rare_optional_step_silent_lately_is_not_outdated(choice_model):
    early = interleaved([(ABCE, 73), (ABDE, 2)])
    result = run_check(choice_model, cases_log([*early, (ABCE, 25)]))
    assert kinds(result) == []


def test_documented_step_never_executed(choice_model):
    result = run_check(choice_model, cases_log([(ABCE, 50)]))
    assert kinds(result) == [("outdated_step", "T_D")]
    assert "never executed" in result.findings[0].message


def test_low_fitness_only_below_the_minimum(choice_model):
    log = cases_log(interleaved([(["A", "C", "E"], 20), (ABCE, 40), (ABDE, 40)]))
    fitness = run_check(choice_model, log).section.fitness
    assert 0.9 < fitness < 1.0
    assert ("low_fitness", None) in kinds(run_check(choice_model, log, min_fitness=0.99))
    assert ("low_fitness", None) not in kinds(run_check(choice_model, log, min_fitness=0.9))


def test_mapping_file_pairs_differently_named_activities(choice_model):
    log = cases_log(interleaved([(["A", "Bee", "C", "E"], 60), (["A", "Bee", "D", "E"], 40)]))
    unmapped = run_check(choice_model, log)
    assert ("undocumented_step", "Bee") in kinds(unmapped)
    assert ("outdated_step", "T_B") in kinds(unmapped)
    assert kinds(run_check(choice_model, log, mapping={"B": "Bee"})) == []


def test_translation_warnings_become_findings_with_the_element(tmp_path):
    from tests.test_conformance_models import write_bpmn

    model = write_bpmn(
        tmp_path / "unnamed.bpmn",
        [
            ("S", "startEvent", None),
            ("T_A", "task", "A"),
            ("T_X", "task", None),
            ("T_B", "task", "B"),
            ("End", "endEvent", None),
        ],
        [("S", "T_A"), ("T_A", "T_X"), ("T_X", "T_B"), ("T_B", "End")],
    )
    result = run_check(model, cases_log([(["A", "B"], 10)]))
    assert kinds(result) == [("untranslated_element", "T_X")]
    finding = result.findings[0]
    assert finding.code == "C006" and finding.location.line and "no name" in finding.message
    assert result.section.average_trace_fitness == 1.0  # the unnamed task is silent, not a deviation


def test_an_order_violation_names_a_few_of_the_steps_it_jumped_and_counts_the_rest():
    """BPIC 2015's documented model: one step came after 27 others; the message names three, the evidence
    all of them."""
    from procmine.analyses.conformance_findings import TaskPlace, order_reversed
    from procmine.analyses.order_check import Reversal

    others = tuple(f"step {i:02d}" for i in range(27))
    finding = order_reversed(Reversal("late", others, False, 134, 446), TaskPlace("m.bpmn"), 0.05)
    assert finding.message.startswith(
        "'late' happens after 'step 00', 'step 01', 'step 02' and 24 other steps in 134 of 446 cases"
    )
    assert finding.metrics["other_tasks"] == list(others)
    four = order_reversed(Reversal("late", others[:4], True, 5, 9), TaskPlace("m.bpmn"), 0.05)
    assert four.message.startswith("'late' happens before 'step 00', 'step 01', 'step 02', 'step 03' in 5")


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_rests_while_the_alignments_are_read_and_is_left_as_found(
    choice_model, monkeypatch, enabled
):
    import gc

    from procmine.analyses import conformance

    seen = []
    reading = conformance.variant_deviations

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return reading(*args, **kwargs)

    monkeypatch.setattr(conformance, "variant_deviations", spy)
    frozen = gc.get_freeze_count()
    (gc.enable if enabled else gc.disable)()
    try:
        run_check(choice_model, cases_log([(ABCE, 3), (ABDE, 2)]))
        assert seen == [False] and gc.isenabled() == enabled
        assert gc.get_freeze_count() == 0 if not frozen else gc.get_freeze_count() >= frozen  # as found
    finally:
        gc.enable()
        if not frozen:
            gc.unfreeze()
