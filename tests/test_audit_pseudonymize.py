"""Pseudonyms: stable within a report (and across reports with one key), distinct, and nothing real left."""

from __future__ import annotations

from procmine.analyses.pseudonymize import make_pseudonymizer, pseudonymize_log
from procmine.model.log import CASE, RESOURCE
from tests.factories import make_log

ROWS = [
    ("C-1", "A", "2026-01-01 08:00", None, "Alice"),
    ("C-1", "B", "2026-01-01 09:00", None, "Bob"),
    ("C-2", "A", "2026-01-02 08:00", None, "Alice"),
    ("C-2", "B", "2026-01-02 09:00", None, None),
]


def test_same_value_same_pseudonym_and_nothing_real_left():
    log = pseudonymize_log(make_log(ROWS, attributes={"C-1": {"Channel": "chat"}}), make_pseudonymizer("k"))
    ev = log.events
    assert not ({"C-1", "C-2"} & set(ev[CASE])) and not ({"Alice", "Bob"} & set(ev[RESOURCE].dropna()))
    assert ev[CASE].nunique() == 2 and ev[RESOURCE].nunique() == 2
    assert all(c.startswith("case-") for c in ev[CASE]) and ev[RESOURCE].isna().sum() == 1
    alice = ev.loc[ev["activity"] == "A", RESOURCE]
    assert alice.nunique() == 1  # Alice is one pseudonym in both cases
    assert list(ev["Channel"].dropna()) == ["chat", "chat"]  # other columns untouched
    assert ev[CASE].is_monotonic_increasing  # still sorted by case, as EventLog promises
    assert "pseudonymised" in log.quality.notes[-1]


def test_a_key_gives_the_same_pseudonyms_in_every_report():
    a = make_pseudonymizer("secret")
    b = make_pseudonymizer("secret")
    assert a("C-1") == b("C-1") != make_pseudonymizer("other")("C-1")
    assert a("C-1", "case") != a("C-1", "resource")  # a case and a person never share a pseudonym


def test_without_a_key_each_report_gets_its_own(monkeypatch):
    monkeypatch.delenv("PROCMINE_PSEUDONYMIZE_KEY", raising=False)
    a, b = make_pseudonymizer(), make_pseudonymizer()
    assert not a.keyed and a("C-1") == a("C-1") != b("C-1")


def test_key_from_the_environment(monkeypatch):
    monkeypatch.setenv("PROCMINE_PSEUDONYMIZE_KEY", "env-key")
    assert make_pseudonymizer().keyed and make_pseudonymizer()("x") == make_pseudonymizer("env-key")("x")


def test_collisions_lengthen_the_pseudonyms():
    p = make_pseudonymizer("k")
    p.digits = 1  # force collisions among 100 values
    mapping = p.mapping([f"v{i}" for i in range(100)], "case")
    assert len(set(mapping.values())) == 100
