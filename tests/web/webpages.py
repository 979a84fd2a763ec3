"""Helpers of the web edition's tests: the sample's article folders and how to read a page."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

HERE = Path(__file__).parent
ARTICLE_SLUGS = ("child-soldiers", "labour-migration", "domestic-violence-kazakhstan", "femicide-kyrgyzstan", "russia-uzbekistan", "tajikistan-repression")


def page(path: Path) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(path.read_bytes())


def pages(web_issue: Path) -> list[Path]:
    """The issue page, then the article pages."""
    return [web_issue / "index.html"] + [web_issue / slug / "index.html" for slug in ARTICLE_SLUGS]
