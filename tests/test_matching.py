"""Matching model task names to log activities: exact, normalised, mapped, fuzzy suggestions."""

from __future__ import annotations

import pytest

from procmine.analyses.matching import match_names, normalise, parse_mapping
from procmine.errors import InputError


def test_normalise_folds_case_whitespace_line_breaks_punctuation_and_underscores():
    assert normalise("Check\ncredit.") == "check credit"
    assert normalise("CHECK_CREDIT") == "check credit"
    assert normalise("  check   credit ") == "check credit"
    assert normalise("Check-credit!") == "check credit"
    assert normalise("Prüfen") == "prüfen"


def test_exact_before_normalised_and_unmatched_both_sides():
    m = match_names(
        ["Check credit", "Approve", "Archive file"],
        ["CHECK_CREDIT", "Approve", "Send reminder", "archive-files"],
    )
    assert m.pairs == {"Check credit": "CHECK_CREDIT", "Approve": "Approve"}
    assert m.how == {"Check credit": "normalised", "Approve": "exact"}
    assert m.unmatched_model == ["Archive file"]
    assert m.unmatched_log == ["Send reminder", "archive-files"]
    # the near miss is suggested on both sides, the unrelated name is not
    assert [s.name for s in m.suggestions["Archive file"]] == ["archive-files"]
    assert [s.name for s in m.suggestions["archive-files"]] == ["Archive file"]
    assert m.suggestions["Send reminder"] == []


def test_two_log_names_equal_when_folded_are_ambiguous_not_guessed():
    m = match_names(["Check credit"], ["check credit", "CHECK CREDIT"])
    assert m.pairs == {}
    assert m.ambiguous == {"Check credit": ["CHECK CREDIT", "check credit"]}


def test_mapping_wins_and_unknown_names_are_refused():
    m = match_names(["Approve", "Reject"], ["OK", "Reject"], {"Approve": "OK"}, "map.csv")
    assert m.pairs == {"Approve": "OK", "Reject": "Reject"}
    assert m.how["Approve"] == "mapped"
    with pytest.raises(InputError, match="model task 'Aprove'"):
        match_names(["Approve"], ["OK"], {"Aprove": "OK"}, "map.csv")
    with pytest.raises(InputError, match="log activity 'KO'"):
        match_names(["Approve"], ["OK"], {"Approve": "KO"}, "map.csv")


def test_parse_mapping_with_and_without_header():
    assert parse_mapping("model,log\nCheck credit,CHECK_CREDIT\n", "m.csv") == {
        "Check credit": "CHECK_CREDIT"
    }
    assert parse_mapping('"Check\ncredit",CC\n\n', "m.csv") == {"Check credit": "CC"}
    with pytest.raises(InputError, match="row 1"):
        parse_mapping("only one column\n", "m.csv")
    with pytest.raises(InputError, match="mapped twice"):
        parse_mapping("A,x\nA,y\n", "m.csv")
