"""``procmine discover``: read the log, aggregate it in SQL, mine a model from its variants, lay the model
out, and write model.bpmn, map.svg and report.json (each atomically). Never prints to stdout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from procmine import progress
from procmine.config import Config, load_config, share, whole_number
from procmine.errors import InputError
from procmine.findings import Report
from procmine.pipeline.inputs import default_output, log_section, read_event_log
from procmine.pipeline.outcome import Outcome, output_folder
from procmine.sections.discovery import DiscoverySection
from procmine.sections.model import DiscoveredModel
from procmine.timefmt import iso_utc

if TYPE_CHECKING:
    from procmine.model.log import EventLog

ALGORITHMS = ("inductive", "heuristics", "split")
CONFIG_KEYS = frozenset({"algorithm", "noise", "coverage", "top_variants", "detail", "paths", "precision"})
DETAILS = ("auto", "full")
OUTPUT_FILES = ("model.bpmn", "map.svg", "report.json")


@dataclass(frozen=True)
class DiscoverOptions:
    algorithm: str = "inductive"
    noise: float = 0.0
    coverage: float = 1.0
    top_variants: int = 20
    activities: tuple[str, ...] = ()  # as given: names, comma-separated lists of names, or one share
    since: datetime | None = None
    until: datetime | None = None
    detail: str = "auto"  # the map's detail: auto (at most ~25 activities, 40 paths) or full
    paths: float | None = None  # the map's --paths share
    precision: bool = False  # --precision: measure the mined model's precision (alignments of every variant)

    def to_parameters(self) -> dict[str, Any]:
        return {
            "algorithm": self.algorithm,
            "noise": self.noise,
            "coverage": self.coverage,
            "top_variants": self.top_variants,
            "activities": list(self.activities),
            "since": iso_utc(self.since),
            "until": iso_utc(self.until),
            "detail": self.detail,
            "paths": self.paths,
            "precision": self.precision,
        }


def build_options(
    config: Config | None = None,
    *,
    algorithm: str | None = None,
    noise: float | None = None,
    coverage: float | None = None,
    top_variants: int | None = None,
    activities: tuple[str, ...] | list[str] = (),
    since: str | None = None,
    until: str | None = None,
    detail: str | None = None,
    paths: float | None = None,
    precision: bool | None = None,
) -> DiscoverOptions:
    """Command-line values over ``[tool.procmine.discover]`` (or ``[discover]`` in procmine.toml)."""
    table = (config or load_config()).section("discover", CONFIG_KEYS)
    algo = algorithm or table.get("algorithm", "inductive")
    if algo not in ALGORITHMS:
        raise InputError("--algorithm", f"must be one of {', '.join(ALGORITHMS)}, not {algo!r}")
    noise_value = share("--noise", noise if noise is not None else table.get("noise", 0.0))
    coverage_value = share("--coverage", coverage if coverage is not None else table.get("coverage", 1.0))
    if coverage_value <= 0:
        raise InputError("--coverage", "must be a share above 0 (1 = every variant)")
    top = top_variants if top_variants is not None else table.get("top_variants", 20)
    whole_number("--top-variants", top, 0)
    start, end = parse_time("--since", since), parse_time("--until", until)
    if start and end and start >= end:
        raise InputError("--since", "must be before --until")
    detail_value = detail or table.get("detail", "auto")
    if detail_value not in DETAILS:
        raise InputError("--detail", f"must be one of {', '.join(DETAILS)}, not {detail_value!r}")
    paths_value = paths if paths is not None else table.get("paths")
    if paths_value is not None:
        paths_value = share("--paths", paths_value)
    precise = precision if precision is not None else bool(table.get("precision", False))
    return DiscoverOptions(
        algo,
        noise_value,
        coverage_value,
        top,
        tuple(activities),
        start,
        end,
        detail_value,
        paths_value,
        precise,
    )


def parse_time(option: str, text: str | None) -> datetime | None:
    """``2026-07-01`` or ``2026-07-01T08:00[+02:00]``; without an offset the time is UTC."""
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputError(option, f"not an ISO date or date-time: {text!r}") from exc
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def run(
    log_path: str | Path,
    log_options: dict[str, Any],
    options: DiscoverOptions,
    output: str | Path | None = None,
) -> Outcome:
    from procmine.adapter import warm_up

    with output_folder(Path(output) if output is not None else default_output(log_path, "discover")) as out:
        assert out is not None
        warm_up()  # the miners need pm4py: import it while the log is read
        log = read_event_log(log_path, log_options, engines=("duckdb", "spark"), count_out_of_order=False)
        report, model = _discover(log, log_path, options, out.folder)
        return Outcome(report, out.write(output_contents(report, model)))


def _discover(
    log: EventLog, log_path: str | Path, options: DiscoverOptions, folder: Path
) -> tuple[Report, Any]:
    """The report of the discovery on ``log``, and the mined model (to be written into ``folder``)."""
    from procmine.analyses.discovery import discover_model
    from procmine.analyses.process_map import build_map
    from procmine.analyses.statistics import log_sections
    from procmine.engine.db import EventFilter, connect, filter_counts
    from procmine.engine.dfg import out_of_order_cases

    names, activity_share = resolve_activities(log, options.activities)
    detail = map_detail(options, activity_share)
    event_filter = EventFilter(names, options.since, options.until)
    con = connect(log, event_filter)
    counts = filter_counts(con, event_filter)
    if counts.events_after == 0:
        raise InputError(log_path, "no events left after --activities/--since/--until")
    with progress.step("computing the directly-follows graph, variants and times"):
        sections = log_sections(con, options.top_variants)
        if log.quality.out_of_order_cases is None:  # the reader left them to the DFG's window
            log.quality.out_of_order_cases = out_of_order_cases(connect(log))
    with progress.step(f"discovering the model ({options.algorithm} miner)"):
        mined = discover_model(con, options.algorithm, options.noise, options.coverage, options.precision)
    if mined.section["mined_from"] == "dfg":
        used = mined.section["variants_used"]
        progress.note(
            f"the inductive miner worked on the directly-follows graph (IMd): on {used:,} variants of this "
            "many activities it would take minutes"
        )
    with progress.step("simplifying the process map"):
        used = mined.section["variants_used"] if options.coverage < 1 else None
        sections["map"] = build_map(con, detail, variant_limit=used)
    con.close()
    sections["discovery"] = DiscoverySection.from_dict({**mined.section, "filter": counts.to_dict()})
    report = Report(
        command="discover",
        parameters=options.to_parameters(),
        log=log_section(log),
        model=DiscoveredModel(path=str(folder / "model.bpmn"), origin="discovered", **mined.section["model"]),
        sections=sections,
    )
    return report, mined.model


def resolve_activities(log: Any, given: tuple[str, ...]) -> tuple[tuple[str, ...], float | None]:
    """``--activities``: activity names (each value a name, or else a comma-separated list of names), or
    one share of the activities for the map (``0.5``, ``50%``); a value that names an activity is a name.
    Returns the names to keep and the map's activity share."""
    if not given:
        return (), None
    known = log.activity_names()
    shares = [share for value in given if value not in known and (share := _as_share(value)) is not None]
    if shares:
        if len(given) > 1:
            raise InputError("--activities", "give either one share of the activities or activity names")
        return (), shares[0]
    chosen: list[str] = []
    for value in given:
        names = [value] if value in known else [p.strip() for p in value.split(",") if p.strip()]
        for name in names:
            if name not in known:
                raise InputError("--activities", f"the log has no activity {name!r}")
            chosen.append(name)
    return tuple(sorted(set(chosen))), None


def _as_share(value: str) -> float | None:
    text = value.strip()
    try:
        number = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        return None
    if not 0 <= number <= 1:
        raise InputError("--activities", f"a share must be between 0 and 1 (or 0% and 100%), not {value!r}")
    return number


def map_detail(options: DiscoverOptions, activity_share: float | None) -> Any:
    """How much the map draws: --detail full, or the --activities / --paths shares over the default."""
    from procmine.analyses.process_map import MapDetail

    if options.detail == "full":
        if activity_share is not None or options.paths is not None:
            raise InputError("--detail", "full draws everything: leave out --paths and an --activities share")
        return MapDetail(full=True)
    return MapDetail(activities=activity_share, paths=options.paths)


def output_contents(report: Report, model: Any) -> dict[str, str]:
    from procmine import __version__
    from procmine.io.bpmn_writer import write_bpmn
    from procmine.renderers import render
    from procmine.renderers.process_map import render_map
    from procmine.renderers.svg.layout import geometry

    geo = geometry(model)
    for node_id, bounds in geo.nodes.items():
        model.nodes[node_id].bounds = bounds
    for flow_id, points in geo.flows.items():
        model.flows[flow_id].waypoints = list(points)
    return {
        "model.bpmn": write_bpmn(model, exporter_version=__version__),
        "map.svg": render_map(report.sections["map"]),
        "report.json": render(report, "json"),
    }
