"""Issue languages → a warning for each language Pyphen has no hyphenation dictionary for.

Its text is set without automatic hyphenation (see `typeset.languages`); the editor should know
why a narrow column looks gappy, and where to add soft hyphens.
"""

from __future__ import annotations

from collections.abc import Iterable

from typeset.check.text import Scalar
from typeset.diagnostics import Diagnostic, warning
from typeset.languages import has_hyphenation, languages
from typeset.model import Issue


def hyphenation_warnings(issue: Issue, scalars: Iterable[Scalar] = ()) -> list[Diagnostic]:
    """One warning per language without a hyphenation dictionary, at its `language:` field when `scalars` show it."""
    files = {issue.pos.path} | {a.pos.path for a in issue.articles}
    declared = [s for s in scalars if s.path in files and s.keys in (("issue", "language"), ("language",))]
    where = languages(issue) | {s.value: s.pos() for s in reversed(declared)}
    return [
        warning(
            "lang.no-hyphenation",
            pos,
            f"no hyphenation dictionary for '{lang}' (Pyphen has none): its text is set without automatic hyphenation",
            "break long words by hand with a soft hyphen (U+00AD) where a line needs it",
        )
        for lang, pos in where.items()
        if not has_hyphenation(lang)
    ]
