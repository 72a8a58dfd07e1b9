"""CLI conventions every command shares: exit codes, one-line errors, --debug, --version, lazy imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from procmine import __version__

ROOT = Path(__file__).resolve().parents[1]


def procmine(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "procmine", *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def test_version() -> None:
    result = procmine("--version")
    assert result.returncode == 0 and __version__ in result.stdout


def test_help_imports_neither_pm4py_nor_pandas() -> None:
    code = (
        "import sys; from procmine.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
        "heavy = sorted(m for m in ('pm4py', 'pandas', 'duckdb') if m in sys.modules)\n"
        "print('HEAVY', heavy)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stdout
    assert "inspect" in result.stdout


def test_unreadable_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = procmine("--quiet", "inspect", str(tmp_path / "nope.csv"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == f"procmine: error: {tmp_path / 'nope.csv'}: no such file"


def test_ambiguous_columns_exit_2_with_the_column_list(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("Case,Activity,Step,Timestamp\nc,A,B,2024-01-01\n")
    result = procmine("--quiet", "inspect", str(path), "--format", "json")
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "ambiguous activity column" in lines[0] and "'Step'" in lines[0]


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = procmine("inspect", str(tmp_path / "nope.csv"), "--debug")
    assert result.returncode == 2
    assert "Traceback (most recent call last)" in result.stderr
    assert result.stderr.strip().endswith("no such file")


def test_usage_errors_exit_2_with_one_line(tmp_path: Path) -> None:
    for args in (
        ("inspect",),
        ("inspect", "x.csv", "--format", "yaml"),
        ("no-such-command",),
        ("discover", "x.csv", "--noise", "2"),
    ):
        result = procmine(*args)
        assert result.returncode == 2, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("procmine: error: ") and "--help" in lines[0], args


def _options(name: str) -> dict[str, tuple[str | None, str | None]]:
    """--option -> (metavar, help) of one command, read from its click definition."""
    import click

    from procmine.cli import COMMANDS
    from procmine.cli import procmine as group

    assert name in COMMANDS
    command = group.get_command(None, name)  # type: ignore[arg-type]
    return {o: (p.metavar, p.help) for p in command.params if isinstance(p, click.Option) for o in p.opts}


def test_shared_options_are_spelled_and_explained_the_same_everywhere() -> None:
    check, audit, bottlenecks = _options("check"), _options("audit"), _options("bottlenecks")
    discover, inspect = _options("discover"), _options("inspect")
    for option in ("--process", "--map", "--min-fitness", "--recent-period", "--fail-on"):
        assert check[option] == audit[option], option
    for option in ("--sla", "--max-sla-breach", "--segment", "--satisfaction", "--touchpoints", "--top"):
        assert bottlenecks[option] == audit[option], option
    assert discover["--top-variants"] == audit["--top-variants"]
    for option in ("--case", "--activity", "--timestamp", "--start", "--resource", "--timezone"):
        assert len({c[option] for c in (check, audit, bottlenecks, discover, inspect)}) == 1, option
    assert "--recent" not in audit  # one name for the recent period: --recent-period
    for command in (check, audit, bottlenecks, discover):
        assert all(help_text for _, help_text in command.values()), command


def test_every_command_has_help() -> None:
    from procmine.cli import COMMANDS

    for name in COMMANDS:
        result = procmine(name, "--help")
        assert result.returncode == 0 and result.stdout.startswith(f"Usage: procmine {name}"), name
        assert result.stderr == "", name


def test_quiet_is_accepted_after_the_command_too() -> None:
    loud = procmine("inspect", "sample_logs/complaints.csv")
    quiet = procmine("inspect", "sample_logs/complaints.csv", "-q")
    assert loud.returncode == quiet.returncode == 0
    assert "procmine: reading" in loud.stderr
    assert quiet.stderr == "" and quiet.stdout == loud.stdout


def test_numpy_starts_no_blas_threads_under_the_command_and_a_set_value_is_kept() -> None:
    code = (
        "import os, sys; from procmine.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "import numpy\n"
        "tasks = len(os.listdir('/proc/self/task')) if os.path.isdir('/proc/self/task') else 1\n"
        "print('BLAS', os.environ.get('OPENBLAS_NUM_THREADS'), 'THREADS', tasks)"
    )
    environment = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    for given, expected in ((None, "1"), ("3", "3")):
        env = environment if given is None else {**environment, "OPENBLAS_NUM_THREADS": given}
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
        )
        words = result.stdout.split()
        assert words[words.index("BLAS") + 1] == expected, result.stdout + result.stderr
        if given is None:
            assert words[words.index("THREADS") + 1] == "1"  # (OpenBLAS's threads would be counted here)


CHECK_XES = """
import sys
from procmine.cli import main
from procmine.io import xes_halves
xes_halves.SPLIT_MIN = 0 if sys.argv[2] == "halves" else xes_halves.SPLIT_MIN
try:
    main(["--quiet", "check", "sample_logs/complaints_documented.bpmn", "sample_logs/complaints.xes",
          "-o", sys.argv[1], "--processes", "2"])
except SystemExit as e:
    assert e.code in (0, 1), e.code
print("HEAVY", sorted(m for m in ("pandas", "pyarrow", "pm4py") if m in sys.modules))
"""


def test_check_of_an_xes_log_imports_neither_pandas_nor_pyarrow(tmp_path: Path) -> None:
    """Reading an XES log and checking it needs neither (importing them: a fifth of a second of CPU)."""
    for how in ("whole", "halves"):
        result = subprocess.run(
            [sys.executable, "-c", CHECK_XES, str(tmp_path / how), how],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        assert "HEAVY []" in result.stdout, how
        assert (tmp_path / how / "case_fitness.csv").exists()
