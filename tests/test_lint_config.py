"""Lint configuration: presets, per-rule severities, ignores by element id and file, and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from procmine.config import load_config
from procmine.errors import InputError
from procmine.findings import Severity
from procmine.io.bpmn import read_bpmn
from procmine.lint.runner import lint_model
from procmine.lint.settings import build_settings

FIXTURES = Path(__file__).parent / "fixtures" / "lint"
FAKE_JOIN = FIXTURES / "fake-join" / "incorrect.bpmn"


def settings_from(tmp_path: Path, toml: str, name: str = "procmine.toml", **kwargs):
    (tmp_path / name).write_text(toml)
    return build_settings(load_config(tmp_path), **kwargs)


def kinds(settings, path=FAKE_JOIN, file=None):
    result = lint_model(read_bpmn(path), file or str(path), settings)
    return {(f.kind, f.location.element_id): f.severity for f in result.findings}, result.suppressed


def test_defaults_are_the_recommended_preset():
    settings = build_settings()
    assert settings.preset == "recommended"
    assert "no-inclusive-gateway" not in settings.severities
    assert settings.severities["fake-join"] is Severity.WARNING


def test_rule_severity_from_pyproject(tmp_path):
    settings = settings_from(
        tmp_path, '[tool.procmine.lint.rules]\nfake-join = "error"\nL007 = "off"\n', name="pyproject.toml"
    )
    found, _ = kinds(settings)
    assert found[("fake-join", "Task_Ship")] is Severity.ERROR
    assert "superfluous-gateway" not in settings.severities


def test_preset_from_config_and_command_line_wins(tmp_path):
    settings = settings_from(tmp_path, '[lint]\npreset = "correctness"\n')
    assert settings.preset == "correctness" and "fake-join" not in settings.severities
    settings = settings_from(tmp_path, '[lint]\npreset = "correctness"\n', preset="all")
    assert settings.preset == "all" and "no-inclusive-gateway" in settings.severities


def test_command_line_rule_override_wins_over_config(tmp_path):
    settings = settings_from(tmp_path, '[lint.rules]\nfake-join = "error"\n', rules={"fake-join": "info"})
    assert settings.severities["fake-join"] is Severity.INFO


def test_ignore_by_element_id(tmp_path):
    settings = settings_from(tmp_path, '[[lint.ignore]]\nrule = "fake-join"\nelements = ["Task_Ship"]\n')
    found, suppressed = kinds(settings)
    assert ("fake-join", "Task_Ship") not in found and suppressed == 1


def test_ignore_other_element_keeps_finding(tmp_path):
    settings = settings_from(tmp_path, '[[lint.ignore]]\nrule = "fake-join"\nelements = ["Task_Other"]\n')
    found, suppressed = kinds(settings)
    assert ("fake-join", "Task_Ship") in found and suppressed == 0


def test_ignore_by_file_glob(tmp_path):
    settings = settings_from(tmp_path, '[[lint.ignore]]\nrule = "*"\nfiles = ["legacy/*.bpmn"]\n')
    found, suppressed = kinds(settings, file="models/legacy/order.bpmn")
    assert found == {} and suppressed >= 1
    found, _ = kinds(settings, file="models/current/order.bpmn")
    assert ("fake-join", "Task_Ship") in found


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[lint]\ncolour = 1\n", "unknown key 'colour'"),
        ('[lint]\npreset = "strict"\n', "unknown preset 'strict'"),
        ('[lint.rules]\nno-such-rule = "error"\n', "unknown rule 'no-such-rule'"),
        ('[lint.rules]\nfake-join = "loud"\n', "unknown severity 'loud'"),
        ('[[lint.ignore]]\nrule = "fake-join"\nelement = ["x"]\n', "unknown key 'element'"),
        ("[lint]\nmax-warnings = -1\n", "max-warnings"),
    ],
)
def test_config_errors_name_the_file_and_the_key(tmp_path, toml, message):
    with pytest.raises(InputError) as err:
        settings_from(tmp_path, toml)
    assert message in err.value.cause
    assert err.value.source and err.value.source.endswith("procmine.toml")
