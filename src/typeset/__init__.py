"""typeset: print-ready periodical issues from YAML, Markdown and CSL references."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """`__version__`, looked up on first use: importlib.metadata costs 30 ms at every start, and the
    command's client, the fork server and each worker import this package without needing it."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("typeset")
        except PackageNotFoundError:  # running from a source tree without installing
            return "0.0.0"
    raise AttributeError(f"module 'typeset' has no attribute {name!r}")
