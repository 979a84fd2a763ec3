"""`python -m typeset`: the `folio` command."""

from typeset.cli import run

run()
