"""Locator labels: the CSL locator types, and the words a writer may type for each (`[@id, para 3]`).

The one table both the citation syntax (`load.citations`, for what is typed in Markdown) and the
cite stage (for clusters given as data) read labels from. Every CSL 1.0.2 locator type is
accepted by its own name; the abbreviations and plurals are pandoc's.
"""

from __future__ import annotations

from typeset.diagnostics import did_you_mean

LOCATORS: dict[str, tuple[str, ...]] = {
    "act": (),
    "appendix": ("app",),
    "article-locator": ("art", "arts", "article", "articles"),
    "book": ("bk",),
    "canon": (),
    "chapter": ("ch", "chap", "chapters"),
    "column": ("col",),
    "elocation": (),
    "equation": (),
    "figure": ("fig", "figures"),
    "folio": (),
    "issue": ("no",),
    "line": ("l", "ll", "lines"),
    "note": ("n", "nn", "notes"),
    "opus": (),
    "page": ("p", "pp", "pages"),
    "paragraph": ("para", "paras", "paragraphs", "¶"),
    "part": ("pt",),
    "rule": ("r",),
    "scene": (),
    "section": ("s", "ss", "sec", "secs", "sections", "§"),
    "sub-verbo": ("sv",),
    "supplement": (),
    "table": (),
    "timestamp": (),
    "title-locator": (),
    "verse": (),
    "version": (),
    "volume": ("vol", "vols", "volumes"),
}
"""CSL locator type → the other words that name it, lower case."""

LABELS: dict[str, str] = {word: kind for kind, words in LOCATORS.items() for word in (kind, *words)}
"""Every word accepted as a label (lower case) → its CSL locator type."""


def locator_type(label: str) -> str | None:
    """`pp`, `Para` or `sub-verbo` → the CSL locator type; None for a word that is no label."""
    return LABELS.get(label.lower())


def label_hint(label: str) -> str:
    """How to mend an unknown label: the closest labels, and the common ones."""
    close = did_you_mean(label.lower(), LABELS)
    return (close + " " if close else "") + "labels: p, para, art, s, ch, n, fig, vol, l, or a CSL locator type such as table"
