"""What an article page tells machines about itself, all from the model: the Highwire Press
`citation_*` tags Google Scholar reads, Dublin Core, Open Graph, schema.org JSON-LD, and the sitemap.

Absolute addresses need to know where the web edition is served (`settings: web_url`, else the
publication's `website`); without one, tags that require an absolute URL are left out and no
sitemap is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from typeset.cite.items import normalise_item
from typeset.model import Article, Issue, Reference, joined

Tag = tuple[str, str]  # (name or property, content)


@dataclass(frozen=True)
class Place:
    """Where an article stands: its address, its pages in the issue's PDF, its offprint."""

    article: Article
    slug: str  # its folder under the issue's
    first: int  # page numbers in the issue PDF (the cover is page 1); 0 when not known
    last: int
    pdf: str  # the offprint's file name, in the article's folder

    @property
    def pages(self) -> str:
        if not self.first:
            return ""
        return f"p. {self.first}" if self.first == self.last else f"pp. {self.first}–{self.last}"


@dataclass(frozen=True)
class Site:
    """The web edition's addresses: `base` is where OUTPUT/web/ is served ('' when unknown)."""

    base: str
    issue_slug: str

    def url(self, path: str) -> str:
        """The absolute address of `path` (relative to web/), or '' without a base."""
        return f"{self.base}/{path}" if self.base else ""

    def article_path(self, place: Place) -> str:
        return f"{self.issue_slug}/{place.slug}/"


def web_base(issue: Issue) -> tuple[str, tuple[str, str]]:
    """(where OUTPUT/web/ is served, without a trailing slash, or '' if not an absolute http(s) URL; the field it came from)."""
    url, key = (issue.settings.web_url, ("settings", "web_url")) if issue.settings.web_url else (issue.publication.website, ("publication", "website"))
    parts = urlsplit(url.strip())
    valid = parts.scheme in ("http", "https") and bool(parts.netloc) and not parts.query and not parts.fragment
    return (url.strip().rstrip("/") if valid else ""), key


def serial_title(issue: Issue) -> str:
    """What the pages are part of: the serial of an issue, the report, the outlet of a single article."""
    return issue.title if issue.kind == "report" else issue.publication.serial or issue.publication.publisher


def _date(issue: Issue, separator: str = "-") -> str:
    """The publication date to its precision (2024-06, 2024-06-13), or "" for an undated one."""
    return issue.date.iso.replace("-", separator) if issue.date else ""


def language(issue: Issue, article: Article | None = None) -> str:
    return (article.language if article and article.language else issue.language) or "en"


def cited_items(issue: Issue, article: Article) -> list[dict[str, Any]]:
    """The CSL items the article cites, in order of first citation, normalised as the cite stage reads them."""
    ids = dict.fromkeys(c.id for note in article.notes for cluster in note.clusters for c in cluster.cites)
    out = []
    for rid in ids:
        ref: Reference | None = issue.references.get(rid)
        item = normalise_item(ref)[0] if ref is not None else None
        if item is not None:
            out.append(item)
    return out


def name_text(name: Mapping[str, Any]) -> str:
    """A CSL name as a reader writes it: 'Rachel Brett', or the literal of an organisation."""
    if "literal" in name:
        return str(name["literal"])
    parts = [name.get("given", ""), name.get("non-dropping-particle", ""), name.get("family", ""), name.get("suffix", "")]
    return " ".join(str(p) for p in parts if p)


def date_parts(item: Mapping[str, Any], key: str = "issued") -> list[int]:
    """[year, month, day] (as many as known) of a CSL date, [] for none or a literal date."""
    date = item.get(key) or {}
    parts = date.get("date-parts") or [[]]
    return [int(p) for p in parts[0] if str(p).lstrip("-").isdigit()]


def page_range(page: str) -> tuple[str, str]:
    """'27-40' or '27–40' → ('27', '40'); '852' → ('852', '')."""
    first, _, last = page.replace("–", "-").partition("-")
    return first.strip(), last.strip()


def citation_reference(item: Mapping[str, Any]) -> str:
    """One cited work in the Highwire form Google Scholar parses: `citation_title=…; citation_author=…; …`."""
    fields: list[tuple[str, str]] = []
    container = "citation_journal_title" if item.get("type") in ("article-journal", "article-magazine", "article-newspaper") else "citation_inbook_title"
    if item.get("title"):
        fields.append(("citation_title", str(item["title"])))
    fields += [("citation_author", name_text(n)) for n in item.get("author", [])]
    if item.get("container-title"):
        fields.append((container, str(item["container-title"])))
    year = date_parts(item)
    if year:
        fields.append(("citation_publication_date", "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(year))))
    for key, tag in (
        ("volume", "citation_volume"),
        ("issue", "citation_issue"),
        ("publisher", "citation_publisher"),
        ("DOI", "citation_doi"),
        ("ISBN", "citation_isbn"),
    ):
        if item.get(key):
            fields.append((tag, str(item[key])))
    if item.get("page"):
        first, last = page_range(str(item["page"]))
        fields.append(("citation_firstpage", first))
        if last:
            fields.append(("citation_lastpage", last))
    if item.get("URL"):
        fields.append(("citation_public_url", str(item["URL"])))
    return "; ".join(f"{k}={v.replace(';', ',')}" for k, v in fields)


def highwire(issue: Issue, site: Site, place: Place) -> list[Tag]:
    """The Highwire Press tags of an article page, in the order Google Scholar's guidelines list them."""
    article = place.article
    pub = issue.publication
    pdf = site.url(site.article_path(place) + place.pdf) or place.pdf
    tags: list[Tag] = [("citation_title", article.title)]
    tags += [("citation_author", name) for name in article.authors]
    tags += [
        ("citation_publication_date", _date(issue, "/")),
        ("citation_journal_title", serial_title(issue) if issue.kind == "issue" else ""),
        ("citation_technical_report_institution", pub.publisher if issue.kind == "report" else ""),
        ("citation_technical_report_number", issue.report.number if issue.report else ""),
        ("citation_isbn", issue.report.isbn if issue.report else ""),
        ("citation_issn", pub.issn),
        ("citation_issue", str(issue.number) if issue.kind == "issue" else ""),
    ]
    if place.first:
        tags += [("citation_firstpage", str(place.first)), ("citation_lastpage", str(place.last))]
    tags += [("citation_publisher", pub.publisher), ("citation_pdf_url", pdf), ("citation_language", language(issue, article))]
    if site.base:
        tags.append(("citation_fulltext_html_url", site.url(site.article_path(place))))
    tags += [("citation_keywords", k) for k in issue.keywords]
    tags += [("citation_reference", citation_reference(item)) for item in cited_items(issue, article) if item.get("title")]
    return [(k, v) for k, v in tags if v]


def dublin_core(issue: Issue, site: Site, place: Place) -> list[Tag]:
    article = place.article
    pub = issue.publication
    tags: list[Tag] = [("DC.title", article.title)]
    tags += [("DC.creator", name) for name in article.authors]
    tags += [
        ("DC.date", _date(issue)),
        ("DC.publisher", pub.publisher),
        ("DC.language", language(issue, article)),
        ("DC.type", "Text"),
        ("DC.format", "text/html"),
        ("DC.identifier", site.url(site.article_path(place))),
        ("DC.source", joined(". ", joined(", ", issue.full_title, place.pages), f"ISSN {pub.issn}" if pub.issn else "")),
        ("DC.rights", " ".join(p for p in (pub.copyright, pub.rights) if p)),
    ]
    tags += [("DC.subject", k) for k in issue.keywords]
    return [(k, v) for k, v in tags if v]


def open_graph(issue: Issue, site: Site, place: Place | None, image: str) -> list[Tag]:
    """Open Graph for link previews; `image` is the web path of the picture to show (og:image must be absolute)."""
    title = place.article.title if place else joined(", ", issue.title, issue.issue_label)
    tags: list[Tag] = [
        ("og:type", "article" if place else "website"),
        ("og:title", title),
        ("og:site_name", serial_title(issue)),
        ("og:locale", language(issue, place.article if place else None).replace("-", "_")),
        ("og:url", site.url(site.article_path(place) if place else f"{site.issue_slug}/")),
        ("og:image", site.url(image)),
    ]
    if place:
        tags += [("article:published_time", _date(issue))]
        tags += [("article:author", name) for name in place.article.authors]
    return [(k, v) for k, v in tags if v]


def periodical(issue: Issue) -> dict[str, Any]:
    pub = issue.publication
    out: dict[str, Any] = {"@type": "Periodical", "name": serial_title(issue), "issn": pub.issn, "publisher": publisher(issue)}
    if pub.website:
        out["url"] = pub.website
    return out


def publisher(issue: Issue) -> dict[str, Any]:
    pub = issue.publication
    out: dict[str, Any] = {"@type": "Organization", "name": pub.publisher}
    if pub.website:
        out["url"] = pub.website
    return out


def publication_issue(issue: Issue, site: Site) -> dict[str, Any]:
    """The whole publication: an issue of its periodical, a report, or the single article's outlet."""
    if issue.kind == "issue":
        out: dict[str, Any] = {"@type": "PublicationIssue", "issueNumber": str(issue.number), "isPartOf": periodical(issue)}
    else:
        out = {"@type": "Report" if issue.kind == "report" else "CreativeWork", "name": issue.full_title, "publisher": publisher(issue)}
        if issue.report and issue.report.number:
            out["reportNumber"] = issue.report.number
        if issue.report and issue.report.isbn:
            out["isbn"] = issue.report.isbn
    if issue.date:
        out["datePublished"] = _date(issue)
    if site.base:
        out["url"] = site.url(f"{site.issue_slug}/")
    return out


def json_ld(issue: Issue, site: Site, place: Place | None) -> dict[str, Any]:
    """schema.org: a ScholarlyArticle in its PublicationIssue of the Periodical; the issue page is the PublicationIssue."""
    pub = issue.publication
    if place is None:
        return {"@context": "https://schema.org", **publication_issue(issue, site), "inLanguage": language(issue)}
    article = place.article
    out: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": article.title,
        "name": article.title,
        "author": [{"@type": "Person", "name": name} for name in article.authors],
        "inLanguage": language(issue, article),
        "isPartOf": publication_issue(issue, site),
        "publisher": publisher(issue),
        "copyrightHolder": publisher(issue),
        "license": {"@type": "CreativeWork", "name": pub.rights or pub.copyright},
        "encoding": {"@type": "MediaObject", "encodingFormat": "application/pdf", "contentUrl": site.url(site.article_path(place) + place.pdf) or place.pdf},
        "citation": [_cited_work(item) for item in cited_items(issue, article)],
    }
    if issue.date:
        out.update(datePublished=_date(issue), copyrightYear=issue.date.first.year)
    if pub.copyright:
        out["copyrightNotice"] = pub.copyright
    if place.first:
        out.update(pageStart=str(place.first), pageEnd=str(place.last), pagination=f"{place.first}-{place.last}")
    if site.base:
        out["url"] = site.url(site.article_path(place))
    if issue.keywords:
        out["keywords"] = list(issue.keywords)
    return out


def _cited_work(item: Mapping[str, Any]) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "ScholarlyArticle" if item.get("type") == "article-journal" else "CreativeWork", "name": item.get("title", "")}
    authors = [name_text(n) for n in item.get("author", [])]
    if authors:
        work["author"] = [{"@type": "Organization" if "literal" in n else "Person", "name": name_text(n)} for n in item.get("author", [])]
    year = date_parts(item)
    if year:
        work["datePublished"] = "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(year))
    if item.get("URL"):
        work["url"] = item["URL"]
    if item.get("DOI"):
        work["sameAs"] = f"https://doi.org/{item['DOI']}"
    return work


def json_script(data: Mapping[str, Any]) -> str:
    """JSON for a <script type="application/ld+json"> element: `<` escaped so no text can close the element."""
    return json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")


def sitemap(urls: Iterable[str], lastmod: str) -> bytes:
    modified = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""  # an undated publication: no date made up
    rows = "".join(f"  <url><loc>{escape(u)}</loc>{modified}</url>\n" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + rows + "</urlset>\n").encode("utf-8")


def meta_tags(groups: Sequence[list[Tag]]) -> list[tuple[str, str, str]]:
    """(attribute, key, content): Open Graph uses `property`, the rest `name`."""
    return [("property" if k.startswith(("og:", "article:")) else "name", k, v) for group in groups for k, v in group]
