"""Cited issue + its PDFs → the web edition: an issue page, a page and a JATS file per article,
the theme's fonts and colours for screens, responsive images, a sitemap.

Every address is relative, so the folder works wherever it is served (or opened from disk);
absolute addresses appear only in the metadata, when `web_url` or the website is known. Pages carry
no script: the content security policy allows styles, fonts and images from the site itself and
nothing else.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from typeset.model import Article, Figure, Issue, joined
from typeset.output.offprints import Offprint
from typeset.render.html import Blocks, print_figure
from typeset.store import Store
from typeset.theme import Theme
from typeset.web.colours import custom_properties, web_palette
from typeset.web.csl import classed
from typeset.web.fonts import (
    WebFont,
    family_stack,
    font_face_css,
    theme_faces,
    web_fonts,
)
from typeset.web.images import WebImage, web_image
from typeset.web.jats import jats_article
from typeset.web.meta import (
    Place,
    Site,
    dublin_core,
    highwire,
    json_ld,
    json_script,
    language,
    meta_tags,
    open_graph,
    serial_title,
    sitemap,
    web_base,
)

TEMPLATES = Path(__file__).parent / "templates"
CSP = "default-src 'none'; img-src 'self'; style-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'"
"""No script at all, no inline style: the JSON-LD block is data, which no policy runs."""
STYLESHEET = "style.CONTENT-DIGEST.css"
"""Stands for the stylesheet's name in the pages until it is known: its fonts are cut to the pages' text."""


@dataclass(frozen=True)
class Assets:
    """What the web edition needs that no layout changes: the image renditions (by their path in the
    issue) and the font subsets with the characters they were cut for."""

    images: dict[str, WebImage]
    fonts: list[WebFont]
    characters: frozenset[str]

    @staticmethod
    def merged(parts: Iterable[Assets]) -> Assets:
        parts = list(parts)
        fonts = next((p for p in parts if p.fonts or p.characters), Assets({}, [], frozenset()))
        return Assets({rel: image for p in parts for rel, image in p.images.items()}, fonts.fonts, fonts.characters)


def asset_tasks(issue: Issue, theme: Theme, created: dt.datetime | None, store: Store) -> list[Callable[[], Assets]]:
    """The web edition's assets as tasks that need no layout (for `Chores`): the fonts cut to the pages'
    text, and one task per image (the cover, every figure) for its renditions. The pages are drawn
    for their text with no page numbers or file sizes: those are digits, which every subset holds
    (`fonts.ALWAYS`)."""
    sources = list(dict.fromkeys(([issue.cover.image] if issue.cover else []) + [f.image for a in issue.articles for f in a.figures if f.image]))

    def fonts() -> Assets:
        unscaled = {rel: WebImage(rel, "", 1, 1, {}) for rel in sources}  # the text is what counts here
        characters = page_characters(_pages(issue, created, unscaled, _places(issue, ()), ("", b""), ()).values())
        return Assets({}, web_fonts(theme_faces(theme), characters, store), characters)

    def image(rel: str) -> Assets:
        return Assets({rel: web_image(issue.root / rel, store)}, [], frozenset())

    return [fonts, *(functools.partial(image, rel) for rel in sources)]


def web_edition(
    issue: Issue, theme: Theme, created: dt.datetime | None, issue_pdf: tuple[str, bytes], cuts: Sequence[Offprint], assets: Assets, store: Store
) -> dict[Path, bytes]:
    """Every file of the web edition by its path under the output folder (`web/…`), for the pipeline to write.

    `issue_pdf` is the issue's PDF (name, bytes) and `cuts` the articles cut from it, which give
    each article its offprint and its pages; `assets` come from `asset_tasks`; `store` keeps font
    subsets, should the pages draw a character the assets' fonts were not cut for.
    """
    site = Site(web_base(issue)[0], issue.slug)
    places = _places(issue, cuts)
    pages = _pages(issue, created, assets.images, places, issue_pdf, cuts)
    blocks, figures = _blocks(issue, assets.images), {rel: f"../images/{im.src}" for rel, im in assets.images.items()}
    files = {f"{place.slug}/{place.slug}.xml": jats_article(issue, place, blocks, figures) for place in places}
    characters = page_characters(pages.values())
    fonts = assets.fonts if characters <= assets.characters else web_fonts(theme_faces(theme), characters, store)
    css = _stylesheet(theme, fonts).encode("utf-8")
    css_name = f"style.{hashlib.sha256(css).hexdigest()[:10]}.css"
    files[f"assets/{css_name}"] = css
    files.update((f"assets/{font.file}", font.data) for font in fonts)
    files.update((f"images/{name}", data) for image in assets.images.values() for name, data in image.files.items())
    for path, page in pages.items():
        files[path] = page.replace(STYLESHEET, css_name).encode("utf-8")
    files[issue_pdf[0]] = issue_pdf[1]
    files.update((f"{p.slug}/{p.pdf}", c.data) for p in places for c in cuts if c.name == p.pdf)

    out = {Path("web") / issue.slug / name: data for name, data in files.items()}
    if site.base:
        urls = [site.url(f"{issue.slug}/")] + [site.url(site.article_path(p)) for p in places]
        out[Path("web") / "sitemap.xml"] = sitemap(urls, created.date().isoformat() if created else "")
    return out


def _blocks(issue: Issue, images: dict[str, WebImage]) -> Blocks:
    """Figures and notes for the web: articles' pages stand one folder below the images."""
    return Blocks(issue, "endnotes", functools.partial(_figure, images, "../"))


def _pages(
    issue: Issue, created: dt.datetime | None, images: dict[str, WebImage], places: list[Place], issue_pdf: tuple[str, bytes], cuts: Sequence[Offprint]
) -> dict[str, str]:
    """Path under the issue's folder → HTML of the issue page and each article's page, naming the stylesheet `STYLESHEET`."""
    site = Site(web_base(issue)[0], issue.slug)
    pages: dict[str, str] = {}
    blocks = _blocks(issue, images)
    env = _environment()
    common = {
        "issue": issue,
        "pub": issue.publication,
        "serial": serial_title(issue),
        "classed": classed,
        "edition": joined(" · ", issue.issue_label, issue.date_label),
        "issue_pdf": issue_pdf[0],
        "issue_pdf_size": _size(len(issue_pdf[1])),
    }
    cover = images[issue.cover.image] if issue.cover else None
    pictures = ([cover] if cover else []) + [images[f.image] for a in issue.articles for f in a.figures if f.image]
    pages["index.html"] = env.get_template("issue.html.j2").render(
        **common,
        root="",
        lang=language(issue),
        title=issue.full_title,
        blocks=blocks,
        places=places,
        cover=cover,
        meta=meta_tags([open_graph(issue, site, None, f"{issue.slug}/images/{pictures[0].src}" if pictures else "")]),
        canonical=site.url(f"{issue.slug}/"),
        json_ld=Markup(json_script(json_ld(issue, site, None))),
    )
    for i, place in enumerate(places):
        article = place.article
        image = next((images[f.image].src for f in article.figures if f.image), cover.src if cover else "")
        pages[f"{place.slug}/index.html"] = env.get_template("article.html.j2").render(
            **common,
            root="../",
            lang=language(issue, article),
            title=joined(" – ", article.title, joined(", ", serial_title(issue), issue.issue_label)) if issue.kind != "article" else issue.full_title,
            article=article,
            place=place,
            blocks=blocks,
            notes=[(number, classed(note.html)) for number, note in blocks.shown_notes(article)],
            previous=places[i - 1] if i else None,
            next=places[i + 1] if i + 1 < len(places) else None,
            offprint_size=_size(len(next(c.data for c in cuts if c.name == place.pdf))) if place.pdf else "",
            jats=f"{place.slug}.xml",
            meta=meta_tags(
                [highwire(issue, site, place), dublin_core(issue, site, place), open_graph(issue, site, place, f"{issue.slug}/images/{image}" if image else "")]
            ),
            canonical=site.url(site.article_path(place)),
            json_ld=Markup(json_script(json_ld(issue, site, place))),
        )
    return pages


def article_slug(article: Article) -> str:
    """An article's folder: its file name without the leading order number (`01-child-soldiers.yaml` → `child-soldiers`),
    so the address stays when the title is edited; the title when the file name says nothing."""
    stem = re.sub(r"^[\d\s._-]+", "", article.pos.path.stem)
    words = re.findall(r"[a-z0-9]+", (stem or article.title).lower())
    return "-".join(words)[:60].strip("-") or article.slug


def _places(issue: Issue, cuts: Sequence[Offprint]) -> list[Place]:
    by_slug = {c.article.slug: c for c in cuts}
    places: list[Place] = []
    taken: set[str] = set()
    for article in issue.articles:
        slug = base = article_slug(article)
        n = 2
        while slug in taken or slug in ("assets", "images"):
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        cut = by_slug.get(article.slug)
        places.append(Place(article, slug, cut.first if cut else 0, cut.last if cut else 0, cut.name if cut else ""))
    return places


def _figure(images: dict[str, WebImage], up: str, article: Article, fig: Figure, caption: str) -> str:
    """A figure for screens: the image in its widths (`srcset`), its size (no layout shift), lazily loaded."""
    if not fig.image:  # credited, no file: framed as in print
        return print_figure(article, fig, caption)
    image = images[fig.image]
    srcset = ", ".join(f"{up}images/{part}" for part in image.srcset.split(", ")) if image.srcset else ""
    credit = f' <span class="credit">({html.escape(fig.credit)})</span>' if fig.credit else ""
    return (
        f'<figure id="{article.slug}-fig{fig.number}">'
        f'<img src="{up}images/{image.src}"'
        + (f' srcset="{srcset}" sizes="(min-width: 46rem) 42rem, 100vw"' if srcset else "")
        + f' width="{image.width}" height="{image.height}"'
        f' alt="{html.escape(fig.alt)}" loading="lazy" decoding="async">'
        f'<figcaption><span class="label">Figure {fig.number}:</span> {caption}{credit}</figcaption></figure>\n'
    )


def _stylesheet(theme: Theme, fonts: Sequence[WebFont]) -> str:
    faces = theme_faces(theme)
    props = custom_properties(theme.css)
    body = props.get("--body-font", "serif").strip("\"' ")
    heading = props.get("--heading-font", "sans-serif").strip("\"' ")
    stacks = f":root {{ --web-body-font: {family_stack(body, faces)}; --web-heading-font: {family_stack(heading, faces)}; }}\n"
    return font_face_css(fonts, "") + web_palette(theme.css).css() + stacks + (TEMPLATES / "web.css").read_text(encoding="utf-8")


def page_characters(pages: Iterable[str]) -> frozenset[str]:
    """The characters the pages draw (for the font subsets): their bodies without tags, and in capitals
    (`text-transform: uppercase`, as on the cover title). Our templates escape every `<` and `>` in
    attribute values, so a tag ends at the first `>`."""
    text = "".join(html.unescape(re.sub(r"<[^>]*>", " ", page[page.index("<body") :])) for page in pages)
    return frozenset(text) | frozenset(text.upper())


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} kB"


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(csp=CSP, stylesheet=STYLESHEET)
    return env
