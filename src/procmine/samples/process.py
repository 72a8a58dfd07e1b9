"""The simulation of complaint handling: who does what, when, and how long customers wait.

Every case runs through the documented process, except for the deviations listed in
``procmine.samples.deviations.INJECTED`` — and nothing else, because other parts of procmine are tested on
finding exactly those. The activities of one case never overlap (each starts after the previous one has
completed), so waits between them are unambiguous. All randomness comes from one seeded
``random.Random``, which makes a seed reproduce the sample byte for byte.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from procmine.samples.agents import Agent, Team
from procmine.samples.calendar import (
    DAY,
    HOUR,
    MINUTE,
    PERIOD_START,
    Shift,
    is_working_day,
    seconds_of,
)

REGISTER = "Register complaint"
CLASSIFY = "Classify complaint"
INVESTIGATE = "Investigate issue"
PROPOSE = "Propose solution"
CALL_BACK = "Call customer back"
LETTER = "Send confirmation letter"
CRM = "Update CRM record"
CLOSE = "Close complaint"
SURVEY = "Send satisfaction survey"

CUSTOMER_SERVICE = "Customer Service"
SPECIALIST = "Specialist"
BACK_OFFICE = "Back Office"

# The letter was abolished on 1 July 2026: it is sent only when it is finished before this moment.
LETTER_ABOLISHED = date(2026, 7, 1)
LAST_ARRIVAL = date(2026, 9, 11)  # leaves every case time to finish by the end of the period

SEGMENTS = {"consumer": 0.70, "business": 0.20, "premium": 0.10}
CHANNELS_BY_SEGMENT = {
    "consumer": {"phone": 0.35, "email": 0.30, "chat": 0.35},
    "business": {"phone": 0.35, "email": 0.55, "chat": 0.10},
    "premium": {"phone": 0.65, "email": 0.25, "chat": 0.10},
}
PRODUCTS = {"Mobile": 0.40, "Internet": 0.30, "TV": 0.20, "Landline": 0.10}
COMPLEX_BY_PRODUCT = {"Mobile": 0.30, "Internet": 0.45, "TV": 0.30, "Landline": 0.35}
SKIP_CLASSIFY_BY_CHANNEL = {"phone": 0.035, "email": 0.035, "chat": 0.50}  # chat agents jump to a solution
CALL_BACK_BY_CHANNEL = {"phone": 0.20, "email": 0.35, "chat": 0.20}  # emailed proposals need a call
REWORK_SHARE = 0.10  # the customer rejects the first proposal
SECOND_REWORK_SHARE = 0.15  # ... and, of those, the second one too
SATISFACTION_BASE = {"consumer": 8.6, "business": 8.4, "premium": 8.2}  # premium customers expect more

TEAM_SIZES = {CUSTOMER_SERVICE: 12, SPECIALIST: 1, BACK_OFFICE: 3}
DEFAULT_SEED = 2026
DEFAULT_CASES = 3000  # the teams are sized for this many cases; they grow with more


@dataclass(frozen=True)
class Step:
    """One activity instance: who did it, from when to when (simulation seconds)."""

    activity: str
    start: int
    end: int
    agent: str


@dataclass
class Case:
    case_id: str
    channel: str
    segment: str
    product: str
    arrival: int
    steps: list[Step] = field(default_factory=list)
    satisfaction: int = 0

    def waits(self) -> list[int]:
        return [b.start - a.end for a, b in zip(self.steps, self.steps[1:], strict=False)]


def simulate(seed: int, cases: int) -> list[Case]:
    """Simulate ``cases`` complaints arriving between 1 January and 11 September 2026."""
    rng = random.Random(seed)
    offices = [_staff(office) for office in range(_offices(cases))]
    arrivals = sorted(_arrival(rng) for _ in range(cases))
    simulated = []
    for number, (arrival, segment, channel, product) in enumerate(arrivals, start=1):
        case = Case(f"CMP-{number:05d}", channel, segment, product, arrival)
        _run(rng, offices[(number - 1) % len(offices)], case)
        case.satisfaction = _satisfaction(rng, case)
        simulated.append(case)
    return simulated


def _offices(cases: int) -> int:
    """Every started ``DEFAULT_CASES`` complaints get an office of their own, with the default teams, so
    queues stay realistic; cases are dealt to the offices in turn. (One large team instead would make
    choosing an agent cost as much as the team is large: 200,000 cases took hours.)"""
    return max(1, math.ceil(cases / DEFAULT_CASES))


def _staff(office: int) -> dict[str, Team]:
    """The three teams of one office, their agents numbered after those of the offices before it."""
    shifts = {
        CUSTOMER_SERVICE: Shift(8 * HOUR, 18 * HOUR),
        SPECIALIST: Shift(9 * HOUR, 17 * HOUR),
        BACK_OFFICE: Shift(8 * HOUR, 16 * HOUR),
    }
    prefixes = {CUSTOMER_SERVICE: "CS", SPECIALIST: "SP", BACK_OFFICE: "BO"}
    return {
        lane: Team.staffed(lane, prefixes[lane], size, shifts[lane], first=office * size + 1)
        for lane, size in TEAM_SIZES.items()
    }


def team_sizes(cases: int) -> dict[str, int]:
    """Agents per lane over all offices."""
    return {lane: size * _offices(cases) for lane, size in TEAM_SIZES.items()}


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _minutes(rng: random.Random, median: float, sigma: float, cap: float) -> int:
    """A log-normal duration in whole seconds, ``median`` and ``cap`` in minutes."""
    return round(min(median * math.exp(sigma * rng.gauss(0.0, 1.0)), cap) * MINUTE)


def _arrival(rng: random.Random) -> tuple[int, str, str, str]:
    """When a complaint arrives, from whom and how: phone and chat in office hours, email at any time."""
    segment = _pick(rng, SEGMENTS)
    channel = _pick(rng, CHANNELS_BY_SEGMENT[segment])
    product = _pick(rng, PRODUCTS)
    last = (LAST_ARRIVAL - PERIOD_START).days
    while True:
        day = PERIOD_START + timedelta(days=int(rng.random() * (last + 1)))
        weekday_weight = (1.3, 1.1, 1.0, 1.0, 0.9, 0.3, 0.2)[day.weekday()]
        if channel != "email" and not is_working_day(day):
            continue
        if rng.random() * 1.3 < weekday_weight:
            break
    if channel == "email":
        time_of_day = int(rng.random() * DAY)
    else:  # a morning and an afternoon peak between 08:00 and 17:45
        peak = 10.0 if rng.random() < 0.55 else 14.5
        hours = min(max(rng.gauss(peak, 1.6), 8.0), 17.75)
        time_of_day = int(hours * HOUR)
    return seconds_of(day, time_of_day), segment, channel, product


def _run(rng: random.Random, teams: dict[str, Team], case: Case) -> None:
    """Walk one case through the process, booking every step on an agent of the right team."""
    cs, specialists, back_office = teams[CUSTOMER_SERVICE], teams[SPECIALIST], teams[BACK_OFFICE]
    is_complex = rng.random() < _complex_share(case)
    skips_classify = rng.random() < SKIP_CLASSIFY_BY_CHANNEL[case.channel]
    calls_back = rng.random() < CALL_BACK_BY_CHANNEL[case.channel]
    proposals = 1
    if rng.random() < REWORK_SHARE:
        proposals = 3 if rng.random() < SECOND_REWORK_SHARE else 2
    letter_first = rng.random() < 0.5

    register_minutes = {"phone": 9.0, "email": 6.0, "chat": 8.0}[case.channel]
    owner = _do(rng, case, cs, REGISTER, case.arrival, _minutes(rng, register_minutes, 0.35, 30))
    if not skips_classify:
        ready = case.steps[-1].end + _minutes(rng, 25, 1.0, 240)
        _do(rng, case, cs, CLASSIFY, ready, _minutes(rng, 6, 0.4, 20), owner)
    if is_complex:
        # The bottleneck: the specialist works through the investigations in the order they come in,
        # so a backlog builds up when complaints pile in: a real queue.
        _do(rng, case, specialists, INVESTIGATE, case.steps[-1].end, _minutes(rng, 76, 0.5, 240))
        ready = case.steps[-1].end + _minutes(rng, 90, 0.8, 600)
    elif skips_classify:
        ready = case.steps[-1].end + _minutes(rng, 4, 0.6, 30)  # still on the same chat
    else:
        ready = case.steps[-1].end + _minutes(rng, 35, 0.8, 300)
    for proposal in range(proposals):
        _do(rng, case, cs, PROPOSE, ready, _minutes(rng, 15, 0.5, 60), owner)
        if calls_back and proposal == 0:
            ready = case.steps[-1].end + _minutes(rng, 180, 0.8, 1440)  # customer could not be reached
            _do(rng, case, cs, CALL_BACK, ready, _minutes(rng, 9, 0.4, 30), owner)
        ready = case.steps[-1].end + _minutes(rng, 1200, 0.6, 2880)  # the customer's answer
    ready = case.steps[-1].end + _minutes(rng, 150, 0.8, 1440)
    _back_office(rng, case, back_office, ready, letter_first)
    ready = case.steps[-1].end + _minutes(rng, 90, 0.7, 600)
    closer = _do(rng, case, cs, CLOSE, ready, _minutes(rng, 5, 0.4, 20), owner)
    ready = case.steps[-1].end + _minutes(rng, 10, 0.8, 120)
    _do(rng, case, cs, SURVEY, ready, _minutes(rng, 2, 0.3, 5), closer)


def _back_office(rng: random.Random, case: Case, team: Team, ready: int, letter_first: bool) -> None:
    """The letter and the CRM update, in either order, by one clerk; no letters from 1 July on."""
    order = [LETTER, CRM] if letter_first else [CRM, LETTER]
    duration = {LETTER: _minutes(rng, 12, 0.4, 40), CRM: _minutes(rng, 6, 0.4, 20)}
    clerk = None
    abolished = seconds_of(LETTER_ABOLISHED)
    for activity in order:
        agent, start = team.choose(rng, ready, duration[activity], clerk)
        if activity == LETTER and start + duration[LETTER] > abolished:
            continue
        _book(case, agent, activity, start, duration[activity])
        clerk = agent
        ready = case.steps[-1].end + _minutes(rng, 4, 0.8, 30)


def _complex_share(case: Case) -> float:
    share = COMPLEX_BY_PRODUCT[case.product]
    if case.channel == "chat":
        share *= 0.5  # what a chat can settle is simple
    if case.segment == "business":
        share *= 1.2
    return share


def _do(
    rng: random.Random,
    case: Case,
    team: Team,
    activity: str,
    ready: int,
    duration: int,
    owner: Agent | None = None,
) -> Agent:
    agent, start = team.choose(rng, ready, duration, owner)
    _book(case, agent, activity, start, duration)
    return agent


def _book(case: Case, agent: Agent, activity: str, start: int, duration: int) -> None:
    agent.book(start, start + duration)
    case.steps.append(Step(activity, start, start + duration, agent.name))


def _satisfaction(rng: random.Random, case: Case) -> int:
    """0-10: lower the longer the customer waited, after a call-back and after rejected proposals."""
    waited_days = sum(case.waits()) / DAY
    proposals = sum(step.activity == PROPOSE for step in case.steps)
    score = (
        SATISFACTION_BASE[case.segment]
        - 0.45 * waited_days
        - 1.8 * any(step.activity == CALL_BACK for step in case.steps)
        - 0.6 * (proposals - 1)
        + rng.gauss(0.0, 1.3)
    )
    return math.floor(min(max(score, 0.0), 10.0) + 0.5)
