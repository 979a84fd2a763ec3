"""Work that needs no layout (the web edition's images and fonts), done on cores the layout leaves idle.

A thread at the lowest priority takes the tasks in order while the workers lay out pages, so it
never slows the layout the build waits for. When the build needs the results, it stops that thread
and does whatever is not finished itself, at full priority: on a busy machine a lowest-priority
thread may hardly run, and must not hold the build up. A task the thread was in the middle of is
done again, and whichever result comes first is kept: tasks are pure (their outputs depend on
their inputs only), so both are the same.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from typing import Generic, TypeVar

T = TypeVar("T")


def idle_priority() -> None:
    """Run this thread (and the threads it starts) at the lowest priority, where Linux allows one per thread."""
    if sys.platform.startswith("linux"):
        with suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


class Chores(Generic[T]):
    """`tasks` started at once on an idle-priority thread; `results()` finishes them."""

    def __init__(self, tasks: Sequence[Callable[[], T]]) -> None:
        self._tasks = list(tasks)
        self._done: dict[int, T] = {}
        self._front, self._back = 0, len(self._tasks)  # the idle thread takes tasks front..back-1
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._idle, name="chores", daemon=True)
        self._thread.start()

    def _idle(self) -> None:
        idle_priority()
        while (index := self._take()) is not None:
            try:
                result = self._tasks[index]()
            except Exception:  # noqa: BLE001 - `results` does the task again and raises it where the build can report it
                continue
            with self._lock:
                self._done.setdefault(index, result)

    def _take(self) -> int | None:
        with self._lock:
            if self._front >= self._back:
                return None
            self._front += 1
            return self._front - 1

    def stop(self) -> None:
        """Take no more tasks (the build failed: nobody will ask for the results)."""
        with self._lock:
            self._front = self._back

    def results(self) -> list[T]:
        """Every task's result, in order. What is not done yet is done now by a thread per core at full
        priority (images are scaled and encoded outside the GIL): first the tasks the idle thread is
        in the middle of (where it may be starved), then the ones nobody took, from the back."""
        with self._lock:
            in_hand = [i for i in range(self._front) if i not in self._done]
            todo = in_hand + list(reversed(range(self._front, self._back)))
            self._front = self._back  # the idle thread takes no more

        def work() -> None:
            while True:
                with self._lock:
                    if not todo:
                        return
                    index = todo.pop(0)
                    if index in self._done:
                        continue
                result = self._tasks[index]()
                with self._lock:
                    self._done.setdefault(index, result)

        cores = os.cpu_count() or 1
        with ThreadPoolExecutor(cores, thread_name_prefix="chores-now") as pool:
            for running in [pool.submit(work) for _ in range(cores)]:
                running.result()
        return [self._done[index] for index in range(len(self._tasks))]
