"""Issue languages → hyphenation warnings and the CSS that turns automatic hyphenation off where it would guess.

WeasyPrint hyphenates with Pyphen's dictionaries, chosen by the `lang` attribute. Pyphen has
Russian but none for Kazakh, Kyrgyz, Uzbek or Tajik; text in those languages is set with
`hyphens: manual` (soft hyphens still break) and `check`/`build` say so, rather than leave a
reader to wonder why a narrow column is gappy, or borrow another language's patterns.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyphen
from markupsafe import Markup

from .diagnostics import Diagnostic, warning
from .model import Issue, SourcePos
from .validate_text import Scalar


def has_hyphenation(language: str) -> bool:
    return pyphen.language_fallback(language.replace("-", "_")) is not None


def languages(issue: Issue) -> dict[str, SourcePos]:
    """Every language the issue sets text in, with where it was declared (the first place)."""
    found = {issue.language: issue.pos}
    for article in issue.articles:
        if article.language:
            found.setdefault(article.language, article.pos)
    return found


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


def manual_hyphenation_css(issue: Issue) -> Markup:
    """`:lang(kk) { hyphens: manual }` for each language Pyphen cannot hyphenate; empty if none."""
    missing = sorted(lang for lang in languages(issue) if not has_hyphenation(lang))
    if not missing:
        return Markup("")
    selectors = ", ".join(f":lang({lang})" for lang in missing if lang.replace("-", "").isalnum())
    return Markup(f"{selectors} {{ hyphens: manual; }}")
