"""Agents of the three teams and their diaries: nobody does two things at once.

Each agent keeps the sorted, non-overlapping intervals they are booked for. A task goes to the agent who
can start it first (ties are drawn at random, so work spreads evenly when the team is idle); the case owner
gets it when they can start it at most ``OWNER_PATIENCE`` later, as a real team would keep a customer with
the colleague who already knows them.
"""

from __future__ import annotations

import random
from bisect import bisect_right, insort
from dataclasses import dataclass, field

from procmine.samples.calendar import MINUTE, Shift

OWNER_PATIENCE = 45 * MINUTE


@dataclass
class Agent:
    name: str
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    def earliest_start(self, shift: Shift, ready: int, duration: int) -> int:
        """The first moment at or after ``ready`` inside the shift when this agent is free long enough."""
        return self.earliest_from(shift, shift.fit(ready, duration), duration)

    def earliest_from(self, shift: Shift, t: int, duration: int) -> int:
        """``earliest_start`` from ``t``, a moment the task already fits in the shift."""
        while True:
            i = bisect_right(self.starts, t)
            if i > 0 and self.ends[i - 1] > t:  # still busy with the task that started before t
                t = shift.fit(self.ends[i - 1], duration)
            elif i < len(self.starts) and self.starts[i] < t + duration:  # the next task starts too soon
                t = shift.fit(self.ends[i], duration)
            else:
                return t

    def book(self, start: int, end: int) -> None:
        insort(self.starts, start)
        insort(self.ends, end)


@dataclass
class Team:
    """One lane of the documented model: its agents and opening hours."""

    lane: str
    shift: Shift
    agents: list[Agent]

    @classmethod
    def staffed(cls, lane: str, prefix: str, size: int, shift: Shift, first: int = 1) -> Team:
        return cls(lane, shift, [Agent(f"{prefix}-{i:02d}") for i in range(first, first + size)])

    def choose(
        self, rng: random.Random, ready: int, duration: int, owner: Agent | None = None
    ) -> tuple[Agent, int]:
        """The agent who starts the task first (or the owner, if not much later), and when; books nothing."""
        fitted = self.shift.fit(ready, duration)  # the same for every agent: computed once
        end = fitted + duration
        options = []
        for agent in self.agents:  # inline: most agents are free at once (earliest_from, first round)
            starts = agent.starts
            i = bisect_right(starts, fitted)
            if (i == 0 or agent.ends[i - 1] <= fitted) and (i == len(starts) or starts[i] >= end):
                options.append((fitted, agent))
            else:
                options.append((agent.earliest_from(self.shift, fitted, duration), agent))
        first = min(start for start, _ in options)
        if owner is not None:
            owner_start = next(start for start, agent in options if agent is owner)
            if owner_start <= first + OWNER_PATIENCE:
                return owner, owner_start
        earliest = [agent for start, agent in options if start == first]
        return earliest[int(rng.random() * len(earliest))], first
