"""The one catalogue of findings: every code procmine reports, with its kind, category, title, default advice,
the fields that name its subject, and when it is reported.

Analyses build their findings from it (``findings.catalogued``), ``--fail-on`` accepts its kinds, every
renderer takes titles and default advice from it, and ``docs/findings.md`` is generated from it
(``python -m procmine.catalogue > docs/findings.md``; a test keeps the page current). Lint rules keep their
code, name and description on the rule itself (``procmine rules``, ``docs/rules/``); their codes start with
L and never appear here.

A new finding kind is one entry here (and its producer); nothing else keeps a list of kinds.
"""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = ("conformance", "performance", "customer", "data", "lint")

# The fields of a finding that can name what it is about. CI consumers read these instead of the message.
SUBJECT_FIELDS = ("task", "activity", "source", "target", "element_id", "line")


@dataclass(frozen=True)
class Kind:
    """One kind of finding. ``subject`` lists the finding fields that name what it is about (``task``: a
    documented task's name; ``activity``: a log activity; ``source``/``target``: a handover), each present
    whenever it applies; ``when`` says when it is reported, for the documentation."""

    code: str
    kind: str
    category: str
    title: str
    advice: str
    subject: tuple[str, ...]
    when: str
    severity_rule: str  # which severity it gets, for the documentation


KINDS: tuple[Kind, ...] = (
    Kind(
        "C001",
        "outdated_step",
        "conformance",
        "Outdated step",
        "Ask the process owner whether this step is still needed. If not, take it out of the documented "
        "process; if it is, find out why it stopped happening.",
        ("task", "element_id", "line"),
        "a documented task is never executed; or it was executed before the recent period and not in it, "
        "although its earlier rate predicts executions there; or none of the cases started after its last "
        'execution did it ("not executed since DATE"; then `activity` names its log activity)',
        "warning",
    ),
    Kind(
        "C002",
        "undocumented_step",
        "conformance",
        "Undocumented step",
        "Decide whether this step belongs to the process. If it does, add it to the model where it happens; "
        "if not, find out why staff do it.",
        ("activity",),
        "a log activity no model task matches: share of cases, and the activity it typically follows",
        "warning (info below 5 % of cases)",
    ),
    Kind(
        "C003",
        "skipped_step",
        "conformance",
        "Skipped step",
        "Find out which cases skip this step and why (look at channel and segment). Either make it optional "
        "in the model or make sure it is done.",
        ("task", "activity", "element_id", "line"),
        "a mandatory task is skipped in more than `--max-skip-share` of the cases that started while the "
        "task was still in use; or none of the tasks of an exclusive choice is done although the model needs "
        "one of them (reported at the choice: `task` is empty, the metrics list the choice's `tasks`)",
        "warning",
    ),
    Kind(
        "C004",
        "order_violation",
        "conformance",
        "Order violation",
        "Check whether the documented order matters. If it does, agree the order with the team; if not, "
        "relax it in the model.",
        ("task", "source", "target", "element_id", "line"),
        "a documented order is reversed in more than `--max-order-share` of the cases that contain both "
        "tasks; `source` → `target` is the order seen in the log (the reverse of the documented one); the "
        'message names up to four of the tasks it was done before or after ("and 24 other steps"), '
        "`other_tasks` in the metrics lists them all",
        "warning",
    ),
    Kind(
        "C005",
        "low_fitness",
        "conformance",
        "Low fitness",
        "The documented model no longer describes how work is done. Review it with the people who do the "
        "work, starting with the findings above.",
        (),
        "the log fitness is below `--min-fitness`",
        "error",
    ),
    Kind(
        "C006",
        "untranslated_element",
        "conformance",
        "Untranslated element",
        "Conformance results near this element may be imprecise; simplify the element if you can.",
        ("element_id", "line"),
        "the Petri-net translation could only approximate or had to leave out a model element",
        "warning",
    ),
    Kind(
        "C007",
        "ambiguous_match",
        "conformance",
        "Ambiguous match",
        "Say which one is meant in a mapping file (--map).",
        ("task", "element_id", "line"),
        "a task name equals several log activities once case and punctuation are ignored",
        "info",
    ),
    Kind(
        "P001",
        "bottleneck",
        "performance",
        "Bottleneck",
        "Look at what the work waits for here: capacity, batching, or a hand-off between teams.",
        ("source", "target"),
        "an internal queue (the wait grows with the work already waiting: Spearman ρ ≥ 0.3 over ≥ 30 waits, "
        "adjusted p < 0.05), one of the top `--top` by total wait; waits on customers, partners or timers "
        "never are",
        "warning when it takes ≥ 10 % of all case time (and ≥ 5 cases), else info",
    ),
    Kind(
        "P002",
        "rework",
        "performance",
        "Rework",
        "Find out why the step is repeated (missing information, rejected proposals) and fix the cause.",
        ("activity",),
        "a documented activity repeated within a case in ≥ 5 % of all cases, although the documented model "
        "has it on no loop (a repetition the model does not allow)",
        "warning from 20 %, else info",
    ),
    Kind(
        "P004",
        "repetition",
        "performance",
        "Repetition",
        "Nothing is wrong in itself: check that the repeats are needed, and what they cost. Give the "
        "documented model (procmine audit) to tell a documented loop from rework.",
        ("activity",),
        "an activity repeated within a case in ≥ 5 % of all cases where that is no rework: the documented "
        "model allows it (a loop), the model does not document the activity, or there is no model; the "
        "message names the step that usually comes right before a repeat",
        "info",
    ),
    Kind(
        "P003",
        "sla_breach",
        "performance",
        "SLA breach",
        "See where the late cases wait (the bottleneck findings, the table of waits): more capacity helps "
        "at an internal queue; a wait on customers or partners needs another fix.",
        ("activity",),
        "the breach rate of a `--sla` target is above `--max-sla-breach` (cases; or executions of the "
        "`activity` named)",
        "error",
    ),
    Kind(
        "X001",
        "satisfaction_gap",
        "customer",
        "Satisfaction gap",
        "Talk to customers of this group: the gap is measured, its reason is not.",
        ("source", "target"),
        "a group of cases (deviating cases, cases through a top bottleneck named by `source` → `target`, "
        "cases over the SLA) scores clearly lower than the rest; `metrics.group` names the group",
        "warning",
    ),
)

BY_KIND: dict[str, Kind] = {k.kind: k for k in KINDS}
BY_CODE: dict[str, Kind] = {k.code: k for k in KINDS}
ANY = "any"  # --fail-on any: every warning and error


def kind(name: str) -> Kind:
    """The catalogue entry of a finding kind; an unknown kind is a programming error."""
    try:
        return BY_KIND[name]
    except KeyError:
        raise KeyError(f"finding kind {name!r} is not in procmine.catalogue") from None


def kinds(*categories: str) -> tuple[str, ...]:
    """The kinds of the given categories (all kinds without any), in catalogue order."""
    return tuple(k.kind for k in KINDS if not categories or k.category in categories)


def fail_on_choices() -> tuple[str, ...]:
    """What ``--fail-on`` accepts: every catalogued kind, and ``any``."""
    return (*kinds(), ANY)


def title(name: str) -> str:
    """A finding kind as a heading; lint rule names (``no-implicit-split``) read as words."""
    entry = BY_KIND.get(name)
    if entry is not None:
        return entry.title
    return name.replace("_", " ").replace("-", " ").capitalize()


def default_advice(name: str) -> str:
    entry = BY_KIND.get(name)
    return entry.advice if entry is not None else ""


def markdown() -> str:
    """``docs/findings.md``: the catalogue as a page."""
    lines = [
        "# Findings",
        "",
        "<!-- generated by `python -m procmine.catalogue > docs/findings.md`: edit src/procmine/catalogue.py",
        "     instead of this page -->",
        "",
        "Every finding in procmine's JSON has a stable `code`, a readable `kind`, a `category`, a",
        "`severity`, a `message`, its evidence in `metrics`, an `impact` (a share, so kinds rank together)",
        "and `advice`. The fields in *subject* name what it is about, so that CI needs no parsing of the",
        "message: `task` (a documented task), `activity` (a log activity), `source` → `target` (a handover),",
        "`element_id` and `line` (in the model file). `--fail-on` takes these kinds (or `any`: every warning",
        "and error). Lint findings (codes L...) are listed in [rules/](rules/README.md).",
        "",
        "| code | kind | category | severity | subject | when |",
        "|------|------|----------|----------|---------|------|",
    ]
    for k in KINDS:
        subject = ", ".join(f"`{s}`" for s in k.subject) or "–"
        lines.append(f"| {k.code} | `{k.kind}` | {k.category} | {k.severity_rule} | {subject} | {k.when} |")
    lines += ["", "## Default advice", ""]
    for k in KINDS:
        lines.append(f"- **{k.title}** (`{k.kind}`): {k.advice}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - the docs page generator
    print(markdown(), end="")
