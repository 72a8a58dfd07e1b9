"""The bundled sample: a simulated customer process with known deviations from its documented model.

``generate(seed, cases)`` simulates complaint handling at a customer-service department and returns the
log (CSV, XES, canonical events), the documented BPMN model, a README, and the realised figures of every
injected deviation. ``INJECTED`` describes those deviations; ``injected_summary(events)`` measures them in
any log with procmine's canonical columns. ``sample_logs/`` in the repository holds ``generate()``'s
output for the default seed, written by ``procmine sample -o sample_logs``.
"""

from __future__ import annotations

from procmine.samples.deviations import INJECTED, Deviation, handover_waits, injected_summary
from procmine.samples.generate import FILES, Sample, generate
from procmine.samples.process import DEFAULT_CASES, DEFAULT_SEED

__all__ = [
    "DEFAULT_CASES",
    "DEFAULT_SEED",
    "FILES",
    "INJECTED",
    "Deviation",
    "Sample",
    "generate",
    "handover_waits",
    "injected_summary",
]
