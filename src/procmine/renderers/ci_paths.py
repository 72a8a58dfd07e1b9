"""A finding's file named as CI services expect: relative to the repository's root.

GitHub attaches an annotation, and code scanning a SARIF result, to a file of the pull request only when
the path is relative to the checkout (``src/order.bpmn``, not ``./src/order.bpmn`` nor
``/home/runner/work/app/app/src/order.bpmn``). The root is ``GITHUB_WORKSPACE`` on GitHub's runners and the
working directory elsewhere; a file outside it keeps its absolute path.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath


def relative_to_checkout(path: str) -> str:
    """``path`` with forward slashes, relative to the checkout when it lies inside it."""
    if Path(path).is_absolute():
        root = os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
        try:
            return Path(path).relative_to(root).as_posix()
        except ValueError:
            return path
    return PurePosixPath(path.replace("\\", "/")).as_posix()
