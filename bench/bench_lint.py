"""How fast is ``procmine lint``? Wall time of the whole command, and soundness on a large model.

    .venv/bin/python bench/bench_lint.py [--runs 5] [--pm4py]

1. ``procmine lint MODEL`` as a fresh process (interpreter start, imports, reading, all recommended rules
   including soundness), best of N runs, for a few typical models; next to ``python -c pass`` (the floor)
   and ``python -c "import pm4py"`` (what lint would pay if it imported pm4py).
2. Reading, translating and exploring the state space of BPIC15_1.bpmn (540 flow nodes) in process; with
   ``--pm4py``, pm4py's own soundness check (``pm4py.check_soundness`` on ``pm4py.convert_to_petri_net``) of
   the same model side by side.
Prints a Markdown table; figures go to docs/benchmarks.md ("Lint").
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "models"
TYPICAL = [
    ROOT / "sample_logs" / "complaints_documented.bpmn",
    SHARED / "miwg" / "reference" / "A.4.0.bpmn",
    SHARED / "miwg" / "reference" / "C.1.0.bpmn",
    SHARED / "bpmn_with_logs" / "mannhardt_course" / "sepsis.bpmn",
]
LARGE = SHARED / "bpmn_with_logs" / "simod" / "BPIC15_1.bpmn"


def best_wall(cmd: list[str], runs: int) -> str:
    """Best wall time and best CPU time (user + sys) of a fresh process: on a shared machine the CPU time
    shows the cost without the wait for a free core."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        best = min(best, time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best_cpu = min(best_cpu, cpu)
    return f"{best:.3f} | {best_cpu:.3f}"


def best_call(func, runs: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pm4py", action="store_true", help="also time pm4py's soundness check")
    args = parser.parse_args()
    python = sys.executable
    procmine = [python, "-m", "procmine"]
    print("| what | best wall time (s) | best CPU time (s) |\n| --- | ---: | ---: |")
    floor = best_wall([python, "-c", "pass"], args.runs)
    print(f"| `python -c pass` | {floor} |")
    print(f"| `python -c 'import pm4py'` | {best_wall([python, '-c', 'import pm4py'], 2)} |")
    print(f"| `procmine --help` | {best_wall([*procmine, '--help'], args.runs)} |")
    for model in TYPICAL:
        if model.is_file():
            wall = best_wall([*procmine, "lint", str(model), "--format", "json"], args.runs)
            print(f"| `procmine lint {model.name}` | {wall} |")

    if not LARGE.is_file():
        return
    from procmine.io.bpmn import read_bpmn
    from procmine.petri.soundness import check_soundness
    from procmine.petri.translate import translate

    read_s, model = best_call(lambda: read_bpmn(LARGE), args.runs)
    translate_s, translation = best_call(lambda: translate(model), args.runs)
    sound_s, result = best_call(lambda: check_soundness(translation, 20_000), args.runs)
    net = translation.net
    print(
        f"\n{LARGE.name}: {len(model.nodes)} flow nodes -> "
        f"{len(net.places)} places, {len(net.transitions)} transitions"
    )
    print(f"| step | best (s) |\n| --- | ---: |\n| read | {read_s:.3f} |\n| translate | {translate_s:.3f} |")
    print(f"| soundness ({result.states} markings, complete={result.complete}) | {sound_s:.3f} |")
    wall = best_wall([*procmine, "lint", str(LARGE), "--format", "json"], args.runs)
    print(f"| `procmine lint {LARGE.name}` (whole command: wall, CPU) | {wall} |")
    if args.pm4py:
        import pm4py

        started = time.perf_counter()
        bpmn = pm4py.read_bpmn(str(LARGE))
        pn, im, fm = pm4py.convert_to_petri_net(bpmn)
        convert_s = time.perf_counter() - started
        started = time.perf_counter()
        verdict = pm4py.check_soundness(pn, im, fm)
        pm4py_s = time.perf_counter() - started
        print(f"| pm4py read + convert | {convert_s:.3f} |")
        print(f"| pm4py check_soundness (woflan) -> {verdict[0]} | {pm4py_s:.3f} |")
        print(f"| ratio pm4py soundness / procmine soundness | {pm4py_s / max(sound_s, 1e-9):.1f}x |")


if __name__ == "__main__":
    main()
