"""Generating the sample and writing its files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from procmine.samples.deviations import injected_summary
from procmine.samples.documented_model import documented_bpmn
from procmine.samples.process import DEFAULT_CASES, DEFAULT_SEED, Case, simulate
from procmine.samples.readme import readme_text
from procmine.samples.writers import csv_text, events_frame, xes_text

if TYPE_CHECKING:
    import pandas as pd

CSV_FILE = "complaints.csv"
XES_FILE = "complaints.xes"
BPMN_FILE = "complaints_documented.bpmn"
README_FILE = "README.md"
FILES = (CSV_FILE, XES_FILE, BPMN_FILE, README_FILE)


@dataclass
class Sample:
    """One generated sample: the simulated cases, their events, the file texts and the ground truth."""

    seed: int
    cases: list[Case]
    events: pd.DataFrame  # canonical columns (UTC) plus Channel, Segment, Product, Satisfaction
    realised: dict[str, Any]  # injected_summary(events)
    files: dict[str, str] = field(default_factory=dict)  # file name -> text

    def write(self, folder: str | Path) -> list[Path]:
        """Write the files into ``folder`` as one unit (see ``io.output``)."""
        from procmine.io.output import OutputFolder

        with OutputFolder(folder) as out:
            return list(out.write({name: self.files[name] for name in FILES}).values())


def generate(seed: int = DEFAULT_SEED, cases: int = DEFAULT_CASES) -> Sample:
    """Simulate ``cases`` complaints with ``seed``; the same arguments give the same bytes."""
    if cases < 1:
        raise ValueError("cases must be at least 1")
    simulated = simulate(seed, cases)
    events = events_frame(simulated)
    realised = injected_summary(events)
    files = {
        CSV_FILE: csv_text(simulated),
        XES_FILE: xes_text(simulated),
        BPMN_FILE: documented_bpmn(),
        README_FILE: readme_text(seed, simulated, realised),
    }
    return Sample(seed, simulated, events, realised, files)
