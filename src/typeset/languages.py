"""Issue languages → which have hyphenation dictionaries, and the CSS that turns automatic hyphenation off where it would guess.

WeasyPrint hyphenates with Pyphen's dictionaries, chosen by the `lang` attribute. Pyphen has
Russian but none for Kazakh, Kyrgyz, Uzbek or Tajik; text in those languages is set with
`hyphens: manual` (soft hyphens still break) and `check`/`pipeline` say so, rather than leave a
reader to wonder why a narrow column is gappy, or borrow another language's patterns.
"""

from __future__ import annotations

import pyphen
from markupsafe import Markup

from typeset.model import Issue, SourcePos


def has_hyphenation(language: str) -> bool:
    return pyphen.language_fallback(language.replace("-", "_")) is not None


def languages(issue: Issue) -> dict[str, SourcePos]:
    """Every language the issue sets text in, with where it was declared (the first place)."""
    found = {issue.language: issue.pos}
    for article in issue.articles:
        if article.language:
            found.setdefault(article.language, article.pos)
    return found


def manual_hyphenation_css(issue: Issue) -> Markup:
    """`:lang(kk) { hyphens: manual }` for each language Pyphen cannot hyphenate; empty if none."""
    missing = sorted(lang for lang in languages(issue) if not has_hyphenation(lang))
    if not missing:
        return Markup("")
    selectors = ", ".join(f":lang({lang})" for lang in missing if lang.replace("-", "").isalnum())
    return Markup(f"{selectors} {{ hyphens: manual; }}")
