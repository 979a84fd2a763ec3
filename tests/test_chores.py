"""Chores: tasks begun on an idle thread are all done, in order, when the build asks; failures surface there."""

from __future__ import annotations

import threading

import pytest

from typeset.chores import Chores


def test_results_come_in_order_whoever_did_them() -> None:
    doers: list[str] = []

    def task(n: int) -> int:
        doers.append(threading.current_thread().name)
        return n * n

    chores = Chores([lambda n=n: task(n) for n in range(40)])
    assert chores.results() == [n * n for n in range(40)]
    assert len(doers) >= 40, "every task was done at least once"


def test_a_task_that_fails_raises_where_the_results_are_asked_for() -> None:
    def broken() -> int:
        raise ValueError("bad image")

    chores = Chores([lambda: 1, broken, lambda: 3])
    with pytest.raises(ValueError, match="bad image"):
        chores.results()


def test_stopped_chores_take_no_more_tasks() -> None:
    started, gate, taken = threading.Event(), threading.Event(), []

    def first() -> int:
        started.set()
        gate.wait(5)
        return 0

    chores = Chores([first, *(lambda n=n: taken.append(n) or n for n in range(1, 5))])
    assert started.wait(5), "the idle thread begins at once"
    chores.stop()
    gate.set()
    chores._thread.join(5)
    assert taken == [], "after stop the thread finishes what it holds and takes nothing else"
