"""HTML → PDF laid out part by part on all cores, reusing cached parts, assembled into one document.

WeasyPrint lays out one document on one core, and lays all of it out again after any edit.
Here the issue is split into parts (`layout.parts`: the front matter, then each article); each part is
a document of its own, laid out by a worker process at its place in the issue:

- its first page number and side (`@page :first { counter-reset: page N }`, `html { break-before:
  recto|verso }`), so folios, running heads and left/right margins are those of the whole issue;
- stub pages for the ids it links to in other parts (the contents' articles), each on a page whose
  counter is the page the id lies on, so `target-counter()` prints the right number and the link
  exists; the assembler drops the stubs and points the links at the real pages.

Where a part starts depends on the page counts of the parts before it, which are known only after
their layout: we start from the last build's counts (the cache's manifest) or an estimate, lay out
in page order, and lay a part out again only if what it was laid out with turns out wrong. A part
already laid out with the same inputs comes from the cache, so a rebuild after an edit lays out
the edited article, plus the contents and the articles after it only if their page numbers moved.

Theme features that carry state across articles in ways a part cannot see (`counter(pages)`,
`target-text()`, element counters, `@page :first`/`:nth()`) make us fall back to one document.
"""

from __future__ import annotations

import io
import re
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from importlib.metadata import version
from itertools import count, pairwise
from multiprocessing import get_all_start_methods
from pathlib import Path
from typing import Any

import pikepdf

from typeset.filecache import while_unchanged
from typeset.layout.assemble import assemble
from typeset.layout.cache import PartCache, PartResult, digest
from typeset.layout.parts import Part, split_document
from typeset.layout.pool import Workers
from typeset.layout.worker import STUB, Cancelled, Job, lay_out_part
from typeset.theme import Theme, font_path, stylesheet, tokens, walk

# WeasyPrint is imported by the workers only (and here only to lay out a whole document): the
# process that reads, cites and assembles starts half a second sooner, while the workers import
# it in parallel with that work.
RENDERER = f"typeset-parts-2/weasyprint-{version('weasyprint')}"  # 2: parts carry their overflow warnings
_tokens = count()
# A first guess of a part's length, before any part of the issue was laid out: notes count a third
# (small type, set close), a figure a quarter of a page (floated, captions small), a page of text
# about 3,000 characters. Measured with the default theme on the sample and the long fixture: 10 of
# their 12 articles guessed right (with notes at a half and figures at 0.45, 4), and a wrong guess
# costs a layout, as the part must be laid out again at its true first page.
_CHARACTERS_PER_PAGE = 3000
_FIGURE_PAGES = 0.25
_NOTES_SHARE = 1 / 3
_UNSPLITTABLE = ("counter(pages)", "target-text()", "@page :first or :nth()", "a CSS counter on elements")
_COUNTER_PROPERTIES = frozenset({"counter-increment", "counter-reset", "counter-set"})
_PAGE_COUNTERS = frozenset({"none", "page", "footnote"})  # counters WeasyPrint keeps per page, or none


@dataclass(frozen=True)
class Layout:
    """The assembled PDF and how it was made: the parts laid out now (the others came from the cache),
    or why the document was laid out whole. The PDF stays a pikepdf document, unsaved: the output
    profile saves it once, so a 700-page volume is not held as bytes twice over."""

    pdf: pikepdf.Pdf
    pages: int
    warnings: tuple[str, ...]
    laid_out: tuple[str, ...] = ()
    single_reason: str = ""
    keys: tuple[tuple[str, str], ...] = ()
    """(part name, cache key) of every part: what each part's pages are made from (none for one document)."""


Inputs = tuple[int, tuple[tuple[str, int], ...]]


class _Plan:
    """Best current knowledge of every part's page count and anchors, hence of every part's inputs.

    A part's count is `exact` once a layout in this build (or the cache) gave it; before that it is
    the last build's count (manifest) or an estimate from its length.
    """

    def __init__(self, parts: tuple[Part, ...], manifest: dict[str, Any]) -> None:
        self.parts = parts
        self.owner = {ident: i for i, part in enumerate(parts) for ident in part.ids}
        self.refs = [sorted(r for r in part.links if self.owner.get(r, i) != i) for i, part in enumerate(parts)]
        last = [manifest.get(part.name) or {} for part in parts]
        self.pages = [int(m.get("pages", 0)) for m in last]
        self.anchors: list[dict[str, int]] = [dict(m.get("anchors", {})) for m in last]
        self.guessed = [not m for m in last]
        self.exact = [False] * len(parts)
        self._estimate()

    def start(self, index: int) -> int:
        return 1 + sum(self.pages[:index])

    def inputs(self, index: int) -> Inputs:
        """First page, and the page of every id it links to in another part."""
        targets = tuple((r, self.start(self.owner[r]) + self.anchors[self.owner[r]].get(r, 0)) for r in self.refs[index])
        return self.start(index), targets

    def settled(self, index: int) -> bool:
        """Whether the inputs rest on exact counts only, so a layout now is most likely final: the
        parts before this one and before each part it links into are laid out. Where an id lies
        within its part is taken from that part's last layout, else its first page (an article's
        own id, which is what the contents links to); a layout proving that wrong starts it again."""
        return all(self.exact[: max([index, *(self.owner[r] for r in self.refs[index])])])

    def learn(self, index: int, pages: int, anchors: dict[str, int]) -> None:
        self.pages[index], self.anchors[index] = pages, anchors
        self.exact[index] = True
        self.guessed[index] = False
        self._estimate()

    def _estimate(self) -> None:
        """Guess unknown parts: a page per extra body child (cover, back cover…), a share of a page per
        figure, and their text at the characters per page of the articles laid out so far."""
        known = [i for i, g in enumerate(self.guessed) if not g and self.parts[i].blocks == 1]
        text = sum(_text(self.parts[i]) for i in known)
        room = sum(self.pages[i] - _FIGURE_PAGES * self.parts[i].figures for i in known)
        per_page = text / room if known and room > 0 else _CHARACTERS_PER_PAGE
        for i, part in enumerate(self.parts):
            if self.guessed[i]:
                self.pages[i] = part.blocks - 1 + max(1, round(_text(part) / per_page + _FIGURE_PAGES * part.figures))


def _text(part: Part) -> float:
    return part.text + part.notes * _NOTES_SHARE


def splittable(theme: Theme) -> str:
    """Why the theme must be laid out as one document, or "" if parts are safe."""
    found = set(_unsplittable(theme.css))
    return next((f"the theme uses {what}" for what in _UNSPLITTABLE if what in found), "")


def _unsplittable(css: str) -> Iterator[str]:
    """What the CSS uses that needs the whole document: page totals, text of targets in other parts,
    pages counted from the first, counters that run across elements (and so across parts)."""
    for node in walk(stylesheet(css)):
        if node.type == "at-rule" and node.lower_at_keyword == "page" and _first_or_nth(node.prelude):
            yield "@page :first or :nth()"
        if node.type != "declaration":
            continue
        if node.lower_name in _COUNTER_PROPERTIES and any(t.type == "ident" and t.lower_value not in _PAGE_COUNTERS for t in node.value):
            yield "a CSS counter on elements"
        for token in tokens(node.value):
            if (
                token.type == "function"
                and token.lower_name in ("counter", "counters")
                and _is_ident([t for t in token.arguments if t.type != "whitespace"][:1], "pages")
            ):
                yield "counter(pages)"
            elif token.type == "function" and token.lower_name == "target-text":
                yield "target-text()"


def _first_or_nth(prelude: list[Any]) -> bool:
    """An @page selector with `:first` or `:nth()`."""
    pseudo = [t for t in prelude if t.type != "whitespace"]
    return any(colon == ":" and (_is_ident([name], "first") or (name.type == "function" and name.lower_name == "nth")) for colon, name in pairwise(pseudo))


def _is_ident(values: list[Any], name: str) -> bool:
    return len(values) == 1 and values[0].type == "ident" and values[0].lower_value == name


class Unsettled(Exception):
    """Part layouts kept moving each other (a theme whose page counts depend on where parts start)."""


def write_pdf_parts(
    html: str,
    base_dir: Path,
    theme: Theme,
    cache: PartCache,
    *,
    workers: Workers | None = None,
    allow_network: bool = False,
) -> Layout:
    """Lay out `html` part by part (cached parts reused) and assemble one PDF."""

    split = split_document(html)
    whole = len(split.parts) == 1  # nothing to split (filler pages, an issue without articles): still cached, laid out by a worker

    def single(reason: str) -> Layout:
        from typeset.layout.document import write_pdf

        pdf, pages, warnings = write_pdf(html, base_dir, theme, allow_network=allow_network)
        return Layout(pikepdf.open(io.BytesIO(pdf)), pages, tuple(warnings), () if whole else (f"everything, as one document ({reason})",), reason)

    reason = splittable(theme)
    if "forkserver" not in get_all_start_methods() or not hasattr(signal, "SIGUSR1"):
        reason = "the workers need fork() and signals (Linux, macOS)"
    if reason:
        return single(reason)
    plan = _Plan(split.parts, {} if whole else cache.manifest())
    names = [p.name for p in split.parts]
    stylesheets = tuple(str(p) for p in theme.stylesheets)
    allowed = (str(base_dir), str(theme.folder))
    theme_key = digest(*_files_fingerprint(theme))
    content = [digest(RENDERER, theme_key, split.head, part.markup, *_images(part, base_dir)) for part in split.parts]

    def job(index: int, inputs: Inputs) -> Job:
        document = split.parts[index].document(split.head, _stubs(inputs[1]))
        return Job(document, _part_css(inputs), f"{base_dir}/", stylesheets, theme_key, allowed, allow_network, inputs[0])

    own = workers is None
    pool = workers or Workers()
    scheduler = _Scheduler(plan, content, cache, pool, job)
    try:
        scheduler.run()
    except Unsettled:
        return single("part layouts did not settle")
    except BrokenProcessPool:
        pool.restart()
        return single("a layout worker died")
    finally:
        if own:
            pool.close()
    results = [scheduler.done[i][1] for i in range(len(split.parts))]
    if not whole:  # the manifest guesses the parts next time, not a filler's
        cache.finish(
            {n: {"pages": r.pages, "anchors": r.anchors} for n, r in zip(names, results)},
            {scheduler.key(i, inputs) for i, (inputs, _) in scheduler.done.items()},
        )
    messages = tuple(dict.fromkeys(w for r in results for w in r.warnings))
    keys = tuple((n, scheduler.key(i, inputs)) for i, (n, (inputs, _)) in enumerate(zip(names, (scheduler.done[i] for i in range(len(names))))))
    return Layout(assemble(results), sum(r.pages for r in results), messages, () if whole else tuple(scheduler.laid_out), keys=keys)


class _Scheduler:
    """Lays out parts in page order until each was laid out with the inputs the others imply.

    Free workers take parts whose inputs are settled (the longest first), else parts never laid out
    (their count is what the others wait for). A worker reports a part's page count as soon as its
    layout is done, before it draws the PDF, so the next part can start at its true page; a job
    whose inputs that count proves wrong (a guessed first page) is stopped at once.
    """

    def __init__(self, plan: _Plan, content: list[str], cache: PartCache, workers: Workers, job: Callable[[int, Inputs], Job]) -> None:
        self.plan, self.content, self.cache, self.workers, self.job = plan, content, cache, workers, job
        self.done: dict[int, tuple[Inputs, PartResult]] = {}
        self.flying: dict[Future[PartResult], tuple[int, Inputs, int]] = {}
        self.looked_up: dict[int, Inputs] = {}
        self.laid_out: list[str] = []
        self.pids: dict[int, int] = {}  # token → the worker running it

    def key(self, index: int, inputs: Inputs) -> str:
        return digest(self.content[index], repr(inputs))

    def stale(self) -> list[int]:
        return [i for i in range(len(self.plan.parts)) if i not in self.done or self.done[i][0] != self.plan.inputs(i)]

    def run(self) -> None:
        budget = 4 * len(self.plan.parts)
        while True:
            self._take_cached()
            stale = self.stale()
            if not stale:
                return  # anything still flying was laid out with inputs now known wrong
            for i in self._next(stale):
                budget -= 1
                if budget < 0:
                    raise Unsettled
                token = next(_tokens)
                self.flying[self.workers.submit(lay_out_part, self.job(i, self.plan.inputs(i)), token)] = (i, self.plan.inputs(i), token)
            finished, _ = wait(list(self.flying), timeout=0.02, return_when=FIRST_COMPLETED)
            self._take_reports()
            for future in finished:
                i, inputs, _ = self.flying.pop(future)
                if isinstance(future.exception(), Cancelled):
                    continue
                result = self.cache.put(self.key(i, inputs), future.result())
                self.done[i] = (inputs, result)
                self.laid_out.append(self.plan.parts[i].name)
                self.plan.learn(i, result.pages, result.anchors)

    def _next(self, stale: list[int]) -> list[int]:
        """Parts to start now: settled ones first (the longest first, so the last to finish is short), then
        ones never laid out; anything if all is idle."""
        busy = {(i, inputs) for i, inputs, _ in self.flying.values()}
        free = [i for i in stale if (i, self.plan.inputs(i)) not in busy]
        settled = sorted((i for i in free if self.plan.settled(i)), key=lambda i: -self.plan.pages[i])  # longest first
        ranked = settled + [i for i in free if not self.plan.exact[i] and not self.plan.settled(i)]
        if not ranked and not self.flying:
            ranked = free[:1]
        return ranked[: self.workers.size - len(self.flying)]

    def _take_reports(self) -> None:
        """Learn the page counts workers reported; stop the jobs they prove were started wrong."""
        tokens = {token: (i, inputs) for i, inputs, token in self.flying.values()}
        while not self.workers.reports.empty():
            report = self.workers.reports.get()
            if report[0] == "started":
                self.pids[report[1]] = report[2]
            elif report[1] in tokens and tokens[report[1]][1] == self.plan.inputs(tokens[report[1]][0]):
                self.plan.learn(tokens[report[1]][0], report[2], report[3])
        for i, inputs, token in self.flying.values():
            if inputs != self.plan.inputs(i) and token in self.pids:
                self.workers.cancel(token, self.pids.pop(token))

    def _take_cached(self) -> None:
        """Take every part the cache holds for the inputs the plan implies; a hit can move the parts after it."""
        i = 0
        while i < len(self.plan.parts):
            inputs = self.plan.inputs(i)
            if (i not in self.done or self.done[i][0] != inputs) and self.looked_up.get(i) != inputs:
                self.looked_up[i] = inputs
                found = self.cache.get(self.key(i, inputs))
                if found is not None:
                    self.done[i] = (inputs, found)
                    self.plan.learn(i, found.pages, found.anchors)
                    i = 0
                    continue
            i += 1


def _part_css(inputs: Inputs) -> str:
    start, targets = inputs
    css = [f"html {{ break-before: {'recto' if start % 2 else 'verso'} }}", f"@page :first {{ counter-reset: page {start} }}"]
    for page in sorted({page for _, page in targets}):
        css += [f"#{STUB}{page} {{ page: {STUB}{page} }}", f"@page {STUB}{page} {{ counter-reset: page {page} }}"]
    return "\n".join(css)


def _stubs(targets: tuple[tuple[str, int], ...]) -> str:
    """Empty elements bearing the linked ids, one page per page number (see `_part_css`)."""
    by_page: dict[int, list[str]] = {}
    for ident, page in targets:
        by_page.setdefault(page, []).append(ident)
    return "".join(f'<div id="{STUB}{page}">' + "".join(f'<div id="{_attr(i)}"></div>' for i in ids) + "</div>" for page, ids in sorted(by_page.items()))


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _files_fingerprint(theme: Theme) -> list[str]:
    """Every file of the theme folder, the extra stylesheets and the fonts named, by content."""
    files = sorted(p for p in theme.folder.rglob("*") if p.is_file()) + list(theme.stylesheets)
    files += [font_path(spec) for spec in dict.fromkeys(spec for face in theme.font_faces() for spec in face.fonts)]
    return [f"{p}:{_file_digest(p)}" for p in files]


_SRC = re.compile(r'\bsrc="([^"]+)"')


def _images(part: Part, base_dir: Path) -> list[str]:
    return [f"{src}:{_file_digest(base_dir / src)}" for src in sorted(set(_SRC.findall(part.markup)))]


@while_unchanged
def _file_digest(path: Path) -> str:
    """Content digest, kept while the file is unchanged (a preview rebuilds often)."""
    try:
        return digest(path.read_bytes())
    except OSError:
        return "missing"
