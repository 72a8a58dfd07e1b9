"""The public event logs procmine is tried on, by short name: paths under ``<shared data>/logs``.

One list for the tests and the benchmarks (``bench/bench_maps.py``), so that a log added here is drawn,
checked and timed everywhere. The data is not in the repository; PROCMINE_SHARED_DATA points at it (README).
"""

from __future__ import annotations

PUBLIC_LOGS = {
    "sepsis": "real/mannhardt_course/sepsis.csv.gz",
    "bpic2012": "pm4py/input_data/bpic2012.xes.gz",
    "bpic2015": "real/genlstm/BPIC15_1.xes.gz",
    "domestic": "real/bpic2020_bptlab/DomesticDeclarations.xes.gz",
    "international": "real/bpic2020_bptlab/InternationalDeclarations.xes.gz",
    "permit": "real/bpic2020_bptlab/PermitLog.xes.gz",
    "prepaid": "real/bpic2020_bptlab/PrepaidTravelCost.xes.gz",
    "request": "real/bpic2020_bptlab/RequestForPayment.xes.gz",
}
