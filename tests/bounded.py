"""Run procmine in a subprocess under a time and memory limit, and judge how it refused an input.

The hostile-input and fault suites use it: a run must end within ``timeout`` seconds under an address-space
limit, and report its peak memory (the child's own ``ru_maxrss``), so a runaway shows as a failed test
rather than a machine out of memory.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# DuckDB and Arrow reserve address space far beyond what they touch: the cap is on address space,
# the judgement on the peak resident size.
ADDRESS_SPACE = 6 << 30


@dataclass
class Run:
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float
    cpu_seconds: float = 0.0  # user + system time of the child: what a busy machine does not inflate

    def refused(self, *causes: str, path: str | Path | None = None, code: int = 2) -> str:
        """Assert one clean refusal: exit ``code``, nothing on stdout, one stderr line naming ``path``
        and every cause (case-insensitive), no traceback. Returns that line."""
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith(("procmine: error", "procmine: internal error"))]
        context = f"{self.args}\nexit {self.code}\nstderr:\n{self.stderr}\nstdout:\n{self.stdout[:2000]}"
        assert self.code == code, context
        assert "Traceback" not in self.stderr, context
        assert self.stdout == "", context
        assert len(errors) == 1 and lines[-1] == errors[0], context
        line = errors[0]
        if path is not None:
            assert str(path) in line, context
        for cause in causes:
            assert cause.lower() in line.lower(), context
        assert all(ch == "\t" or ch >= " " for ch in line), context  # no control characters
        return line


def procmine(
    *args: str | Path,
    timeout: float = 60,
    memory: int = ADDRESS_SPACE,
    cwd: str | Path | None = None,
    env: dict[str, str] | None = None,
    stdin: int | None = subprocess.DEVNULL,
) -> Run:
    """``python -m procmine ARGS`` with an address-space cap; killed after ``timeout`` seconds."""
    argv = [sys.executable, "-m", "procmine", *map(str, args)]

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        os.setsid()

    out_path = Path(os.environ.get("TMPDIR", "/tmp"))
    with _spool(out_path) as out, _spool(out_path) as err:
        started = time.monotonic()
        child = subprocess.Popen(
            argv,
            stdout=out,
            stderr=err,
            stdin=stdin,
            cwd=cwd or ROOT,
            env={**os.environ, **(env or {})},
            preexec_fn=limit,
        )
        timer = threading.Timer(timeout, _kill_group, (child.pid,))
        timer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        run = Run(
            tuple(map(str, args)),
            child.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            usage.ru_maxrss / 1024,
            usage.ru_utime + usage.ru_stime,
        )
    assert seconds < timeout, f"{run.args} ran past {timeout} s (killed)"
    return run


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def _spool(folder: Path):  # type: ignore[no-untyped-def]
    import tempfile

    return tempfile.TemporaryFile(dir=folder)
