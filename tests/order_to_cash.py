"""A hand-built order-to-cash process with known answers, for the queue classification.

Documented model: Receive order -> Check credit -> (parallel) [Create invoice -> Receive payment (a
receiveTask: the customer pays)] and [Ship goods] -> Close order.

Simulated log (seeded, continuous time):
- orders arrive at a rate that swings between busy and quiet fortnights;
- **Create invoice is a real FIFO queue at two clerks**: each invoice waits for the first clerk free, in
  order of arrival, so the wait grows with the invoices already waiting (busy weeks build a backlog);
- **the customer pays** 2 to 12 days after the invoice, whatever other customers do (no queue), and this is
  the longest wait of all;
- the warehouse ships 4 to 36 hours after the credit check, independently (no queue), so the event before
  Create invoice in time is sometimes Ship goods: only the model says the invoice waits after Check credit.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

START = datetime(2026, 1, 5)
HOUR = 3600.0
DAY = 86400.0

MODEL = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="o2c" targetNamespace="http://example.com">
  <process id="OrderToCash" name="Order to cash" isExecutable="false">
    <startEvent id="start"><outgoing>f1</outgoing></startEvent>
    <task id="receive" name="Receive order"><incoming>f1</incoming><outgoing>f2</outgoing></task>
    <task id="check" name="Check credit"><incoming>f2</incoming><outgoing>f3</outgoing></task>
    <parallelGateway id="split"><incoming>f3</incoming><outgoing>f4</outgoing><outgoing>f5</outgoing>
    </parallelGateway>
    <task id="invoice" name="Create invoice"><incoming>f4</incoming><outgoing>f6</outgoing></task>
    <receiveTask id="payment" name="Receive payment"><incoming>f6</incoming><outgoing>f7</outgoing>
    </receiveTask>
    <task id="ship" name="Ship goods"><incoming>f5</incoming><outgoing>f8</outgoing></task>
    <parallelGateway id="join"><incoming>f7</incoming><incoming>f8</incoming><outgoing>f9</outgoing>
    </parallelGateway>
    <task id="close" name="Close order"><incoming>f9</incoming><outgoing>f10</outgoing></task>
    <endEvent id="end"><incoming>f10</incoming></endEvent>
    <sequenceFlow id="f1" sourceRef="start" targetRef="receive"/>
    <sequenceFlow id="f2" sourceRef="receive" targetRef="check"/>
    <sequenceFlow id="f3" sourceRef="check" targetRef="split"/>
    <sequenceFlow id="f4" sourceRef="split" targetRef="invoice"/>
    <sequenceFlow id="f5" sourceRef="split" targetRef="ship"/>
    <sequenceFlow id="f6" sourceRef="invoice" targetRef="payment"/>
    <sequenceFlow id="f7" sourceRef="payment" targetRef="join"/>
    <sequenceFlow id="f8" sourceRef="ship" targetRef="join"/>
    <sequenceFlow id="f9" sourceRef="join" targetRef="close"/>
    <sequenceFlow id="f10" sourceRef="close" targetRef="end"/>
  </process>
</definitions>
"""


def _at(seconds: float) -> str:
    return (START + timedelta(seconds=round(seconds))).strftime("%Y-%m-%d %H:%M:%S")


def simulate(orders: int = 900, seed: int = 13) -> list[tuple]:
    """Rows (case, activity, completion, start) for ``make_log``."""
    rng = random.Random(seed)
    clerks = [0.0, 0.0]  # when each clerk is next free
    rows: list[tuple] = []
    t = 0.0
    for number in range(orders):
        rate = 18.0 * (1 + 0.65 * math.sin(2 * math.pi * t / (14 * DAY))) / DAY  # orders per second
        t += rng.expovariate(rate)
        case = f"O{number:04d}"
        checked = t + rng.uniform(5, 30) * 60
        ready = checked  # the invoice can be made once credit is checked
        clerk = min(range(2), key=lambda i: clerks[i])
        begin = max(ready, clerks[clerk])  # FIFO: orders are handled in the order they arrive
        done = begin + rng.expovariate(1 / (2.2 * HOUR))
        clerks[clerk] = done
        paid = done + rng.uniform(2, 12) * DAY
        shipped = checked + rng.uniform(4, 36) * HOUR
        closed = max(paid, shipped) + rng.uniform(10, 60) * 60
        rows += [
            (case, "Receive order", _at(t), _at(t)),
            (case, "Check credit", _at(checked), _at(checked - 120)),
            (case, "Create invoice", _at(done), _at(begin)),
            (case, "Ship goods", _at(shipped), _at(shipped - 1800)),
            (case, "Receive payment", _at(paid), _at(paid)),
            (case, "Close order", _at(closed), _at(closed - 300)),
        ]
    return rows
