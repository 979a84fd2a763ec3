"""Finished issue PDF → one PDF per article, cut from it, so page numbers and running heads are the issue's own.

An article runs from its first page to the page before the next article (or the bibliography,
the notes pages or the back cover). The cut keeps those pages and everything that points into
them: bookmarks, named destinations, links; the rest is dropped, so no page of another article
rides along as an unreferenced object. Page labels start at the article's first page number,
and the metadata names the article, its authors and where it stands in the issue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from io import BytesIO
from itertools import pairwise

import pikepdf
from pikepdf import Name

from typeset.layout.cache import digest
from typeset.model import Article, Issue, slug
from typeset.output.metadata import Description, article_description, write_metadata
from typeset.output.pdfobjects import entry
from typeset.output.profiles import Profile, save
from typeset.store import Store

OFFPRINT = "offprint-2"
"""Changes when the cut changes, so offprints kept by older versions are not served."""


def article_pages(pdf: pikepdf.Pdf, issue: Issue, padded: int) -> list[tuple[Article, int, int]]:
    """(article, first, last) with 1-based page numbers, read from the named destinations WeasyPrint writes.

    Articles start on a new page, so one ends before the next begins; the last ends before the
    notes pages and the back cover, or, when an issue bibliography follows on, on the last page
    holding one of its own anchors (a note, a figure, its recommendations).
    """
    pages = _destination_pages(pdf)
    found = [(a, pages[a.slug]) for a in issue.articles if a.slug in pages]
    out = []
    for (article, first), (_, following) in pairwise(found):
        out.append((article, first, following - 1))
    if found:
        article, first = found[-1]
        last = len(pdf.pages) - padded - 1
        if "bibliography" in pages:
            last = max(p for name, p in pages.items() if name == article.slug or name.startswith(article.slug + "-"))
        out.append((article, first, last))
    return out


def _destinations(pdf: pikepdf.Pdf) -> pikepdf.NameTree | None:
    dests = entry(pdf.Root, "/Names").get("/Dests")
    return pikepdf.NameTree(dests) if dests is not None else None


def _page_of(dest: object) -> tuple[int, int]:
    """The object id of the page an explicit destination (`[page /XYZ …]` or `<< /D [...] >>`) points to."""
    if isinstance(dest, pikepdf.Dictionary):
        dest = dest.D
    return dest[0].objgen if isinstance(dest, pikepdf.Array) and len(dest) else (0, 0)


def _destination_pages(pdf: pikepdf.Pdf) -> dict[str, int]:
    index = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
    tree = _destinations(pdf)
    return {str(name): index[_page_of(dest)] for name, dest in (tree.items() if tree is not None else []) if _page_of(dest) in index}


@dataclass(frozen=True)
class Offprint:
    """One article cut from the issue: its pages there (1-based, the cover being 1), file name and bytes."""

    article: Article
    first: int
    last: int
    name: str  # e.g. `01-breaking-the-cycle-print.pdf`
    data: bytes


def cut_offprints(
    pdf_bytes: bytes,
    issue: Issue,
    profile: Profile,
    created: dt.datetime | None,
    padded: int = 0,
    laid_out: Mapping[str, str] | None = None,
    store: Store | None = None,
) -> list[Offprint]:
    """Each article's offprint, in the order of the issue.

    `laid_out` maps an article's slug to the key of its laid-out part (see `layout.schedule`) plus
    what the output profile did to the pages; an offprint whose key, pages and metadata are those of
    an earlier build comes from `store`: a rebuild after an edit cuts only the edited article.
    """
    whole = pikepdf.open(BytesIO(pdf_bytes))
    out = []
    for number, (article, first, last) in enumerate(article_pages(whole, issue, padded), start=1):
        description = article_description(issue, article, first, last, created)

        def cut(first: int = first, last: int = last, description: Description = description) -> bytes:
            pdf = pikepdf.open(BytesIO(pdf_bytes))
            _keep_pages(pdf, first, last)
            pdf.Root.PageLabels = pikepdf.Dictionary(Nums=[0, pikepdf.Dictionary(S=Name.D, St=first)])
            write_metadata(pdf, description, profile.claim)
            if "/ID" in pdf.trailer:  # a document of its own: its ID from its content, not the issue's
                del pdf.trailer["/ID"]
            return save(pdf, version=str(pdf.pdf_version))

        part = (laid_out or {}).get(article.slug)
        key = digest(OFFPRINT, part, str(first), str(last), str(whole.pdf_version), profile.claim, repr(description)) if part else ""
        data = store.get(f"offprints/{key}.pdf", cut) if store and key else cut()
        name = f"{number:02d}-{slug(article.title).rstrip('-')}{profile.suffix}.pdf"  # no hyphen of a cut before .pdf
        out.append(Offprint(article, first, last, name, data))
    return out


def _keep_pages(pdf: pikepdf.Pdf, first: int, last: int) -> None:
    """Delete every page outside first..last and every reference to them."""
    for index in reversed(range(len(pdf.pages))):
        if not first - 1 <= index <= last - 1:
            del pdf.pages[index]
    kept = {page.obj.objgen for page in pdf.pages}
    tree = _destinations(pdf)
    live = {str(name) for name, dest in tree.items() if _page_of(dest) in kept} if tree is not None else set()
    if tree is not None:
        for name in [n for n in tree if str(n) not in live]:
            del tree[name]
    for page in pdf.pages:
        page.remove_unreferenced_resources()  # WeasyPrint shares one resource dictionary among all pages
        if "/Annots" in page.obj:
            page.obj.Annots = pikepdf.Array([a for a in page.obj.Annots if _target_kept(a, kept, live)])
        for key in ("/StructParents", "/Tabs"):
            if key in page.obj:
                del page.obj[key]
    for key in ("/StructTreeRoot", "/MarkInfo"):  # the issue's structure tree points into every page
        if key in pdf.Root:
            del pdf.Root[key]
    with pdf.open_outline() as outline:
        outline.root[:] = _kept_items(outline.root, kept)


def _target_kept(annot: pikepdf.Object, kept: set[tuple[int, int]], live: set[str]) -> bool:
    dest = annot.get("/Dest")
    if dest is None and "/A" in annot:
        dest = annot.A.get("/D")
    if dest is None:
        return True
    if isinstance(dest, (pikepdf.Array, pikepdf.Dictionary)):
        return _page_of(dest) in kept
    return str(dest) in live


def _kept_items(items: list[pikepdf.OutlineItem], kept: set[tuple[int, int]]) -> list[pikepdf.OutlineItem]:
    """Bookmarks whose page stays; a dropped bookmark's kept children move up to its place."""
    out = []
    for item in items:
        children = _kept_items(item.children, kept)
        if item.destination is not None and _page_of(item.destination) in kept:
            item.children[:] = children
            out.append(item)
        else:
            out.extend(children)
    return out
