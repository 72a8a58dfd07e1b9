"""The whole ``procmine check`` command on BPIC 2012 against its noise-0 model, next to its alignment step.

    .venv/bin/python bench/bench_check_command.py [--runs 3] [--processes 1,2] [--model FILE]

The model is procmine's own: ``procmine discover LOG --noise 0`` (the inductive miner keeping every
behaviour, so every trace fits), written once into ``bench/out/bpic2012-noise0``. Each run is the command
as a user starts it (``python -m procmine check MODEL LOG -o FOLDER``), in a child process; the script
timestamps each piece of its stderr as it arrives, so the phases are measured from outside:

- whole: from starting the child to its exit (interpreter start, imports, reading, aligning, precision,
  findings, writing the three files);
- aligning: from the moment ``procmine: aligning ...`` is printed to the moment its time is printed (the
  alignment step alone, as the progress line reports it);
- reading: the log-reading step likewise; precision: the precision step; the rest is "other".

Each run starts from procmine's compiled bytecode, as an installed procmine has it (pip compiles it): the
script compiles the package first (``compileall``: the ``__pycache__`` folders git ignores). Without it, an
editable checkout under ``PYTHONDONTWRITEBYTECODE=1`` compiles its ~100 modules from source in every run,
about 80 ms of CPU no user pays. (A ``PYTHONPYCACHEPREFIX`` would not do: the libraries' own bytecode is
not under it, and every run compiled pandas, DuckDB's and NumPy's modules instead.)

Prints each run and, per worker count, the median whole/aligning ratio (the bar: at most 2). Skips when
the shared data is absent. Record ``uptime`` with the figures: timing on a shared machine is noisy.
"""

from __future__ import annotations

import argparse
import os
import selectors
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PROCMINE_SHARED_DATA", ROOT.parent / "shared" / "data"))
BPIC = SHARED / "logs" / "pm4py" / "input_data" / "bpic2012.xes.gz"
OUT = Path(__file__).resolve().parent / "out" / "bpic2012-noise0"
STEPS = {"reading": "procmine: reading " + str(BPIC), "aligning": "procmine: aligning ",
         "precision": "procmine: computing precision"}


def discovered_model() -> Path:
    """BPIC 2012's noise-0 model, discovered by procmine once."""
    model = OUT / "model.bpmn"
    if not model.exists():
        subprocess.run(
            [sys.executable, "-m", "procmine", "discover", str(BPIC), "--noise", "0", "-o", str(OUT),
             "--format", "json"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    return model


def _timed_stderr(command: list[str]) -> tuple[float, list[tuple[float, str]]]:
    """Wall time from start to exit, and stderr as (seconds since start, text) pieces."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    pieces: list[tuple[float, str]] = []
    selector = selectors.DefaultSelector()
    selector.register(child.stderr, selectors.EVENT_READ)
    while True:
        selector.select()
        data = os.read(child.stderr.fileno(), 65536)
        if not data:
            break
        pieces.append((time.perf_counter() - started, data.decode("utf-8", "replace")))
    code = child.wait()
    whole = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"check exited with {code}: {''.join(p for _, p in pieces)[-2000:]}")
    return whole, pieces


def _step_times(pieces: list[tuple[float, str]]) -> dict[str, float]:
    """Each step's span: from the piece that opens its line to the piece that carries its time."""
    text, marks = "", []  # marks: (offset in text where a piece starts, its arrival time)
    for at, piece in pieces:
        marks.append((len(text), at))
        text += piece

    def arrival(offset: int) -> float:
        return max(at for start, at in marks if start <= offset)

    spans = {}
    for name, opening in STEPS.items():
        begin = text.find(opening)
        if begin < 0:
            continue
        closing = text.find("\n", begin)
        spans[name] = arrival(closing) - arrival(begin)
    return spans


def compile_procmine() -> None:
    """procmine's bytecode written beside its modules, as pip writes it when it installs the package."""
    import importlib.util

    spec = importlib.util.find_spec("procmine")
    assert spec is not None and spec.submodule_search_locations
    subprocess.run([sys.executable, "-m", "compileall", "-q", spec.submodule_search_locations[0]], check=True)


def run_once(model: Path, processes: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "procmine", "check", str(model), str(BPIC), "-o", folder,
                   "--processes", str(processes)]
        whole, pieces = _timed_stderr(command)
    spans = _step_times(pieces)
    return {"whole": whole, **spans, "other": whole - sum(spans.values())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--processes", default="2,1", help="worker counts, comma-separated")
    parser.add_argument("--model", type=Path, help="the model (default: discovered by procmine)")
    args = parser.parse_args()
    if not BPIC.exists():
        print(f"skipped: {BPIC} is absent (set PROCMINE_SHARED_DATA)")
        return 0
    model = args.model or discovered_model()
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")
    compile_procmine()
    measure(model, args.runs, [int(p) for p in args.processes.split(",")])
    return 0


def measure(model: Path, runs: int, worker_counts: list[int]) -> None:
    for processes in worker_counts:
        ratios = []
        for k in range(runs):
            load = os.getloadavg()[0]
            t = run_once(model, processes)
            ratios.append(t["whole"] / t["aligning"])
            print(
                f"--processes {processes} run {k + 1}: whole {t['whole']:.2f} s, aligning "
                f"{t['aligning']:.2f} s, ratio {ratios[-1]:.2f} (reading {t.get('reading', 0):.2f}, "
                f"precision {t.get('precision', 0):.2f}, other {t['other']:.2f}; load {load:.2f})",
                flush=True,
            )
        print(f"--processes {processes}: median whole/aligning ratio {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    raise SystemExit(main())
