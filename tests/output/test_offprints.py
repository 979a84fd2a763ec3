"""Offprints: each article cut from the issue with its real page numbers, running heads and its own metadata."""

from __future__ import annotations

import pikepdf
import pytest
from pdfread import page_texts

from typeset.pipeline import Built

PRISM = "http://prismstandard.org/namespaces/basic/2.0/"


def _offprint(built: Built, profile: str) -> pikepdf.Pdf:
    made = next(o for o in built.outputs if o.profile.name == profile)
    [path] = made.offprints
    return pikepdf.open(built.pdf.parent / path)


def test_one_offprint_per_article_and_profile(all_profiles: Built) -> None:
    names = sorted(p.name for o in all_profiles.outputs for p in o.offprints)
    assert names == ["01-a-test-article-with-a-colon-archive.pdf", "01-a-test-article-with-a-colon-print.pdf", "01-a-test-article-with-a-colon.pdf"]


@pytest.mark.parametrize("profile", ["screen", "print", "archive"])
def test_offprint_keeps_the_issue_pages_and_numbers_them_as_printed(all_profiles: Built, profile: str) -> None:
    offprint = _offprint(all_profiles, profile)
    issue_texts = page_texts(all_profiles.pdf)
    first = next(i for i, text in enumerate(issue_texts, start=1) if "A Test Article: With a Colon" in text and i > 3)
    assert len(offprint.pages) == 2
    assert offprint.Root.PageLabels.Nums[1].St == first
    # the same pages: the folios printed on them are the issue's page numbers
    made = next(o for o in all_profiles.outputs if o.profile.name == profile)
    cut_texts = page_texts(all_profiles.pdf.parent / made.offprints[0])
    assert cut_texts == issue_texts[first - 1 : first + 1]
    assert cut_texts[0].rstrip().endswith(str(first)) and "The Test Monitor" in cut_texts[1]


@pytest.mark.parametrize("profile", ["screen", "print", "archive"])
def test_offprint_metadata_names_the_article_and_where_it_stands(all_profiles: Built, profile: str) -> None:
    offprint = _offprint(all_profiles, profile)
    meta = offprint.open_metadata()
    assert str(offprint.docinfo.Title) == meta["dc:title"] == "A Test Article: With a Colon"
    assert str(offprint.docinfo.Author) == "Bea Author"
    assert str(offprint.docinfo.Subject) == "The Test Monitor – Nowhere, Issue 3, June 2024, pp. 5–6"
    assert meta[f"{{{PRISM}}}pageRange"] == "5-6" and meta[f"{{{PRISM}}}issn"] == "2989-3038"
    assert meta["dc:identifier"] == "urn:issn:2989-3038"


def test_offprint_carries_nothing_of_other_pages(all_profiles: Built) -> None:
    offprint = _offprint(all_profiles, "screen")
    pages = [o for o in offprint.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == pikepdf.Name.Page]
    assert len(pages) == 2
    titles = [item.title for item in offprint.open_outline().root]
    assert titles == ["A Test Article: With a Colon"]
    kept = {p.objgen for p in offprint.pages}
    dests = pikepdf.NameTree(offprint.Root.Names.Dests)
    assert dests and all(dest[0].objgen in kept for _, dest in dests.items())
    assert "/StructTreeRoot" not in _offprint(all_profiles, "archive").Root
