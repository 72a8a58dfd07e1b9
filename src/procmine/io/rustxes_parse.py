"""rustxes, the Rust XES parser: what it can take safely, and the one call that runs it.

Kept apart from ``xes_log`` (which needs pandas) so that a process reading half of a log
(``xes_halves``) imports only what the parse needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from procmine.io.xml_scan import XmlFacts

MAX_DEPTH = 200  # it overflows its stack somewhere between 3,000 and 10,000 levels
pools_started = False  # rustxes or polars ran in this process: their thread pools exist (see xes_halves)


def safe_markup(xml: XmlFacts | None) -> bool:
    """Markup rustxes reads safely: regular, UTF-8 and not nested too deep."""
    return xml is not None and xml.regular and not xml.utf16 and xml.max_depth <= MAX_DEPTH


def events(path: str) -> Any:
    """rustxes's events (a polars frame) of the XES document at ``path``, columns sorted (rustxes orders
    them differently from run to run). Raises what rustxes raises (a panic: pyo3's PanicException)."""
    global pools_started
    import rustxes

    pools_started = True
    found, _meta = rustxes.import_xes(path)
    return found.select(sorted(found.columns))
