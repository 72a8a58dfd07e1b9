"""``procmine bottlenecks``: read the log (and optionally a model for its lanes), measure times, rank
bottlenecks, check SLAs, look through the customer lens, and build the Report. Never prints to stdout."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from procmine import progress
from procmine.analyses.performance import PerformanceOptions, analyse
from procmine.analyses.sla import DEFAULT_MAX_BREACH, parse_sla
from procmine.config import Config, load_config, share, whole_number
from procmine.errors import InputError
from procmine.findings import Report
from procmine.pipeline.inputs import log_section, read_event_log, read_model, require_timestamps
from procmine.pipeline.outcome import Outcome, output_folder, over_threshold
from procmine.sections.model import ModelFile

CONFIG_KEYS = frozenset(
    {"sla", "max_sla_breach", "segments", "satisfaction", "touchpoints", "top", "min_sample", "external"}
)


def build_options(
    config: Config | None = None,
    *,
    sla: tuple[str, ...] | list[str] = (),
    max_sla_breach: float | None = None,
    segments: tuple[str, ...] | list[str] = (),
    satisfaction: str | None = None,
    touchpoints: tuple[str, ...] | list[str] = (),
    top: int | None = None,
    min_sample: int | None = None,
    external: tuple[str, ...] | list[str] = (),
) -> PerformanceOptions:
    """Command-line values over ``[tool.procmine.bottlenecks]`` (or ``[bottlenecks]`` in procmine.toml)."""
    table = (config or load_config()).section("bottlenecks", CONFIG_KEYS)
    sla_specs = list(sla) or _as_list(table.get("sla"), "sla")
    breach = max_sla_breach if max_sla_breach is not None else table.get("max_sla_breach", DEFAULT_MAX_BREACH)
    share("--max-sla-breach", breach)
    chosen_top = top if top is not None else table.get("top", 5)
    whole_number("--top", chosen_top, 0)
    sample = min_sample if min_sample is not None else table.get("min_sample", PerformanceOptions.min_sample)
    whole_number("min_sample", sample, 2)
    points = [p for spec in touchpoints for p in split_list(spec)] or _as_list(
        table.get("touchpoints"), "touchpoints"
    )
    outside = [a for spec in external for a in split_list(spec)]
    outside = outside or _as_list(table.get("external"), "external")
    return PerformanceOptions(
        top=chosen_top,
        sla=parse_sla(sla_specs),
        max_sla_breach=float(breach),
        segments=tuple(segments) or tuple(_as_list(table.get("segments"), "segments")),
        satisfaction=satisfaction or table.get("satisfaction"),
        touchpoints=tuple(points),
        min_sample=sample,
        external=tuple(outside),
    )


def split_list(text: str) -> list[str]:
    """``"Call customer back, Send letter"`` -> two activity names."""
    return [part.strip() for part in text.split(",") if part.strip()]


def run(
    log_path: str | Path,
    log_options: dict[str, Any],
    options: PerformanceOptions,
    *,
    model_path: str | Path | None = None,
    deviations: Mapping[str, Collection[str]] | None = None,
    output: str | Path | None = None,
) -> Outcome:
    """The bottleneck analysis of the log; with ``output``, bottlenecks.json and bottlenecks.txt are
    written there."""
    with output_folder(output) as out:
        log = read_event_log(log_path, log_options)
        require_timestamps(log, "bottlenecks")
        model = read_model(model_path) if model_path is not None else None
        with progress.step("measuring waits, service and throughput times"):
            result = analyse(log, options, model=model, deviations=deviations)
        touch = result.customer.touchpoints
        if touch and touch.unknown:
            progress.warn(f"touchpoint activities not in the log: {', '.join(touch.unknown)}")
        report = Report(
            command="bottlenecks",
            parameters=parameters(options, model_path),
            log=log_section(log),
            model=None if model is None else ModelFile(path=str(model_path), processes=len(model.processes)),
            sections={"performance": result.performance, "customer": result.customer, "waits": result.waits},
            findings=result.findings,
        )
        files = out.write(output_contents(report)) if out else {}
    return Outcome(report, files, over_threshold(report.findings))


def output_contents(report: Report) -> dict[str, str]:
    from procmine.renderers import render

    return {"bottlenecks.json": render(report, "json"), "bottlenecks.txt": render(report, "human")}


def parameters(options: PerformanceOptions, model_path: str | Path | None) -> dict[str, Any]:
    return {
        "sla": options.sla.to_dict(),
        "max_sla_breach": options.max_sla_breach,
        "segments": list(options.segments),
        "satisfaction": options.satisfaction,
        "touchpoints": list(options.touchpoints),
        "top": options.top,
        "min_sample": options.min_sample,
        "model": None if model_path is None else str(model_path),
    }


def _as_list(value: Any, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise InputError(f"[bottlenecks] {key}", "must be a string or a list of strings")
