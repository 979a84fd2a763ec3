"""The layout worker processes: forked warm from a fork server, started only when a part must be laid out.

multiprocessing's fork server imports and warms up WeasyPrint once (`layout.preload`, half a
second); every worker is forked from it ready, sharing WeasyPrint's memory with its siblings, and
none is forked from this process's threads (the preview's HTTP server, a progress spinner).
Nothing starts until the first part is submitted, or until `folio build` sees a file saved since
the last build (`start`), so a build with nothing to lay out starts no process; `build --watch` and `preview` keep one pool warm between builds.
"""

from __future__ import annotations

import os
import signal
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import count
from multiprocessing import forkserver, get_context
from multiprocessing.queues import SimpleQueue
from typing import Any, Self

from typeset.layout.worker import CANCELLED_KEPT, WorkerMessage, init_worker

_PRELOAD = ["typeset.layout.preload"]


class _Running:
    """A started pool: the processes, the queue of their messages, and the cancel tokens they read."""

    def __init__(self, size: int) -> None:
        context = get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        self.reports: SimpleQueue[WorkerMessage] = context.SimpleQueue()
        self.cancelled = context.Array("q", [-1] * CANCELLED_KEPT, lock=False)
        self.executor = ProcessPoolExecutor(size, mp_context=context, initializer=init_worker, initargs=(self.reports, self.cancelled, os.getpid()))


class Workers:
    """A pool of layout workers; `reports` carries their messages ahead of results (see `layout.worker`)."""

    def __init__(self, size: int | None = None) -> None:
        self.size = size or os.cpu_count() or 1
        self._running: _Running | None = None
        self._cancels = count()

    @property
    def _pool(self) -> _Running:
        if self._running is None:
            self._running = _Running(self.size)
        return self._running

    @property
    def reports(self) -> SimpleQueue[WorkerMessage]:
        return self._pool.reports

    def start(self) -> None:
        """Start the fork server now, so that it imports and warms up WeasyPrint while this process
        reads the issue: for a build that will most likely lay out (`PartCache.will_lay_out`)."""
        if self._running is None:
            self._running = _Running(self.size)  # names the fork server's preload
        forkserver.ensure_running()

    def submit(self, function: Any, *args: Any) -> Future[Any]:
        """Run `function(*args)` in a worker, starting the pool if it is not running yet."""
        return self._pool.executor.submit(function, *args)

    def cancel(self, token: int, pid: int) -> None:
        """Stop the job `token` running in worker `pid`: it was laid out with inputs now known wrong."""
        self._pool.cancelled[next(self._cancels) % CANCELLED_KEPT] = token
        os.kill(pid, signal.SIGUSR1)

    def restart(self) -> None:
        """Drop a broken pool (a worker died); the next submit starts a new one."""
        self.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        self.close(wait=kind is None)

    def close(self, wait: bool = True) -> None:
        """Stop the workers: after their jobs, or at once when the build is being abandoned (Ctrl-C)."""
        if self._running is None:
            return
        executor, self._running = self._running.executor, None
        if not wait:
            for process in list(getattr(executor, "_processes", {}).values()):  # no public way to stop a running job
                process.terminate()
        executor.shutdown(wait=wait, cancel_futures=True)
