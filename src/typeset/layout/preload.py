"""Imported by the layout workers' fork server before it forks them (see `layout.pool`):
WeasyPrint is imported and warmed up once, in parallel with the main process reading the issue,
and every worker starts with it ready and shared.

Ctrl-C is ignored first: it reaches the whole process group, and it is the owner's to handle
(exit 130, quietly); the fork server ignores it on its own only once this import is done.
"""

import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)

from typeset.layout.worker import warm_up  # noqa: E402

warm_up()
