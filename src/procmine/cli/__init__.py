"""The ``procmine`` command: parse arguments, call the pipeline, pick a renderer, return an exit code.

Commands live in their own modules and are imported only when invoked, so ``procmine --help`` and
``procmine lint`` never import pm4py or pandas.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import importlib
import importlib.util
import os
import sys
import traceback

import click

from procmine import __version__, progress
from procmine.errors import ExitCode, InputError

# command name -> "module:function"; help texts are repeated here so --help imports no command module.
COMMANDS = {
    "inspect": ("procmine.cli.inspect_cmd:inspect", "Show what procmine reads from an event log."),
    "discover": ("procmine.cli.discover_cmd:discover", "Discover the actual process from an event log."),
    "check": ("procmine.cli.check_cmd:check", "Check an event log against a documented BPMN model."),
    "bottlenecks": ("procmine.cli.bottlenecks_cmd:bottlenecks", "Find where cases wait, and customer KPIs."),
    "audit": ("procmine.cli.audit_cmd:audit", "Write the quarterly audit report (one HTML file)."),
    "lint": ("procmine.cli.lint_cmd:lint", "Check BPMN model files for modelling errors."),
    "rules": ("procmine.cli.lint_cmd:rules", "List the lint rules."),
    "sample": ("procmine.cli.sample_cmd:sample", "Regenerate the bundled sample logs and model."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if _available(name)]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS or not _available(name):
            return None
        module_name, attr = COMMANDS[name][0].split(":")
        return getattr(importlib.import_module(module_name), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _available(name: str) -> bool:
    module_name = COMMANDS[name][0].split(":")[0]
    return importlib.util.find_spec(module_name) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="procmine")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines on stderr (warnings still shown).")
def procmine(debug: bool, quiet: bool) -> None:
    """Audit documented processes (BPMN) against what really happens (event logs).

    Exit codes: 0 fine, 1 findings over a threshold, 2 bad usage or unreadable input.
    """
    progress.set_quiet(quiet)


def main(argv: list[str] | None = None) -> None:
    one_blas_thread()
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    # --debug and --quiet are accepted anywhere on the line, not only before the command
    front = [flag for flag in ("--debug", "-q", "--quiet") if flag in args]
    if front:
        args = [*front, *[a for a in args if a not in front]]
    code = run(args, debug)
    # The process ends here: what is still alive is freed with it, so the interpreter's teardown need not
    # trace every object again for cycles (0.1-0.15 s after a large log). Exit handlers still run, and
    # objects still free by reference count as modules are cleared (a DuckDB database file is closed).
    gc.freeze()
    sys.exit(code)


def one_blas_thread() -> None:
    """OpenBLAS (numpy's linear algebra) starts a thread per core when numpy is imported, and those
    threads spin for a while waiting for work procmine never gives them (it does no dense linear
    algebra): 30-60 ms of CPU taken from the reading that runs meanwhile. One thread starts none. A
    value the user set is kept; it must be set before numpy is imported."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def run(args: list[str], debug: bool) -> int:
    from procmine.io import limits

    limits.reset()  # --limit applies to one run (run() is also called in-process by tests)
    try:
        result = procmine.main(args=args, prog_name="procmine", standalone_mode=False)
        sys.stdout.flush()  # a full disk behind stdout shows here, not as a traceback at exit
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # a bare command: its help, as click shows it
            exc.show()
        else:  # one line, like every other bad input
            command = exc.ctx.command_path if exc.ctx else "procmine"
            message = " ".join(exc.format_message().split())
            click.echo(f"procmine: error: {message} (see '{command} --help')", err=True)
        return ExitCode.USAGE
    except click.ClickException as exc:  # file and parameter errors raised by click itself
        click.echo(f"procmine: error: {exc.format_message()}", err=True)
        return ExitCode.USAGE
    except click.Abort:  # click's form of Ctrl-C
        click.echo("procmine: interrupted", err=True)
        return 130
    except InputError as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"procmine: error: {exc.one_line()}", err=True)
        return ExitCode.USAGE
    except KeyboardInterrupt:
        click.echo("procmine: interrupted", err=True)
        return 130
    except BrokenPipeError:
        return ExitCode.OK
    except OSError as exc:
        if exc.filename is not None or exc.errno not in _WRITE_FAILURES:
            return _internal_error(exc, debug)
        _silence_stdout()
        click.echo(f"procmine: error: stdout: cannot write: {exc.strerror}", err=True)
        return ExitCode.USAGE
    except Exception as exc:
        refusal = _out_of_memory(exc)
        if refusal is None:
            return _internal_error(exc, debug)
        if debug:
            traceback.print_exc()
        click.echo(f"procmine: error: {refusal.one_line()}", err=True)
        return ExitCode.USAGE
    return int(result or 0)


def _out_of_memory(exc: Exception) -> InputError | None:
    """The engine's refusal when it ran out of memory (a limit the user can raise), else None."""
    if "duckdb" not in sys.modules:  # lint and --help never load the engine
        return None
    from procmine.io.store import out_of_memory

    return out_of_memory(exc)


# A write to stdout failed for a reason of the place it goes (a full disk, /dev/full, a quota).
_WRITE_FAILURES = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the unwritable rest of its buffer does not fail again at exit."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _internal_error(exc: Exception, debug: bool) -> int:
    if debug:
        traceback.print_exc()
    else:
        reason = " ".join(str(exc).split())[:300]
        click.echo(
            f"procmine: internal error: {type(exc).__name__}: {reason} (rerun with --debug for details)",
            err=True,
        )
    return ExitCode.INTERNAL
