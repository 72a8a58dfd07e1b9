"""``procmine sample``: regenerate the bundled sample logs and their documented model."""

from __future__ import annotations

import click

from procmine import progress
from procmine.errors import ExitCode


@click.command("sample")
@click.option(
    "-o",
    "--output",
    "folder",
    default="sample_logs",
    show_default=True,
    metavar="FOLDER",
    type=click.Path(file_okay=False),
    help="Folder to write complaints.csv, complaints.xes, complaints_documented.bpmn and README.md to.",
)
@click.option("--seed", type=int, default=None, help="Random seed (default: the seed of the bundled sample).")
@click.option(
    "--cases",
    type=click.IntRange(min=1, max=200_000),
    default=None,
    help="Number of complaints to simulate (default: 3000).",
)
def sample(folder: str, seed: int | None, cases: int | None) -> int:
    """Regenerate the bundled sample: a simulated complaint-handling log (CSV and XES), its documented
    BPMN model and a README listing the deviations injected into the log, with their realised counts.

    With the default seed and number of cases the files equal the ones in the repository's sample_logs/.
    """
    from procmine.io.output import OutputFolder
    from procmine.samples import DEFAULT_CASES, DEFAULT_SEED, generate
    from procmine.samples.generate import FILES

    seed = DEFAULT_SEED if seed is None else seed
    cases = DEFAULT_CASES if cases is None else cases
    with OutputFolder(folder) as out:  # a folder that cannot be written fails before the simulation
        with progress.step(f"simulating {cases:,} complaints (seed {seed})"):
            generated = generate(seed=seed, cases=cases)
        written = out.write({name: generated.files[name] for name in FILES}).values()
    for path in written:
        progress.note(f"wrote {path}")
    return ExitCode.OK
