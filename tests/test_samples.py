"""The bundled sample: deterministic, committed as generated, and its ground truth checked independently.

The figures procmine's analyses are tested against come from ``procmine.samples``; here they are
recomputed from the committed files with plain ``csv``/``lxml``/pandas code, so a bug in the generator's
own bookkeeping cannot hide.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

from procmine.cli import run
from procmine.samples import DEFAULT_CASES, DEFAULT_SEED, FILES, INJECTED, generate, injected_summary
from procmine.samples.writers import CSV_COLUMNS

SAMPLE_LOGS = Path(__file__).resolve().parents[1] / "sample_logs"
XES_NS = "{http://www.xes-standard.org/}"
MODEL_TASKS = {
    "Register complaint",
    "Classify complaint",
    "Investigate issue",
    "Propose solution",
    "Send confirmation letter",
    "Update CRM record",
    "Close complaint",
    "Send satisfaction survey",
}


@pytest.fixture(scope="module")
def sample():
    return generate()


@pytest.fixture(scope="module")
def csv_rows() -> list[dict[str, str]]:
    with open(SAMPLE_LOGS / "complaints.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def frame(csv_rows) -> pd.DataFrame:
    df = pd.DataFrame(csv_rows)
    df["start"] = pd.to_datetime(df["Start Timestamp"], utc=True, format="ISO8601")
    df["complete"] = pd.to_datetime(df["Complete Timestamp"], utc=True, format="ISO8601")
    df["Satisfaction"] = df["Satisfaction"].astype(int)
    return df.sort_values(["Complaint ID", "start"], kind="stable").reset_index(drop=True)


@pytest.fixture(scope="module")
def traces(frame) -> dict[str, list[str]]:
    return frame.groupby("Complaint ID", sort=True)["Activity"].agg(list).to_dict()


# --- generation -------------------------------------------------------------------------------


@pytest.mark.slow
def test_committed_sample_logs_equal_what_generate_produces(sample):
    """sample_logs/ is `procmine sample -o sample_logs` with the defaults: it can never drift."""
    assert sorted(p.name for p in SAMPLE_LOGS.iterdir()) == sorted(FILES)
    for name in FILES:
        assert (SAMPLE_LOGS / name).read_text(encoding="utf-8") == sample.files[name], name


def test_same_seed_gives_identical_bytes_and_another_seed_does_not():
    first, again, other = (
        generate(seed=7, cases=200),
        generate(seed=7, cases=200),
        generate(seed=8, cases=200),
    )
    assert first.files == again.files
    assert first.files["complaints.csv"] != other.files["complaints.csv"]
    assert first.files["complaints_documented.bpmn"] == other.files["complaints_documented.bpmn"]


def test_cli_writes_the_files_generate_produces(tmp_path):
    assert run(["sample", "-o", str(tmp_path / "out"), "--seed", "3", "--cases", "40"], debug=False) == 0
    expected = generate(seed=3, cases=40).files
    for name in FILES:
        assert (tmp_path / "out" / name).read_text(encoding="utf-8") == expected[name]
    readme = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "--seed 3 --cases 40" in readme


def test_cli_refuses_an_output_path_that_is_a_file(tmp_path, capsys):
    blocker = tmp_path / "taken"
    blocker.write_text("x")
    assert run(["sample", "-o", str(blocker), "--cases", "5"], debug=False) == 2
    assert "is a file" in capsys.readouterr().err
    assert run(["sample", "-o", str(blocker / "inside"), "--cases", "5"], debug=False) == 2
    err = capsys.readouterr().err
    assert err.startswith("procmine: error: ") and err.count("\n") == 1, err


def test_generate_rejects_no_cases():
    with pytest.raises(ValueError):
        generate(cases=0)


# --- the CSV and the XES ----------------------------------------------------------------------


def test_csv_has_the_documented_columns_and_size(csv_rows):
    header = (SAMPLE_LOGS / "complaints.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(CSV_COLUMNS)
    assert len({row["Complaint ID"] for row in csv_rows}) == DEFAULT_CASES
    for name in ("complaints.csv", "complaints.xes"):
        assert (SAMPLE_LOGS / name).stat().st_size < 12_000_000


def test_timestamps_carry_the_berlin_offset_of_their_date(csv_rows):
    offsets = Counter()
    for row in csv_rows:
        for column in ("Start Timestamp", "Complete Timestamp"):
            value = row[column]
            assert re.fullmatch(r"2026-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00", value), value
            local = datetime.fromisoformat(value)
            summer = date(2026, 3, 29) <= local.date() < date(2026, 10, 25)
            assert value.endswith("+02:00" if summer else "+01:00"), value
            offsets[value[-6:]] += 1
    assert offsets["+01:00"] > 1000 and offsets["+02:00"] > 1000


def test_work_happens_in_office_hours_within_the_period(csv_rows):
    for row in csv_rows:
        start = datetime.fromisoformat(row["Start Timestamp"])
        end = datetime.fromisoformat(row["Complete Timestamp"])
        assert date(2026, 1, 1) <= start.date() and end.date() <= date(2026, 9, 30)
        assert start.weekday() < 5 and start.date() == end.date()
        assert start.hour >= 8 and (end.hour, end.minute) <= (18, 0)
        assert start < end


def test_steps_of_a_case_and_the_work_of_an_agent_never_overlap(frame):
    previous = frame.groupby("Complaint ID")["complete"].shift()
    assert (frame["start"] >= previous).where(previous.notna(), True).all()
    by_agent = frame.sort_values(["Agent", "start"])
    before = by_agent.groupby("Agent")["complete"].shift()
    assert (by_agent["start"] >= before).where(before.notna(), True).all()
    assert set(frame["Agent"].str[:2]) == {"CS", "SP", "BO"}
    assert frame["Agent"].nunique() == 12 + 1 + 3


def test_csv_and_xes_carry_the_same_events(csv_rows):
    from_csv = sorted(
        (r["Complaint ID"], r["Activity"], r["Start Timestamp"], r["Complete Timestamp"], r["Agent"])
        for r in csv_rows
    )
    case_attributes_csv = {
        r["Complaint ID"]: (r["Channel"], r["Segment"], r["Product"], r["Satisfaction"]) for r in csv_rows
    }
    from_xes, case_attributes_xes = [], {}
    root = etree.parse(str(SAMPLE_LOGS / "complaints.xes")).getroot()
    assert root.get("xes.version") == "1849-2016"
    for trace in root.iter(f"{XES_NS}trace"):
        attrs = {a.get("key"): a.get("value") for a in trace if a.tag != f"{XES_NS}event"}
        case_id = attrs["concept:name"]
        case_attributes_xes[case_id] = (
            attrs["channel"],
            attrs["segment"],
            attrs["product"],
            attrs["satisfaction"],
        )
        open_starts: dict[str, str] = {}
        for event in trace.iter(f"{XES_NS}event"):
            e = {a.get("key"): a.get("value") for a in event}
            if e["lifecycle:transition"] == "start":
                assert e["concept:name"] not in open_starts
                open_starts[e["concept:name"]] = e["time:timestamp"]
            else:
                start = open_starts.pop(e["concept:name"])
                from_xes.append((case_id, e["concept:name"], start, e["time:timestamp"], e["org:resource"]))
        assert not open_starts
    assert sorted(from_xes) == from_csv
    assert case_attributes_xes == case_attributes_csv


@pytest.mark.slow
def test_procmine_reads_csv_and_xes_to_the_same_ground_truth(sample):
    from procmine.io.logs import read_log

    for name in ("complaints.csv", "complaints.xes"):
        log = read_log(SAMPLE_LOGS / name)
        assert log.quality.rows_dropped == 0
        assert injected_summary(log.events) == sample.realised, name


# --- the injected deviations, recomputed from the CSV -----------------------------------------


def test_only_the_injected_deviations_depart_from_the_documented_process(traces):
    """Every trace is the documented language, give or take exactly the injected deviations."""
    abbreviations = {
        "Register complaint": "R",
        "Classify complaint": "K",
        "Investigate issue": "I",
        "Propose solution": "P",
        "Call customer back": "B",
        "Send confirmation letter": "L",
        "Update CRM record": "U",
        "Close complaint": "C",
        "Send satisfaction survey": "S",
    }
    documented = re.compile(r"RK?I?P+(LU|UL|U)CS")  # K optional: skipped; L optional: outdated
    for case_id, activities in traces.items():
        word = "".join(abbreviations[a] for a in activities)
        assert word.count("B") <= 1, case_id
        if "B" in word:
            assert word[word.index("B") - 1] == "P", case_id  # the call-back follows a proposal
        assert documented.fullmatch(word.replace("B", "")), (case_id, word)


def test_realised_shares_are_near_the_targets(sample, traces):
    n = len(traces)
    call_back = sum("Call customer back" in t for t in traces.values()) / n
    skipped = sum("Classify complaint" not in t for t in traces.values()) / n
    rework = sum(t.count("Propose solution") > 1 for t in traces.values()) / n
    assert call_back == pytest.approx(INJECTED["undocumented_step"].target_share, abs=0.03)
    assert skipped == pytest.approx(INJECTED["skipped_step"].target_share, abs=0.03)
    assert rework == pytest.approx(INJECTED["rework"].target_share, abs=0.03)
    realised = sample.realised
    assert realised["undocumented_step"]["cases"] == round(call_back * n)
    assert realised["skipped_step"]["cases"] == round(skipped * n)
    assert realised["rework"]["cases"] == round(rework * n)
    assert realised["undocumented_step"]["case_ids"] == sorted(
        c for c, t in traces.items() if "Call customer back" in t
    )


def test_classify_is_skipped_mostly_in_chats(frame, sample):
    first = frame.groupby("Complaint ID").first()
    has_classify = frame[frame["Activity"] == "Classify complaint"]["Complaint ID"].unique()
    skipped = first[~first.index.isin(has_classify)]
    by_channel = skipped["Channel"].value_counts().to_dict()
    assert max(by_channel, key=by_channel.get) == INJECTED["skipped_step"].mostly_channel
    assert by_channel["chat"] > 0.7 * len(skipped)
    assert sample.realised["skipped_step"]["by_channel"] == dict(sorted(by_channel.items()))


def test_confirmation_letter_is_never_sent_after_june(frame, sample):
    letters = frame[frame["Activity"] == "Send confirmation letter"]
    local_days = letters["complete"].dt.tz_convert("Europe/Berlin").dt.date
    assert date(2026, 6, 25) <= local_days.max() <= INJECTED["outdated_step"].last_day  # done until the end
    assert set(letters["complete"].dt.tz_convert("Europe/Berlin").dt.month) == {1, 2, 3, 4, 5, 6}
    crm_after = frame[
        (frame["Activity"] == "Update CRM record") & (frame["start"] >= "2026-07-01T00:00+02:00")
    ]
    assert len(crm_after) > 500  # the back office still works in Q3, without letters
    assert sample.realised["outdated_step"]["occurrences"] == len(letters)
    assert sample.realised["outdated_step"]["occurrences_after_last_day"] == 0


def test_the_parallel_branch_runs_in_both_orders(traces):
    orders = Counter()
    for activities in traces.values():
        if "Send confirmation letter" in activities:
            first = activities.index("Send confirmation letter") < activities.index("Update CRM record")
            orders["letter first" if first else "crm first"] += 1
    assert orders["letter first"] > 500 and orders["crm first"] > 500


def test_the_bottleneck_has_the_largest_total_wait(frame, sample):
    """Plain pandas: start of the next step minus completion of this one, summed per handover."""
    nxt = frame.groupby("Complaint ID")
    pairs = frame.assign(target=nxt["Activity"].shift(-1), next_start=nxt["start"].shift(-1)).dropna(
        subset=["target"]
    )
    pairs = pairs.assign(wait=(pairs["next_start"] - pairs["complete"]).dt.total_seconds())
    assert (pairs["wait"] >= 0).all()
    totals = pairs.groupby(["Activity", "target"])["wait"].sum().sort_values(ascending=False)
    (source, target), top = totals.index[0], totals.iloc[0]
    assert (source, target) == (INJECTED["bottleneck"].source, INJECTED["bottleneck"].target)
    assert top > 3 * totals.iloc[1]  # clearly first, not by a hair
    mean_days = pairs[(pairs["Activity"] == source) & (pairs["target"] == target)]["wait"].mean() / 86400
    assert mean_days > 2
    assert sample.realised["bottleneck"]["total_wait"] == pytest.approx(top, abs=1)
    assert sample.realised["bottleneck"]["runner_up"]["total_wait"] == pytest.approx(totals.iloc[1], abs=1)


def test_satisfaction_is_lower_after_call_backs_and_long_waits(frame):
    per_case = frame.groupby("Complaint ID").agg(
        satisfaction=("Satisfaction", "first"),
        call_back=("Activity", lambda a: "Call customer back" in set(a)),
        first_start=("start", "min"),
        last_complete=("complete", "max"),
        busy=("complete", "size"),
    )
    assert set(frame.groupby("Complaint ID")["Satisfaction"].nunique()) == {1}  # a case attribute
    assert per_case["satisfaction"].between(0, 10).all()
    gap = (
        per_case.loc[~per_case["call_back"], "satisfaction"].mean()
        - per_case.loc[per_case["call_back"], "satisfaction"].mean()
    )
    assert 1.0 < gap < 3.5
    days = (per_case["last_complete"] - per_case["first_start"]).dt.total_seconds() / 86400
    assert per_case["satisfaction"].corr(days) < -0.3
    # noisy, not a formula: scores vary among cases with the same call-back status and similar waits
    quick = per_case[(days < 1) & ~per_case["call_back"]]["satisfaction"]
    assert quick.std() > 0.8


def test_injected_describes_each_deviation_with_names_from_the_log(traces):
    activities = {a for t in traces.values() for a in t}
    assert set(INJECTED) == {"undocumented_step", "outdated_step", "skipped_step", "bottleneck", "rework"}
    assert activities == MODEL_TASKS | {INJECTED["undocumented_step"].activity}
    assert INJECTED["undocumented_step"].in_model is False
    for deviation in INJECTED.values():
        for name in (deviation.activity, deviation.after, deviation.source, deviation.target):
            assert name is None or name in activities
        assert deviation.to_dict()["kind"] == deviation.kind
    assert INJECTED["outdated_step"].to_dict()["last_day"] == "2026-06-30"


def test_readme_states_the_realised_figures(sample):
    readme = (SAMPLE_LOGS / "README.md").read_text(encoding="utf-8")
    realised = sample.realised
    assert f"{realised['undocumented_step']['cases']} cases" in readme
    assert f"{realised['skipped_step']['cases']} cases" in readme
    assert f"{realised['rework']['cases']} cases" in readme
    assert f"{realised['outdated_step']['occurrences']} occurrences" in readme
    assert f"seed {DEFAULT_SEED}" in readme


@pytest.mark.slow
def test_more_cases_get_more_agents_and_stay_in_the_period():
    big = generate(seed=1, cases=3500)
    agents = defaultdict(set)
    for case in big.cases:
        for step in case.steps:
            agents[step.agent[:2]].add(step.agent)
    assert {k: len(v) for k, v in agents.items()} == {"CS": 24, "SP": 2, "BO": 6}
    assert big.events["timestamp"].max() < pd.Timestamp("2026-10-01T00:00+02:00")


# --- injected_summary on hand-worked logs --------------------------------------------------------


def test_injected_summary_on_a_tiny_hand_worked_log():
    from tests.factories import make_log

    log = make_log(
        [
            ("a", "Register complaint", "2026-01-05 09:10", "2026-01-05 09:00"),
            ("a", "Classify complaint", "2026-01-05 09:30", "2026-01-05 09:20"),  # waited 10 min
            ("a", "Investigate issue", "2026-01-08 10:00", "2026-01-08 09:30"),  # waited 3 days
            ("a", "Propose solution", "2026-01-08 11:00", "2026-01-08 10:30"),  # 30 min
            ("a", "Call customer back", "2026-01-08 12:00", "2026-01-08 11:50"),  # 50 min
            ("a", "Send confirmation letter", "2026-01-08 13:00", "2026-01-08 12:30"),  # 30 min
            ("b", "Register complaint", "2026-01-05 09:10", "2026-01-05 09:00"),
            ("b", "Propose solution", "2026-01-05 10:00", "2026-01-05 09:40"),  # 30 min
            ("b", "Propose solution", "2026-01-06 10:00", "2026-01-06 09:00"),  # 23 h
            ("c", "Send confirmation letter", "2026-07-01 08:30", "2026-07-01 08:00"),  # after June (UTC)
        ],
        attributes={"a": {"Channel": "phone"}, "b": {"Channel": "chat"}},
    )
    s = injected_summary(log.events)
    assert (s["cases"], s["events"]) == (3, 10)
    assert s["undocumented_step"] == {
        "activity": "Call customer back",
        "cases": 1,
        "share": 0.3333,
        "occurrences": 1,
        "case_ids": ["a"],
    }
    assert s["skipped_step"]["case_ids"] == ["b", "c"]
    assert s["skipped_step"]["by_channel"] == {"(missing)": 1, "chat": 1}
    assert s["rework"]["case_ids"] == ["b"] and s["rework"]["repetitions"] == 1
    assert s["outdated_step"]["occurrences"] == 2
    assert s["outdated_step"]["occurrences_after_last_day"] == 1  # 08:30 UTC on 1 July is after June
    assert s["outdated_step"]["case_ids_without"] == ["b"]
    neck = s["bottleneck"]
    assert (neck["source"], neck["target"], neck["count"]) == ("Classify complaint", "Investigate issue", 1)
    assert neck["total_wait"] == 3 * 86400
    assert neck["runner_up"]["source"] == "Propose solution" and neck["runner_up"]["total_wait"] == 23 * 3600


def test_injected_summary_without_start_times_counts_completion_to_completion(sample):
    without_start = sample.events.drop(columns=["start_timestamp"])
    s = injected_summary(without_start)
    assert s["undocumented_step"] == sample.realised["undocumented_step"]
    assert (s["bottleneck"]["source"], s["bottleneck"]["target"]) == (
        "Classify complaint",
        "Investigate issue",
    )
    assert s["bottleneck"]["total_wait"] > sample.realised["bottleneck"]["total_wait"]  # now includes service


@pytest.mark.slow
def test_the_commands_the_sample_readme_suggests_run(sample_logs, monkeypatch, capsys):
    text = (sample_logs / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Try it\s+```\n(.*?)```", text, re.S)
    assert block, "the sample README has a 'Try it' block"
    commands = [line.split() for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) >= 3
    monkeypatch.chdir(sample_logs.parent)
    for command in commands:
        assert command[0] == "procmine"
        assert run(["-q", *command[1:]], False) == 0, " ".join(command)
    capsys.readouterr()
