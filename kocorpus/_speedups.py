"""Two start-up costs of datatrove/loguru that every pipeline process pays, removed (same results).

- datatrove checks each block's ``_requires_dependencies`` by reading the METADATA of every installed
  distribution, once per distribution name (≈ 0.2 s for the 5 names a run checks here); a direct lookup of the
  one name reads one file.
- loguru computes the interpreter's library folders (``sysconfig`` over every install scheme) on every
  ``logger.add``; datatrove adds three handlers per task, so a one-worker run of 11 stages paid it 72 times
  (≈ 0.2 s). The folders do not change while a process runs: computed once.

Installed on ``import kocorpus`` (worker processes import it when they unpickle a block); a version of either
library without these functions is left alone.
"""

from __future__ import annotations

import functools


def _distribution_available(name: str) -> bool | None:
    """datatrove's `_is_distribution_available` (True, or None when missing) by a direct metadata lookup."""
    import importlib.metadata

    try:
        importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return None
    return True


def install() -> None:
    """Patch both functions in place (idempotent)."""
    try:
        from datatrove.utils import _import_utils
        from loguru import _better_exceptions
    except ImportError:
        return
    if hasattr(_import_utils, "_is_distribution_available") and not getattr(
        _import_utils._is_distribution_available, "_kocorpus", False
    ):
        fast = functools.lru_cache(_distribution_available)
        fast._kocorpus = True
        _import_utils._is_distribution_available = fast
    formatter = getattr(_better_exceptions, "ExceptionFormatter", None)
    lib_dirs = getattr(formatter, "_get_lib_dirs", None)
    if lib_dirs is not None and not getattr(lib_dirs, "_kocorpus", False):
        cached = functools.cache(lib_dirs)
        cached._kocorpus = True
        formatter._get_lib_dirs = staticmethod(cached)
