"""The layout worker processes: started early, kept warm between builds, forked by a fork server.

multiprocessing's fork server imports and warms up WeasyPrint once (`layout.preload`, half a
second) in parallel with this process, which meanwhile imports the rest of typeset and reads the
issue; every worker is then forked from it ready, sharing WeasyPrint's memory with its siblings,
and none is forked from this process's threads (a preview's server, a progress spinner).
"""

from __future__ import annotations

import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import count
from multiprocessing import forkserver, get_context
from multiprocessing.queues import SimpleQueue
from typing import Self

from typeset.layout.worker import CANCELLED_KEPT, WorkerMessage, init_worker

_PRELOAD = ["typeset.layout.preload"]


def start_fork_server() -> None:
    """Start the fork server now (`entry` calls this first thing, for the commands that lay out)."""
    forkserver.set_forkserver_preload(_PRELOAD)
    forkserver.ensure_running()


class Workers:
    """A pool of layout workers; `reports` carries their messages ahead of results (see `layout.worker`)."""

    def __init__(self, size: int | None = None) -> None:
        self.size = size or os.cpu_count() or 1
        self.restart()

    def restart(self) -> None:
        """A new pool (the old one broke: a worker died)."""
        context = get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        self.reports: SimpleQueue[WorkerMessage] = context.SimpleQueue()
        self.cancelled = context.Array("q", [-1] * CANCELLED_KEPT, lock=False)
        self.pool = ProcessPoolExecutor(self.size, mp_context=context, initializer=init_worker, initargs=(self.reports, self.cancelled))
        self._cancels = count()

    def cancel(self, token: int, pid: int) -> None:
        """Stop the job `token` running in worker `pid`: it was laid out with inputs now known wrong."""
        self.cancelled[next(self._cancels) % CANCELLED_KEPT] = token
        os.kill(pid, signal.SIGUSR1)

    def start(self) -> None:
        """Start the workers now, so they are ready when the issue has been read. A worker's start
        waits for the fork server to finish warming up: that wait happens on a thread of its own."""
        threading.Thread(target=self._start_each, daemon=True).start()

    def _start_each(self) -> None:
        try:
            for _ in range(self.size):
                self.pool.submit(os.getpid)
        except (RuntimeError, BrokenProcessPool):
            pass  # closed already (a build that stopped at a content error) or broken: nothing to warm

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
