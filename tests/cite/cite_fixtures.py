"""Issues built directly from data, for the cite-stage tests and benches (before and apart from the loader)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from conftest import require

from typeset.cite.items import normalise_items
from typeset.cite.notes import cite_issue
from typeset.diagnostics import Diagnostic
from typeset.model import (
    Article,
    Cite,
    Cluster,
    Cover,
    Foreword,
    Issue,
    Markdown,
    Note,
    Publication,
    Reference,
    Settings,
    SourcePos,
)

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
ISSUE8_NOTES = SHARED / "issue8" / "notes"


def cite(issue: Issue) -> tuple[Issue, list[Diagnostic]]:
    """The cite stage as the pipeline runs it: the references normalised once, then the notes cited."""
    csl, diags = normalise_items(issue.references)
    out, cite_diags = cite_issue(issue, csl)
    return out, diags + cite_diags


def make_issue(
    refs: Iterable[Mapping[str, Any]],
    articles: Sequence[Sequence[Any]],
    **settings: Any,
) -> Issue:
    """An Issue from CSL items and, per article, a list of notes.

    A note is a list of parts: a str is prose, a list of cite dicts (`id`, `locator`, `label`,
    `prefix`, `suffix`) is one cluster.
    """
    path = REPO / "issue" / "references" / "test.yaml"
    references = {r["id"]: Reference(r["id"], r, SourcePos(path, i + 1, 3)) for i, r in enumerate(refs)}
    built = []
    for a, notes in enumerate(articles, 1):
        apath = REPO / "issue" / "articles" / f"{a:02}.yaml"
        made = []
        for n, parts in enumerate(notes, 1):
            pos = SourcePos(apath, n, 1)
            made.append(
                Note(
                    n,
                    tuple(
                        p
                        if isinstance(p, str)
                        else Cluster(
                            tuple(
                                Cite(
                                    c["id"],
                                    pos,
                                    str(c.get("locator", "")),
                                    c.get("label", ""),
                                    c.get("prefix", ""),
                                    c.get("suffix", ""),
                                )
                                for c in p
                            ),
                            pos,
                        )
                        for p in parts
                    ),
                    pos,
                )
            )
        body = Markdown("", (), SourcePos(apath))
        built.append(
            Article(
                f"a{a}",
                f"Article {a}",
                (),
                (),
                body,
                tuple(made),
                (),
                (),
                SourcePos(apath),
            )
        )
    root = REPO / "issue"
    return Issue(
        root,
        Publication("P", "R", "Pub", "0000-0000", "©", "rights", "w", "c"),
        8,
        dt.date(2024, 6, 1),
        "en-GB",
        (),
        Cover("c.svg", "", "", SourcePos(root)),
        Foreword("F", Markdown("", (), SourcePos(root))),
        tuple(built),
        references,
        Settings(**settings),
        SourcePos(root / "issue.yaml", 1, 1),
    )


def issue8_refs() -> list[dict[str, Any]]:
    """The real CSL items of Issue 8 (issue/references/*.yaml)."""
    refs: list[dict[str, Any]] = []
    for path in sorted((REPO / "issue" / "references").glob("*.yaml")):
        refs.extend(yaml.safe_load(path.read_text(encoding="utf-8"))["references"])
    return refs


def issue8_notes(article: int) -> list[list[Any]]:
    """Article N's notes as keyed by an editor (shared/issue8/notes), prose notes as their text."""
    require(ISSUE8_NOTES.is_dir(), f"Issue 8's notes beside the checkout, at {ISSUE8_NOTES}")
    data = yaml.safe_load((ISSUE8_NOTES / f"article-{article}.yaml").read_text(encoding="utf-8"))
    notes: list[list[Any]] = []
    for note in data["notes"]:
        if note.get("text_only"):
            notes.append([note["printed"]])
        else:
            notes.append([[{k: c[k] for k in ("id", "locator", "label", "prefix", "suffix") if k in c} for c in note["cites"]]])
    return notes


def issue8(**settings: Any) -> Issue:
    """The whole sample issue (264 notes) as the cite stage receives it."""
    return make_issue(issue8_refs(), [issue8_notes(a) for a in range(1, 7)], **settings)
