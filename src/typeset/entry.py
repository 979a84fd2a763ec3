"""The `typeset` command's entry point: for the commands that lay out pages, start the layout fork
server before anything else is imported, so WeasyPrint warms up in parallel with the rest."""

from __future__ import annotations

import sys

_LAYING_OUT = {"build", "preview"}


def main() -> None:
    if _LAYING_OUT.intersection(sys.argv[1:2]):
        from .workers import start_fork_server

        start_fork_server()
    from .cli import main as cli

    cli()
