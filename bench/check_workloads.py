"""The workloads of ``bench_check.py``: each is one log (``events.parquet``) and one Petri net (``net.json``,
procmine's reduced translation, labels renamed to the log's activities), written once into a folder so that
procmine and pm4py align the same traces against the same net."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SAMPLES = ROOT / "sample_logs"
SHARED = ROOT.parent / "shared" / "data"
BPIC = SHARED / "logs" / "pm4py" / "input_data" / "bpic2012.xes.gz"
SEPSIS_LOG = SHARED / "logs" / "real" / "mannhardt_course" / "sepsis.csv.gz"
SEPSIS_MODEL = SHARED / "models" / "bpmn_with_logs" / "mannhardt_course" / "sepsis.bpmn"
WORKLOADS = ("sample", "sepsis", "bpic-bpmn", "bpic-noise0", "large")


def _spec_to_json(spec: Any) -> dict[str, Any]:
    return {
        "places": list(spec.places),
        "transitions": [[t.id, t.label] for t in spec.transitions],
        "arcs": [list(a) for a in spec.arcs],
        "initial": dict(spec.initial),
        "final": dict(spec.final),
    }


def spec_from_json(data: dict[str, Any]) -> Any:
    from procmine.adapter.netspec import NetSpec, TransitionSpec

    return NetSpec(
        places=tuple(data["places"]),
        transitions=tuple(TransitionSpec(i, label) for i, label in data["transitions"]),
        arcs=tuple((s, t, int(w)) for s, t, w in data["arcs"]),
        initial=data["initial"],
        final=data["final"],
    )


def _frame(path: Path) -> Any:
    """A log as (case, activity, timestamp), read by procmine's own reader."""
    from procmine.io.logs import read_log

    events = read_log(path).events
    return events[["case_id", "activity", "timestamp"]]


def _translated(bpmn: Path, activities: set[str]) -> Any:
    """procmine's translation of ``bpmn`` as ``check`` aligns it (reduced), labels renamed to the log's
    activity names."""
    from procmine.analyses.matching import match_names
    from procmine.analyses.model_net import netspec_from_translation
    from procmine.io.bpmn import read_bpmn
    from procmine.petri.translate import lean, translate

    spec = netspec_from_translation(lean(translate(read_bpmn(bpmn))))
    return spec.relabelled(match_names(spec.labels, activities).pairs)


def _bpic(folder: Path, top_variants: int, noise: float) -> tuple[Any, Any, str, str]:
    with contextlib.redirect_stdout(sys.stderr):  # pm4py greets on stdout when first imported
        import pm4py
    import pandas as pd

    pm4py.util.constants.SHOW_PROGRESS_BAR = False
    xes = pm4py.read_xes(str(BPIC))
    xes = xes[xes["lifecycle:transition"].str.upper() == "COMPLETE"]
    frame = pd.DataFrame(
        {
            "case_id": xes["case:concept:name"].astype(str),
            "activity": xes["concept:name"].astype(str),
            "timestamp": pd.to_datetime(xes["time:timestamp"], utc=True),
        }
    ).sort_values(["case_id", "timestamp"], kind="stable")
    renamed = {"case_id": "case:concept:name", "activity": "concept:name", "timestamp": "time:timestamp"}
    tree = pm4py.discover_process_tree_inductive(frame.rename(columns=renamed), noise_threshold=noise)
    if top_variants:
        traces = frame.groupby("case_id", sort=True)["activity"].agg(tuple)
        ranked = traces.value_counts(sort=False).sort_values(ascending=False, kind="stable")
        keep = set(ranked.index[:top_variants])
        frame = frame[frame["case_id"].isin(set(traces.index[traces.isin(keep)]))]
    bpmn = folder / "model.bpmn"
    pm4py.write_bpmn(pm4py.convert_to_bpmn(tree), str(bpmn), auto_layout=False)  # layout needs dot
    what = f"BPIC 2012 (COMPLETE events{f', {top_variants} most frequent variants' if top_variants else ''})"
    how = f"inductive miner (noise {noise}) -> BPMN -> procmine translation, reduced"
    return frame, _translated(bpmn, set(frame["activity"].unique())), what, how


def prepare(workload: str, folder: Path, top_variants: int) -> str:
    """Write ``events.parquet`` and ``net.json`` into ``folder``; return a one-line description."""
    import pandas as pd

    if workload in ("sample", "large"):
        frame = _frame(SAMPLES / "complaints.csv")
        what = "sample_logs/complaints.csv"
        if workload == "large":
            copies = -(-1_000_000 // len(frame))
            parts = []
            for k in range(copies):
                part = frame.copy()
                part["case_id"] = f"r{k:03d}-" + part["case_id"].astype(str)
                parts.append(part)
            frame = pd.concat(parts, ignore_index=True)
            what = f"sample repeated {copies}x with new case ids"
        spec = _translated(SAMPLES / "complaints_documented.bpmn", set(frame["activity"].unique()))
        how = "complaints_documented.bpmn -> procmine translation, reduced"
    elif workload == "sepsis":
        frame = _frame(SEPSIS_LOG)
        spec = _translated(SEPSIS_MODEL, set(frame["activity"].unique()))
        what, how = (
            "Sepsis (sepsis.csv.gz)",
            "its documented model (sepsis.bpmn) -> procmine translation, reduced",
        )
    else:
        noise = 0.0 if workload == "bpic-noise0" else 0.2
        frame, spec, what, how = _bpic(folder, top_variants, noise)
    frame.reset_index(drop=True).to_parquet(folder / "events.parquet")
    (folder / "net.json").write_text(json.dumps(_spec_to_json(spec)))
    silent = sum(1 for t in spec.transitions if t.label is None)
    return (
        f"{what}: {frame['case_id'].nunique():,} cases, {len(frame):,} events; net: {how}, "
        f"{len(spec.transitions)} transitions ({silent} silent), {len(spec.places)} places"
    )
