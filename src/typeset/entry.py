"""The `typeset` command's entry point, kept light so that it starts in milliseconds.

`pipeline` goes to the warm build server (`server_client`), starting it if need be; `check` goes to
it if it runs. Otherwise,
for the commands that lay out pages, the layout fork server starts before anything else is
imported, so WeasyPrint warms up in parallel with the rest.
"""

from __future__ import annotations

import sys

_LAYING_OUT = {"build", "preview"}


def main() -> None:
    command = sys.argv[1:2]
    asks_for_help = {"-h", "--help"}.intersection(sys.argv[2:])
    if command in (["build"], ["check"]) and not asks_for_help:
        from typeset import server_client

        if server_client.wanted():
            code = server_client.run(sys.argv[1:], start=command == ["build"])
            if code is not None:
                sys.exit(code)
    if _LAYING_OUT.intersection(command):
        from typeset.layout.pool import start_fork_server

        start_fork_server()
    from typeset.cli import main as cli

    cli()
