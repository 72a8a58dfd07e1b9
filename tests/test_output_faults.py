"""Faults while a run writes its files: the output folder always holds one complete, consistent set of
files (or none), and nothing is left behind.

Killed at every step of a commit, two runs into one folder, a full disk (a small tmpfs, when the tests
run as root), a read-only folder, stdout on a full device, Ctrl-C.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from procmine.errors import InputError
from procmine.io.output import OutputFolder
from tests.bounded import procmine

SET_NAMES = ("report.html", "report.json", "summary.md")


def a_set(marker: str, size: int = 10_000) -> dict[str, str]:
    """A set of files that says which run wrote it, in every file."""
    return {name: f"{marker}\n" + "x" * size for name in SET_NAMES}


def which_set(folder: Path) -> str | None:
    """The marker of the one complete set in ``folder`` (None when there is no folder); fails on a mixed
    or incomplete set or on anything else in the folder."""
    if not folder.exists():
        return None
    names = sorted(os.listdir(folder))
    assert names == sorted(SET_NAMES), names
    markers = {(folder / name).read_text().split("\n", 1)[0] for name in names}
    assert len(markers) == 1, markers
    return markers.pop()


def leftovers(parent: Path, keep: str) -> list[str]:
    return sorted(name for name in os.listdir(parent) if name != keep)


# --- the writer itself ---


def test_a_set_replaces_the_previous_one_and_nothing_is_left(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for marker in ("A", "B"):
        with OutputFolder(out) as folder:
            paths = folder.write(a_set(marker))
        assert which_set(out) == marker
        assert paths == {name: out / name for name in SET_NAMES}
    assert leftovers(tmp_path, "out") == []


def test_other_files_in_the_folder_are_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with OutputFolder(out) as folder:
        folder.write(a_set("A"))
    assert (out / "notes.txt").read_text() == "mine"
    assert sorted(os.listdir(out)) == sorted([*SET_NAMES, "notes.txt"])
    assert leftovers(tmp_path, "out") == []


def test_an_error_before_writing_changes_nothing_and_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "new" / "deeper" / "out"
    with pytest.raises(InputError), OutputFolder(out):
        raise InputError("log.csv", "bad input")
    assert os.listdir(tmp_path) == []  # not even the parent folders it made
    old = tmp_path / "old"
    with OutputFolder(old) as folder:
        folder.write(a_set("A"))
    with pytest.raises(KeyboardInterrupt), OutputFolder(old):
        raise KeyboardInterrupt
    assert which_set(old) == "A" and leftovers(tmp_path, "old") == []


def test_a_file_in_the_way_and_a_second_write_are_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "report"
    blocker.write_text("a file")
    with pytest.raises(InputError, match="not a folder"), OutputFolder(blocker):
        pass
    with OutputFolder(tmp_path / "out") as folder:
        folder.write(a_set("A"))
        with pytest.raises(RuntimeError):
            folder.write(a_set("B"))


def test_the_folder_keeps_its_permissions(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir(mode=0o750)
    os.chmod(out, 0o750)
    with OutputFolder(out) as folder:
        folder.write(a_set("A"))
    assert out.stat().st_mode & 0o777 == 0o750


# --- killed at every step ---

KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from procmine.io import output

    target, kill_at, marker = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    steps = 0

    def trap(real):
        def step(*args, **kwargs):
            global steps
            steps += 1
            if steps == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)
        return step

    for name in ("rename", "replace", "fsync", "mkdir", "rmdir", "unlink", "chmod", "open"):
        setattr(os, name, trap(getattr(os, name)))
    output._exchange = trap(output._exchange)
    output._write_synced = trap(output._write_synced)
    with output.OutputFolder(target) as out:
        names = ("report.html", "report.json", "summary.md")
        out.write({name: marker + "\\n" + "x" * 10000 for name in names})
    print(steps)
    """
)


def _write_killed(folder: Path, kill_at: int, marker: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", KILLER, str(folder), str(kill_at), marker],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("first_run", [False, True], ids=["replacing a set", "first set"])
def test_killed_at_every_step_the_folder_holds_one_complete_set(tmp_path: Path, first_run: bool) -> None:
    out = tmp_path / "out"
    steps = int(_write_killed(tmp_path / "probe", 0, "P").stdout)
    assert steps > 10
    seen = set()
    for kill_at in range(1, steps + 1):
        if not first_run:
            with OutputFolder(out) as folder:
                folder.write(a_set("A"))
        done = _write_killed(out, kill_at, "B")
        assert done.returncode == -signal.SIGKILL, done.stderr
        seen.add(which_set(out))  # asserts one complete set, or no folder at all
        with OutputFolder(out) as folder:  # the next run cleans up what the killed one left
            folder.write(a_set("C"))
        assert which_set(out) == "C" and leftovers(tmp_path, "out") == ["probe"]
        if first_run:
            with contextlib.suppress(FileNotFoundError):
                for name in os.listdir(out):
                    (out / name).unlink()
                out.rmdir()
    assert seen == ({None, "B"} if first_run else {"A", "B"})


# --- two runs into one folder ---

HOLDER = textwrap.dedent(
    """
    import sys, time
    from procmine.io.output import OutputFolder
    with OutputFolder(sys.argv[1]) as out:
        print("locked", flush=True)
        time.sleep(60)
    """
)


def test_a_second_run_into_a_busy_folder_is_refused_and_a_killed_run_blocks_nothing(tmp_path: Path) -> None:
    out = tmp_path / "sample"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(out)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        run = procmine("sample", "--cases", "5", "-o", out, timeout=60)
        run.refused("another procmine run is writing to this folder", path=out)
    finally:
        holder.kill()
        holder.wait()
    run = procmine("--quiet", "sample", "--cases", "5", "-o", out, timeout=60)
    assert run.code == 0, run.stderr
    assert sorted(os.listdir(out)) == [
        "README.md",
        "complaints.csv",
        "complaints.xes",
        "complaints_documented.bpmn",
    ]
    assert leftovers(tmp_path, "sample") == []


WRITER = textwrap.dedent(
    """
    import sys, time
    from procmine.errors import InputError
    from procmine.io.output import OutputFolder
    folder, marker = sys.argv[1], sys.argv[2]
    written = 0
    deadline = time.monotonic() + 4
    while time.monotonic() < deadline:
        try:
            with OutputFolder(folder) as out:
                names = ("report.html", "report.json", "summary.md")
                out.write({n: marker + "\\n" + "x" * 20000 for n in names})
                written += 1
        except InputError:
            time.sleep(0.001)
    print(written)
    """
)


def _snapshot(folder: Path) -> set[str] | None:
    """The markers of the files in ``folder`` read through one handle on the folder (a consistent view
    even while a writer swaps it); None when the folder vanished under the reader."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        names = os.listdir(fd)
        markers = set()
        for name in names:
            with open(name, opener=lambda path, flags: os.open(path, flags, dir_fd=fd)) as fh:
                markers.add(fh.readline().strip())
        if os.fstat(fd).st_ino != os.stat(folder).st_ino:  # swapped out meanwhile: the previous set,
            return None  # being removed
        assert sorted(names) == sorted(SET_NAMES), names
        return markers
    except FileNotFoundError:
        return None
    finally:
        os.close(fd)


def test_concurrent_runs_never_interleave_their_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with OutputFolder(out) as folder:
        folder.write(a_set("start"))
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(out), f"w{i}"], stdout=subprocess.PIPE, text=True)
        for i in range(3)
    ]
    samples = 0
    while any(w.poll() is None for w in writers):
        markers = _snapshot(out)
        if markers is not None:
            assert len(markers) == 1, markers
            samples += 1
    written = [int(w.communicate()[0]) for w in writers]
    assert sum(written) > 10 and samples > 10
    which_set(out)
    assert leftovers(tmp_path, "out") == []


# --- full disk, read-only folder ---


@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 1 MiB tmpfs (root only: skipped otherwise)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_leaves_the_previous_set_and_nothing_else(small_disk: Path) -> None:
    out = small_disk / "sample"
    with OutputFolder(out) as folder:
        folder.write(a_set("A"))
    run = procmine("sample", "--cases", "500", "-o", out, timeout=120)  # about 2 MB: more than fits
    run.refused("no space left on device", "left as it was", path=out)
    assert which_set(out) == "A"
    assert leftovers(small_disk, "sample") == []


def test_a_read_only_folder_is_refused_before_any_work(small_disk: Path, tmp_path: Path) -> None:
    out = small_disk / "sample"
    with OutputFolder(out) as folder:
        folder.write(a_set("A"))
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    started = time.monotonic()
    run = procmine("sample", "--cases", "20000", "-o", out, timeout=120)  # would simulate for seconds
    run.refused("not writable", path=out)
    assert time.monotonic() - started < 30
    assert which_set(out) == "A" and leftovers(small_disk, "sample") == []


def test_a_folder_without_write_permission_is_refused(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere (the read-only mount test covers root)")
    out = tmp_path / "out"
    with OutputFolder(out) as folder:
        folder.write(a_set("A"))
    os.chmod(out, 0o555)
    try:
        procmine("sample", "--cases", "5", "-o", out).refused("not writable", path=out)
    finally:
        os.chmod(out, 0o755)
    assert which_set(out) == "A"


# --- stdout on a full device, Ctrl-C ---


def test_stdout_on_a_full_device_is_a_one_line_error(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("case,activity,timestamp\nc1,A,2024-01-01\nc1,B,2024-01-02\n")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "procmine", "inspect", str(log), "--format", "json"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last == "procmine: error: stdout: cannot write: No space left on device"


def test_ctrl_c_exits_130_with_one_line(tmp_path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "procmine", "sample", "--cases", "100000", "-o", str(tmp_path / "out")],
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(3)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert "Traceback" not in err and "internal error" not in err
    assert err.strip().splitlines()[-1] == "procmine: interrupted"
    assert os.listdir(tmp_path) == []
