"""One error path for every command line of the toolkit (`kocorpus`, `trainer/run.py`, `python -m trainer.*`).

A `UserError` is a mistake the user can fix (a config key, a missing file, a flag that does not fit): the command
prints one line `error: <file or key>: <what to do>` to stderr and exits with status 2, without a traceback.
Commands check their inputs before an executor or an `Accelerator` starts and before anything is written.
"""

import sys
from collections.abc import Callable

EXIT_USAGE = 2


class UserError(Exception):
    """A fixable user mistake; the message starts with the file, flag or config key it concerns."""


class MissingFileError(UserError, FileNotFoundError):
    """A file or directory the user named does not exist (still a FileNotFoundError for callers)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "file not found"


def run_cli(main: Callable[[list[str] | None], int | None], argv: list[str] | None = None) -> int:
    """Call `main(argv)`; a UserError becomes one line on stderr and exit status 2."""
    try:
        return int(main(argv) or 0)
    except UserError as e:
        report(e)
        return EXIT_USAGE


def report(error: BaseException) -> None:
    """Print `error: <message>` as one line on stderr (newlines in the message are folded)."""
    message = " ".join(str(error).split("\n")).strip() or type(error).__name__
    print(f"error: {message}", file=sys.stderr, flush=True)
