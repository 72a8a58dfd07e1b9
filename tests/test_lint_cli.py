"""``procmine lint`` and ``procmine rules`` end to end: exit codes, formats, bad files, import weight."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from procmine.cli import run
from tests.schema import assert_valid_report

FIXTURES = Path(__file__).parent / "fixtures" / "lint"
GOOD = str(FIXTURES / "no-deadlock" / "correct.bpmn")
BAD = str(FIXTURES / "no-deadlock" / "incorrect.bpmn")
WARN_ONLY = str(FIXTURES / "fake-join" / "incorrect.bpmn")  # one warning (fake-join), no error


def test_clean_file_exits_0(capsys):
    assert run(["lint", GOOD], debug=False) == 0
    out = capsys.readouterr().out
    assert "No findings." in out and "correct.bpmn: ok" in out


def test_error_finding_exits_1(capsys):
    assert run(["lint", BAD], debug=False) == 1
    assert "L027" in capsys.readouterr().out


def test_max_warnings(capsys):
    assert run(["lint", WARN_ONLY], debug=False) == 0
    assert run(["lint", WARN_ONLY, "--max-warnings", "1"], debug=False) == 0
    assert run(["lint", WARN_ONLY, "--max-warnings", "0"], debug=False) == 1


def test_rule_override_on_command_line(capsys):
    assert run(["lint", WARN_ONLY, "--rule", "fake-join=error"], debug=False) == 1
    assert run(["lint", BAD, "--rule", "L027=off", "--rule", "no-dead-tasks=off"], debug=False) == 0


def test_unreadable_and_missing_files_exit_2_but_good_files_are_still_linted(tmp_path, capsys):
    broken = tmp_path / "broken.bpmn"
    broken.write_text("<definitions><process id='x'>")
    code = run(
        ["lint", GOOD, BAD, str(broken), str(tmp_path / "missing.bpmn"), "--format", "json"], debug=False
    )
    captured = capsys.readouterr()
    assert code == 2
    data = json.loads(captured.out)
    assert_valid_report(data)
    assert {f["file"] for f in data["findings"]} == {BAD}  # the readable files were linted
    unreadable = {u["file"]: u["cause"] for u in data["lint"]["unreadable"]}
    assert set(unreadable) == {str(broken), str(tmp_path / "missing.bpmn")}
    errors = [line for line in captured.err.splitlines() if line.startswith("procmine: error:")]
    assert len(errors) == 2 and all("Traceback" not in e for e in errors)
    assert any(str(broken) in e and "XML" in e for e in errors), errors


def test_directory_and_glob_expansion(capsys):
    assert run(["lint", str(FIXTURES / "fake-join"), "--format", "json"], debug=False) == 0
    files = [f["file"] for f in json.loads(capsys.readouterr().out)["lint"]["files"]]
    assert [Path(f).name for f in files] == ["correct.bpmn", "incorrect.bpmn"]
    assert run(["lint", str(FIXTURES / "*join*" / "correct.bpmn"), "--format", "json"], debug=False) == 0
    files = [f["file"] for f in json.loads(capsys.readouterr().out)["lint"]["files"]]
    assert sorted(Path(f).parent.name for f in files) == ["fake-join", "no-gateway-join-fork"]


def test_no_files_is_a_usage_error(capsys):
    assert run(["lint"], debug=False) == 2
    assert "no model files given" in capsys.readouterr().err


def test_json_report_is_valid_and_deterministic(capsys):
    run(["lint", BAD, GOOD, "--format", "json"], debug=False)
    first = capsys.readouterr().out
    run(["lint", GOOD, BAD, "--format", "json"], debug=False)
    assert capsys.readouterr().out == first
    data = json.loads(first)
    assert_valid_report(data)
    assert data["command"] == "lint" and data["lint"]["preset"] == "recommended"
    assert data["lint"]["files"][1]["soundness"]["Process_1"]["complete"] is True


@pytest.mark.parametrize("fmt", ["sarif", "junit", "github"])
def test_machine_formats_print_only_the_format_on_stdout(fmt, capsys):
    run(["lint", BAD, "--format", fmt], debug=False)
    out = capsys.readouterr().out
    first = out.lstrip()[:1]
    assert first == {"sarif": "{", "junit": "<", "github": ":"}[fmt]


def test_config_file_option(tmp_path, capsys):
    config = tmp_path / "lint.toml"
    config.write_text('[lint]\npreset = "correctness"\n')
    assert run(["lint", BAD, "--config", str(config)], debug=False) == 0
    config.write_text('[lint]\npresett = "all"\n')
    assert run(["lint", BAD, "--config", str(config)], debug=False) == 2
    assert "unknown key 'presett'" in capsys.readouterr().err


def test_rules_lists_every_rule(capsys):
    assert run(["rules"], debug=False) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["CODE", "NAME", "PRESET", "SEVERITY"]
    assert any(line.startswith("L004  no-implicit-split") for line in lines)
    assert run(["rules", "--format", "json", "--preset", "correctness"], debug=False) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["preset"] for r in rows} == {"correctness"}
    assert all(r["docs"].endswith(f"{r['name']}.md") for r in rows)


def test_rules_show_the_severity_a_run_gets(capsys):
    from procmine.lint.presets import ALL, RECOMMENDED

    assert run(["rules", "--format", "json"], debug=False) == 0
    rows = {r["name"]: r["severity"] for r in json.loads(capsys.readouterr().out)}
    assert rows == {name: RECOMMENDED.get(name, ALL[name]) for name in rows}
    assert rows["no-duplicate-sequence-flows"] == "error"  # a warning in correctness, an error by default


def test_lint_imports_neither_pm4py_nor_pandas_nor_duckdb():
    code = (
        "import sys\n"
        "from procmine.cli import run\n"
        f"rc = run(['lint', {BAD!r}, '--format', 'json'], debug=False)\n"
        "heavy = sorted(m for m in sys.modules\n"
        "               if m.split('.')[0] in ('pm4py', 'pandas', 'duckdb', 'numpy'))\n"
        "print('RC', rc, 'HEAVY', heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert "RC 1 HEAVY []" in done.stderr, done.stderr[-2000:]
