"""The web edition as files: pages, metadata against the model, notes linked both ways, fonts, JATS."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from lxml import etree
from webpages import ARTICLE_SLUGS, HERE, page, pages

from typeset.model import Issue
from typeset.output.make import wanted
from typeset.pipeline import Built, build, prepare
from typeset.theme import find_theme
from typeset.web.colours import NORMAL, contrast, readable, rgb, web_palette
from typeset.web.csl import classed
from typeset.web.meta import citation_reference, cited_items

REPO = Path(__file__).resolve().parents[2]
BASE = "https://www.peacehumanity.org/the-peace-security-monitor-issue-8/"
JATS_DTD = HERE / "jats-publishing-1.3" / "JATS-journalpublishing1-3.dtd"


def meta(doc: etree._Element, name: str) -> list[str]:
    return [m.get("content") for m in doc.xpath(f"//meta[@name='{name}' or @property='{name}']")]


def test_an_issue_page_and_six_article_pages_at_stable_addresses(web_issue: Path, sample_build: Built) -> None:
    issue_page = page(web_issue / "index.html")
    links = issue_page.xpath("//nav[contains(@class,'toc')]//a[@class='toc-title']")
    assert [a.get("href") for a in links] == [f"{slug}/" for slug in ARTICLE_SLUGS]
    assert [a.text_content() for a in links] == [a.title for a in sample_build.issue.articles]
    assert issue_page.xpath("//section[contains(@class,'foreword')]/h2")[0].text_content() == "Foreword"
    assert issue_page.xpath("//img[@class='cover-image']")[0].get("alt") == sample_build.issue.cover.alt
    for slug, article in zip(ARTICLE_SLUGS, sample_build.issue.articles):
        doc = page(web_issue / slug / "index.html")
        assert doc.xpath("//h1")[0].text_content() == article.title
        assert len(doc.xpath("//figure")) == len(article.figures)
        assert doc.xpath("//section[contains(@class,'recommendations')]/h2")[0].text_content() == article.recommendations_title


def test_every_page_is_safe_and_in_order(web_issue: Path) -> None:
    """Strict policy, no script, no inline style, nothing from another host, a skip link, headings that never skip a level."""
    for path in pages(web_issue):
        doc = page(path)
        csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']")[0].get("content")
        assert csp.startswith("default-src 'none';") and "'unsafe-inline'" not in csp and "script-src" not in csp
        assert [s.get("type") for s in doc.xpath("//script")] == ["application/ld+json"]
        assert not doc.xpath("//@style | //style | //@*[starts-with(name(), 'on')]")
        resources = doc.xpath("//img/@src | //img/@srcset | //link[@rel='stylesheet']/@href")
        assert resources and not [r for r in resources if re.search(r"(^|\s)(https?:)?//", r)], path
        assert doc.get("lang") == "en-GB"
        assert doc.xpath("//body/*[1]")[0].get("href") == "#main" and doc.xpath("//main[@id='main']")
        levels = [int(h.tag[1]) for h in doc.xpath("//main//*[self::h1 or self::h2 or self::h3 or self::h4]")]
        assert levels[0] == 1 and levels.count(1) == 1, path
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), (path, levels)
    css = next((web_issue / "assets").glob("style.*.css")).read_text()
    assert not re.search(r"url\(\s*[\"']?(https?:)?//", css)


def test_note_calls_and_notes_link_both_ways(web_issue: Path, sample_build: Built) -> None:
    for slug, article in zip(ARTICLE_SLUGS, sample_build.issue.articles):
        doc = page(web_issue / slug / "index.html")
        ids = set(doc.xpath("//@id"))
        calls = doc.xpath("//a[@class='note-call']")
        notes = doc.xpath("//section[contains(@class,'notes')]//li")
        assert len(notes) == len(article.notes) and calls
        for call in calls:
            assert call.get("href")[1:] in ids and call.get("id") in ids
        for note in notes:
            back = note.xpath(".//a[@role='doc-backlink']")[0]
            assert back.get("href")[1:] in ids
            call = doc.xpath(f"//a[@id='{back.get('href')[1:]}']")[0]
            assert call.get("href") == f"#{note.get('id')}" and call.text_content() == back.text_content()


def test_pages_and_pdf_links_come_from_the_pdf(web_issue: Path, sample_build: Built) -> None:
    """citation_firstpage/lastpage are the offprint's page labels, and the PDF they name is there."""
    for slug in ARTICLE_SLUGS:
        doc = page(web_issue / slug / "index.html")
        pdf_url = meta(doc, "citation_pdf_url")[0]
        assert pdf_url.startswith(BASE + slug + "/")
        offprint = web_issue / slug / pdf_url.rsplit("/", 1)[1]
        with pikepdf.open(offprint) as pdf:
            first = int(pdf.Root.PageLabels.Nums[1].St)
            last = first + len(pdf.pages) - 1
        assert meta(doc, "citation_firstpage") == [str(first)] and meta(doc, "citation_lastpage") == [str(last)]
        assert (web_issue / doc.xpath("//a[starts-with(@href, '../') and @type='application/pdf']/@href")[0][3:]).is_file()
    with pikepdf.open(sample_build.pdf) as whole:
        assert first <= len(whole.pages)


def test_highwire_dublin_core_and_json_ld_say_what_the_model_says(web_issue: Path, sample_build: Built) -> None:
    issue: Issue = sample_build.issue
    for slug, article in zip(ARTICLE_SLUGS, issue.articles):
        doc = page(web_issue / slug / "index.html")
        assert meta(doc, "citation_title") == [article.title]
        assert meta(doc, "citation_author") == list(article.authors)
        assert meta(doc, "citation_publication_date") == ["2024/06"]  # dated by month, as the cover prints it
        assert meta(doc, "citation_journal_title") == ["The Peace & Security Monitor – Central Asia"]
        assert meta(doc, "citation_issn") == ["2989-3038"] and meta(doc, "citation_issue") == ["8"]
        assert meta(doc, "citation_language") == ["en-GB"]
        items = [i for i in cited_items(issue, article) if i.get("title")]
        references = meta(doc, "citation_reference")
        assert references == [citation_reference(i) for i in items] and len(references) > 15
        assert all(r.startswith("citation_title=") for r in references)
        assert meta(doc, "DC.title") == [article.title] and meta(doc, "DC.creator") == list(article.authors)
        assert meta(doc, "og:type") == ["article"] and meta(doc, "og:url") == [BASE + slug + "/"]
        assert meta(doc, "og:image")[0].startswith(BASE + "images/")

        data = json.loads(doc.xpath("//script[@type='application/ld+json']")[0].text)
        assert data["@type"] == "ScholarlyArticle" and data["headline"] == article.title
        assert [a["name"] for a in data["author"]] == list(article.authors)
        assert (data["pageStart"], data["pageEnd"]) == (meta(doc, "citation_firstpage")[0], meta(doc, "citation_lastpage")[0])
        part = data["isPartOf"]
        assert part["@type"] == "PublicationIssue" and part["issueNumber"] == "8"
        assert part["isPartOf"] == {
            "@type": "Periodical",
            "name": "The Peace & Security Monitor – Central Asia",
            "issn": "2989-3038",
            "publisher": {"@type": "Organization", "name": "Platform for Peace and Humanity", "url": "https://www.peacehumanity.org"},
            "url": "https://www.peacehumanity.org",
        }
        assert data["publisher"]["name"] == "Platform for Peace and Humanity"
        assert data["license"] == {"@type": "CreativeWork", "name": "All rights reserved"}
        assert len(data["citation"]) == len(cited_items(issue, article))
    sitemap = etree.parse(str(web_issue.parent / "sitemap.xml"))
    locs = sitemap.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    assert locs == [BASE] + [BASE + slug + "/" for slug in ARTICLE_SLUGS]


def test_jats_is_valid_journal_publishing_1_3_with_notes_and_structured_references(web_issue: Path, sample_build: Built) -> None:
    dtd = etree.DTD(str(JATS_DTD))
    for slug, article in zip(ARTICLE_SLUGS, sample_build.issue.articles):
        doc = etree.parse(str(web_issue / slug / f"{slug}.xml"), etree.XMLParser(no_network=True, resolve_entities=False))
        assert dtd.validate(doc), dtd.error_log.filter_from_errors()
        assert doc.getroot().get("dtd-version") == "1.3"
        assert doc.xpath("//article-meta/title-group/article-title")[0].text == article.title
        assert [n.text for n in doc.xpath("//contrib/string-name")] == list(article.authors)
        assert len(doc.xpath("//back/fn-group/fn")) == len(article.notes)
        ids = set(doc.xpath("//@id"))
        xrefs = doc.xpath("//body//xref[@ref-type='fn']/@rid")
        assert xrefs and set(xrefs) <= ids
        assert len(doc.xpath("//body//sec")) == len(article.headings) + 1  # and the recommendations
        assert len(doc.xpath("//fig/graphic/alt-text")) == len(article.figures)
        refs = doc.xpath("//ref-list/ref/element-citation")
        assert len(refs) == len(cited_items(sample_build.issue, article))
    brett = etree.parse(str(web_issue / "child-soldiers" / "child-soldiers.xml")).xpath(
        "//ref[@id='ref-brett-2003-adolescents-volunteering']/element-citation"
    )[0]
    assert brett.get("publication-type") == "journal"
    assert [brett.findtext(t) for t in ("person-group/name/surname", "article-title", "source", "year", "volume", "fpage")] == [
        "Brett",
        "Adolescents Volunteering for Armed Forces or Armed Groups",
        "International Review of the Red Cross",
        "2003",
        "85",
        "852",
    ]


def test_fonts_are_the_pdfs_own_subset_to_the_pages_as_woff2(web_issue: Path) -> None:
    fonts = sorted((web_issue / "assets").glob("*.woff2"))
    assert {f.name.split(".")[0] for f in fonts} >= {"pt-serif-web-regular", "pt-serif-web-italic", "pt-sans-web-regular", "pt-sans-web-bold"}
    text = "".join(page(path).xpath("string(//body)") for path in pages(web_issue))
    for path in fonts:
        assert path.read_bytes()[:4] == b"wOF2"
        font = TTFont(path)
        assert len(font.getGlyphOrder()) < 400, "subset, not the whole font"
    serif = TTFont(next(f for f in fonts if f.name.startswith("pt-serif-web-regular")))
    invisible = {0x0A, 0x09, 0x2060}  # the word joiner that binds a note call to its word draws nothing
    assert set(map(ord, text)) - invisible <= set(serif.getBestCmap()), "every character of the pages is in the subset"
    css = next((web_issue / "assets").glob("style.*.css")).read_text()
    assert css.count("font-display: swap") == len(fonts)
    assert re.search(r'font-family: "PT Serif fallback"; font-weight: 400; font-style: normal; src: local\("Times New Roman"\).*size-adjust: 10\d\.\d\d%', css)


@pytest.mark.parametrize("theme", ["default", "modern"])
def test_text_colours_reach_wcag_aa_contrast(theme: str) -> None:
    palette = web_palette(find_theme(theme, REPO / "issue").css)
    colours = {k: rgb(v) for k, v in palette.colours.items()}
    for text, background in (
        ("ink", "paper"),
        ("muted", "paper"),
        ("accent", "paper"),
        ("highlight", "paper"),
        ("accent-on-tint", "tint"),
        ("cover-text", "cover"),
    ):
        assert contrast(colours[text], colours[background]) >= NORMAL, (text, background)
    assert "highlight" in palette.adjusted, "the theme's gold/coral highlight is too light for text on white, so it moved"


def test_readable_moves_a_colour_only_as_far_as_needed() -> None:
    gold, white = (0xC9, 0x8F, 0x1F), (255, 255, 255)
    darker = readable(gold, white, NORMAL)
    assert NORMAL <= contrast(darker, white) < NORMAL + 0.3
    assert readable((0, 0, 0), white, NORMAL) == (0, 0, 0)


def test_the_setting_and_the_flag_turn_the_web_edition_off(tmp_path: Path) -> None:
    built = build(REPO / "tests" / "roots" / "minimal", tmp_path, web=False)
    assert built.web is None and not (tmp_path / "web").exists()


def test_the_web_edition_links_to_a_screen_pdf_even_when_only_print_is_asked_for(sample_build: Built) -> None:
    issue = sample_build.issue
    assert wanted(issue, ("print",)).made == ("print", "screen")
    assert wanted(issue, ("print",), web=False).made == ("print",)
    assert wanted(issue, ("print", "archive")).web_profile == "archive"


def test_an_address_that_is_not_absolute_is_a_warning_and_leaves_out_the_sitemap(minimal: Path, tmp_path: Path) -> None:
    issue_yaml = minimal / "issue.yaml"
    issue_yaml.write_text(issue_yaml.read_text().replace("website: https://example.org", "website: www.example.org"))
    prepared = prepare(minimal)
    [warning] = [d for d in prepared.diagnostics if d.code == "web.url"]
    assert warning.pos.line == 8 and "www.example.org" in warning.message
    built = build(minimal, tmp_path / "out")
    assert built.web is not None and not (tmp_path / "out" / "web" / "sitemap.xml").exists()
    assert not page(built.web).xpath("//link[@rel='canonical'] | //meta[@property='og:url']")


def test_each_article_page_speaks_its_language_and_the_fonts_draw_it(languages_build: Built) -> None:
    """Russian, Kazakh and Uzbek articles: `lang` on the page and the article, Cyrillic in the PT subset,
    and the Uzbek oʻ from the theme's borrowed face, cut to that one character."""
    built = languages_build
    assert built.web is not None
    web = built.web.parent
    for slug in ("ru", "kk", "uz"):
        doc = page(web / slug / "index.html")
        assert doc.get("lang") == slug and doc.xpath("//article")[0].get("lang") == slug
        assert meta(doc, "citation_language") == [slug] and meta(doc, "DC.language") == [slug]
    css = next((web / "assets").glob("style.*.css")).read_text()
    borrowed = re.findall(r'src: url\("([^"]+)"\) format\("woff2"\); unicode-range: U\+02BB, U\+2610, U\+2713;', css)
    assert len(borrowed) == 8  # the theme borrows U+02BB (and the check-list markers) for each of its eight faces
    for name in set(borrowed):
        assert set(TTFont(web / "assets" / name).getBestCmap()) == {0x02BB}
    serif = TTFont(next((web / "assets").glob("pt-serif-web-regular.*.woff2")))
    assert {ord(c) for c in "ӘәҒғҚқҢңӨөҰұҮүҺһІі«»„“"} <= set(serif.getBestCmap())


def test_citeprocs_inline_styles_become_classes() -> None:
    assert classed('<i>A</i> <span style="font-style:normal;">B</span>') == '<i>A</i> <span class="cs-roman">B</span>'
