"""Saved files → rebuilds: the loop behind `folio build --watch` and `folio preview`.

watchfiles reports saves under the issue folder and its theme's folder (the output folder is
ignored: our own writes are no edit). The workers stay warm between builds, and the part cache
means a rebuild lays out only what the edit changed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from watchfiles import DefaultFilter, watch

from typeset.layout.pool import Workers
from typeset.pipeline import Built
from typeset.theme import find_theme


def watched(issue_dir: Path, theme_folder: Path | None) -> list[Path]:
    """The issue folder, and the theme folder when it lies outside it: where a save should rebuild."""
    issue = issue_dir.resolve()
    return [issue] + ([theme_folder] if theme_folder and not theme_folder.is_relative_to(issue) else [])


def rebuild_on_change(folders: Callable[[], list[Path]], out_dir: Path, rebuild: Callable[[], None], stop: threading.Event | None = None) -> None:
    """Call `rebuild` after every batch of saves under `folders()` until `stop` is set (or Ctrl-C)."""
    ignore = DefaultFilter(ignore_paths=[out_dir.resolve()])
    while not (stop and stop.is_set()):
        now = folders()
        for _ in watch(*now, stop_event=stop, watch_filter=ignore):
            rebuild()
            if folders() != now:
                break  # the issue now names another theme: watch its folder instead


def watch_and_build(issue_dir: Path, out_dir: Path, workers: Workers, build_once: Callable[[], Built | None]) -> None:
    """`folio build --watch`: build now, then again on every save, with the same outputs as `build`."""
    theme: list[Path | None] = [None]

    def rebuild() -> None:
        built = build_once()
        if built is not None:
            theme[0] = find_theme(built.issue.settings.theme, built.issue.root).folder
        print(f"watching {', '.join(map(str, watched(issue_dir, theme[0])))} (Ctrl-C stops)", flush=True)

    rebuild()
    rebuild_on_change(lambda: watched(issue_dir, theme[0]), out_dir, rebuild)
