"""typeset: print-ready periodical issues from YAML, Markdown and CSL references."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("typeset")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0"
