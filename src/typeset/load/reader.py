"""Issue folder → `Issue` model plus diagnostics (schema, YAML surprises, citation syntax).

Everything is read first, then the model is built in one pass; every problem found on the way
is collected (not raised) so `folio check` can report them all at once.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from typeset.diagnostics import Diagnostic, TypesetError, did_you_mean, error, warning
from typeset.limits import MARKDOWN_NESTING, PAD_TO
from typeset.load import markdown
from typeset.load.citations import CitationSyntaxError
from typeset.load.dates import EXAMPLES, parse_period
from typeset.load.schema import SECTIONS, Field, Kind
from typeset.load.source import Node, read_yaml, shown
from typeset.model import (
    KINDS,
    Acceptance,
    Article,
    Cover,
    Credit,
    Figure,
    Foreword,
    Issue,
    Markdown,
    Note,
    Period,
    Publication,
    Reference,
    Report,
    Settings,
    SourcePos,
)
from typeset.model import (
    Kind as PublicationKind,
)

ISSUE_FILE = "issue.yaml"


@dataclass
class _Reader:
    """One YAML mapping read against its schema section: each field checked once, by its declared kind.

    Problems are collected in `diags`. A getter returns the field's value, or its default when the
    field is absent, empty or wrong (and reported); asking for another kind than the schema
    declares is a bug in the loader, raised at once.
    """

    node: Node
    section: str
    diags: list[Diagnostic] = field(default_factory=list)
    present: bool = True  # False for an absent section: its parent already reported it if required
    kind: PublicationKind = "issue"  # issue.yaml's `kind`: which fields are required, and allowed
    values: dict[str, Any] = field(default_factory=dict, init=False)  # the fields that passed, by name

    def __post_init__(self) -> None:
        if not isinstance(self.node.value, dict):
            hint = "write one 'field: value' line per field, starting at the left margin"
            self.diags.append(error("schema.type", self.node.pos, f"{self.section} must be a mapping of fields, not {_kind(self.node.value)}", hint))
            self.node, self.present = Node({}, self.node.pos), False  # one error, not one per required field
        spec = SECTIONS[self.section]
        for key, pos in self.node.keys.items():
            if key not in spec:
                hint = did_you_mean(key, spec) or "valid fields: " + ", ".join(spec)
                self.diags.append(warning("schema.unknown-field", pos, f"unknown field '{key}' in {self.section}", hint))
        for name, f in spec.items():
            child = self.node.value.get(name)
            if (
                child is None or child.value in (None, "", []) or (isinstance(child.value, str) and not child.value.strip())
            ):  # an empty optional field is as if absent
                if f.required_in(self.kind) and self.present:
                    self._missing(f, child)
                continue
            if not f.allowed_in(self.kind):
                kinds = " or ".join(f"kind: {k}" for k in f.only_for)
                hint = f"delete '{name}:', or set kind: {f.only_for[0]} at the top of issue.yaml if that is what this is"
                self.diags.append(error("schema.wrong-kind", self.node.keys[name], f"'{name}' belongs to {kinds}, and this is kind: {self.kind}", hint))
                continue
            value = _typed(f, child, self.section, self.diags)
            if value is not None:
                self.values[name] = value

    def _missing(self, f: Field, child: Node | None) -> None:
        if child is None:
            which = "" if f.required else f" (required for kind: {self.kind})"
            self.diags.append(
                error("schema.missing-field", self.node.pos, f"{self.section} is missing the required field '{f.name}'{which}", f"add '{f.name}:' ({f.doc})")
            )
        else:
            self.diags.append(
                error(
                    "schema.empty-field",
                    self.node.keys[f.name],
                    f"the required field '{f.name}' of {self.section} is empty",
                    f"write a value after '{f.name}:' ({f.doc})",
                )
            )

    def _value(self, name: str, kind: Kind) -> Any:
        declared = SECTIONS[self.section][name].kind
        if declared != kind:
            raise TypeError(f"{self.section}.{name} is declared as {declared} in load/schema.py, not {kind}")
        return self.values.get(name)

    def get(self, name: str) -> Node | None:
        """The field's node as written (for its position), whatever its value."""
        value: Node | None = self.node.value.get(name)
        return value

    def text(self, name: str, default: str = "") -> str:
        value = self._value(name, "str")
        return value if isinstance(value, str) else default

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self._value(name, "bool")
        return value if isinstance(value, bool) else default

    def integer(self, name: str, default: int = 0) -> int:
        value = self._value(name, "int")
        return value if isinstance(value, int) else default

    def period(self, name: str) -> Period | None:
        value = self._value(name, "period")
        return value if isinstance(value, Period) else None

    def texts(self, name: str) -> tuple[str, ...]:
        return tuple(text for _, text in self.text_nodes(name))

    def text_nodes(self, name: str) -> list[tuple[Node, str]]:
        """The text items of a list field, each with its node (for positions)."""
        return list(self._value(name, "list[str]") or [])

    def sub(self, name: str) -> _Reader:
        """The reader of a mapping field; an empty one when it is absent or was reported."""
        node = self._value(name, "map")
        section = SECTIONS[self.section][name].fields_of
        return _Reader(node or Node({}, self.node.pos), section, self.diags, present=node is not None, kind=self.kind)

    def subs(self, name: str) -> list[_Reader]:
        """The readers of a list of mappings, one per item."""
        section = SECTIONS[self.section][name].fields_of
        return [_Reader(node, section, self.diags, kind=self.kind) for node in self._value(name, "list[map]") or []]


def _typed(f: Field, node: Node, section: str, diags: list[Diagnostic]) -> Any:
    """A present field's value in the form its kind declares, or None after reporting why not."""
    value = node.value
    if f.kind == "str":
        return _text(f, node, section, diags)
    if f.kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return _in_bounds(f, node, value, diags)
    if f.kind == "bool" and isinstance(value, bool):
        return value
    if f.kind == "period":
        period = parse_period(value)
        if period is None:
            diags.append(
                error(
                    "schema.date",
                    node.pos,
                    f"'{f.name}' must be a date like {EXAMPLES}, not '{node.raw or value}'",
                    "write the date as YYYY-MM-DD, YYYY-MM, 'June 2024' or 'Spring 2024'",
                )
            )
        return period
    if f.kind == "list[str]" and isinstance(value, (str, list)):
        items = [node] if isinstance(value, str) else [item for item in value if item.value is not None]
        return [(item, text) for item in items if (text := _text(f, item, section, diags)) is not None]
    if f.kind == "map" and isinstance(value, dict):
        return node
    if f.kind == "list[map]" and isinstance(value, list):
        return value
    diags.append(_wrong_kind(f.name, f.kind, node))
    return None


def _in_bounds(f: Field, node: Node, value: int, diags: list[Diagnostic]) -> int | None:
    """The number if the schema's bounds allow it; `pad_to` past its limit is the limit's rule."""
    if f.bounds is None or f.bounds[0] <= value <= f.bounds[1]:
        return value
    low, high = f.bounds
    if f.name == "pad_to" and value > high:
        diags.append(error(PAD_TO.rule, node.pos, f"pad_to: {value} would add up to {value - 1:,} pages; at most {high} may be asked", PAD_TO.fix))
    else:
        diags.append(
            error("schema.range", node.pos, f"'{f.name}' must be between {low:,} and {high:,}, not {value:,}", f"write a number from {low:,} to {high:,}")
        )
    return None


def _wrong_kind(name: str, kind: Kind, node: Node) -> Diagnostic:
    return error("schema.type", node.pos, f"'{name}' must be {_EXPECTED[kind]}, not {_kind(node.value)}", _EXAMPLE[kind].format(name=name))


_EXPECTED = {
    "str": "text",
    "int": "a whole number",
    "bool": "true or false",
    "period": "a date",
    "list[str]": "a list",
    "map": "a mapping of fields",
    "list[map]": "a list",
}
_EXAMPLE = {
    "str": "write the text on the line of '{name}:', or as an indented block after '{name}: |'",
    "int": "write e.g. {name}: 8",
    "bool": "write {name}: true",
    "period": "write e.g. {name}: 2024-06",
    "list[str]": "write '{name}:' followed by '- item' lines",
    "map": "write '{name}:' followed by indented 'field: value' lines",
    "list[map]": "write '{name}:' followed by '- field: value' items",
}


def _text(f: Field, node: Node, section: str, diags: list[Diagnostic]) -> str | None:
    """A text field (or item of a list of text): a string, one of the field's choices if it has any."""
    value = node.value
    if isinstance(value, str):
        if not f.choices or value in f.choices:
            return value
        close = did_you_mean(value, f.choices)
        listed = "expected one of: " + ", ".join(f.choices) if len(f.choices) <= 8 else "" if close else f"expected {f.doc[0].lower()}{f.doc[1:]}"
        diags.append(error("schema.choice", node.pos, f"'{value}' is not a valid {section}.{f.name}", " ".join(filter(None, (close, listed)))))
    elif node.plain and isinstance(value, (bool, float, int, dt.date)):
        diags.append(yaml_surprise(node, f.name))
    else:
        diags.append(_wrong_kind(f.name, "str", node))
    return None


def yaml_surprise(node: Node, name: str) -> Diagnostic:
    """YAML 1.1 reads some unquoted words and numbers as something else: say so and how to quote."""
    value = node.value
    if isinstance(value, bool):
        read = f"the boolean {str(value).lower()}"
    elif isinstance(value, dt.date):
        read = "a date"
    else:
        read = f"the number {value}"
    return error(
        "yaml.ambiguous-value",
        node.pos,
        f"'{name}: {node.raw}' was read as {read}, not as text",
        f'quote it: {name}: "{node.raw}"',
    )


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number"}.get(type(value), type(value).__name__)


@dataclass
class _MarkdownLoader:
    """Parses an article's Markdown pieces with one shared env, so notes and figures number in order."""

    md: MarkdownIt
    env: dict[str, Any]
    path: Path
    diags: list[Diagnostic]
    notes: list[Note] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    def printed(self, text: str) -> str:
        """A plain printed string (title, name, credit) with the quotes of this Markdown's language."""
        return markdown.typographic(self.md, text)

    def parse(self, node: Node | None, text: str) -> Markdown:
        pos = node.pos if node is not None else SourcePos(self.path)
        tokens = self.md.parse(text, self.env)
        for block in tokens:
            self._check_markup(block, pos, node)
            if block.type == "figure":
                self._figure(block, pos, node)
            if "bad_list_type" in block.meta:
                self._bad_list_type(block, pos, node)
            for child in block.children or []:
                if child.type in ("cite_note", "text_note"):
                    self._note(child, block, pos, node)
        return Markdown(text, tuple(tokens), pos)

    def _check_markup(self, block: Any, base: SourcePos, node: Node | None) -> None:
        """Attributes the format does not have (`{style=…}`, `{#id}`) and nesting past the limit
        (5,000 `*` make 2,500 nested emphases, deeper than the layout can recurse)."""
        line0 = block.map[0] if block.map else 0
        depth = deepest = block.level
        for tok in [block, *(block.children or [])]:
            if tok is not block:
                depth += tok.nesting
                deepest = max(deepest, depth)
            refused = dict((tok.meta or {}).get("insecure_attrs") or {})
            if tok.type not in ("image", "figure"):
                refused.update((name, value) for name, value in tok.attrs.items() if name in markdown.FIGURE_ATTRIBUTES)
            for name in refused:
                found = block.content.find(f"{name}=")
                where = self._where(base, node, line0, block.content, found if found >= 0 else max(block.content.find("{"), 0))
                hint = 'a figure (an image alone in its paragraph) takes {credit="…" alt="…"}; how text looks is the theme\'s to say'
                self.diags.append(error("markdown.attribute", where, f"the attribute '{name}' is not part of the content format", hint))
        if deepest > MARKDOWN_NESTING.number:
            where = self._where(base, node, line0, "", 0)
            self.diags.append(error(MARKDOWN_NESTING.rule, where, f"Markdown nested more than {MARKDOWN_NESTING.number} levels deep", MARKDOWN_NESTING.fix))

    def _where(self, base: SourcePos, node: Node | None, block_line: int, content: str, offset: int) -> SourcePos:
        """Position of `offset` in a block's inline content, mapped back to the YAML file."""
        before = content[:offset]
        line = before.count("\n")
        col = offset - (before.rfind("\n") + 1)
        if node is not None and node.block_indent:
            return SourcePos(self.path, base.line + 1 + block_line + line, node.block_indent + col + 1)
        return SourcePos(self.path, base.line + block_line + line, base.col + col)

    def _note(self, tok: Any, block: Any, base: SourcePos, node: Node | None) -> None:
        line0 = block.map[0] if block.map else 0

        marker = block.meta.get("task_marker", "")  # `[x] ` taken off a task item's text

        def where(offset: int) -> SourcePos:
            return self._where(base, node, line0, marker + block.content, len(marker) + offset)

        pos = where(tok.meta["offset"])
        try:
            parts = markdown.note_parts(tok, where)
        except CitationSyntaxError as exc:
            self.diags.append(error(exc.code, where(exc.offset), str(exc), exc.hint))
            parts = (tok.content,)
        number = len(self.notes) + 1
        tok.meta["number"] = number
        self.notes.append(Note(number, parts, pos))

    def _bad_list_type(self, tok: Any, base: SourcePos, node: Node | None) -> None:
        style = tok.meta["bad_list_type"]
        line = max((tok.map[0] if tok.map else 0) - 1, 0)  # the {type=…} line stands before the block
        pos = self._where(base, node, line, "", 0)
        styles = ", ".join(f"{{type={name}}}" for name in markdown.LIST_STYLES)
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            self.diags.append(error("list.type", pos, f"'{{type={style}}}' is no list style", f"write one of {styles}"))
        else:
            self.diags.append(
                error(
                    "list.type", pos, f"'{{type={style}}}' stands before something that is not a list", "put it on the line just before the list's first item"
                )
            )

    def _figure(self, tok: Any, base: SourcePos, node: Node | None) -> None:
        number = len(self.figures) + 1
        tok.meta = {**tok.meta, "number": number}
        line0 = tok.map[0] if tok.map else 0
        pos = self._where(base, node, line0, "", 0)
        if not tok.attrGet("src"):
            hint = "add the image file in the brackets after the caption, or accept image.none in issue.yaml with the reason (no rights to reprint it)"
            self.diags.append(warning("image.none", pos, f"figure {number} names no image file: its caption and credit print in an empty frame", hint))
        elif not tok.attrGet("alt"):
            self.diags.append(warning("image.no-alt", pos, f"figure {number} has no alt text", 'add {alt="what the picture shows"} after the image'))
        self.figures.append(
            Figure(
                number,
                str(tok.attrGet("src") or ""),
                tok.content,
                self.printed(str(tok.attrGet("credit") or "")),
                self.printed(str(tok.attrGet("alt") or "")),
                pos,
            )
        )


def load_issue(root: Path) -> tuple[Issue, list[Diagnostic]]:
    """Read `root/issue.yaml`, its articles and references; return the model and every problem found.

    Raises TypesetError only when there is no model to return (no readable issue.yaml).
    """
    root = root.resolve()
    if not root.is_dir():
        raise TypesetError([error("issue.not-found", SourcePos(root), f"no issue folder at {root}", "pass the folder that holds issue.yaml")])
    path = root / ISSUE_FILE
    if resolve_inside(root, ISSUE_FILE) is None:
        hint = "make issue.yaml a file of the issue folder, not a link to a file elsewhere"
        raise TypesetError([error("path.outside-issue", SourcePos(path, 1, 1), f"issue.yaml is a link to {path.resolve()}, outside the issue folder", hint)])
    data = read_yaml(path)
    kind = _publication_kind(data)
    top = _Reader(data, "issue.yaml", kind=kind)
    diags = top.diags
    pub = top.sub("publication")
    meta = top.sub(kind)  # issue:, report: or article:, as the kind says
    settings_r = top.sub("settings")
    language = meta.text("language", "en-GB")
    settings = Settings(
        style=settings_r.text("style", "oscola"),
        locale=settings_r.text("locale", language),
        notes=settings_r.text("notes", "endnotes"),  # type: ignore[arg-type]
        page_size=settings_r.text("page_size", "A4"),
        theme=settings_r.text("theme", "default"),
        bibliography=settings_r.text("bibliography", "auto"),  # type: ignore[arg-type]
        positions=settings_r.text("positions", "article"),  # type: ignore[arg-type]
        profiles=settings_r.texts("profiles") or ("screen",),
        pad_to=settings_r.integer("pad_to"),
        offprints=settings_r.boolean("offprints"),
        print_profile=settings_r.text("print_profile"),
        web=settings_r.boolean("web", True),
        web_url=settings_r.text("web_url"),
        css=_stylesheets(root, settings_r, diags),
        at={name: node.pos for name, node in settings_r.node.value.items()},
    )
    md = markdown.new_parser(language)
    printed = _MarkdownLoader(md, {}, path, diags).printed
    references: dict[str, Reference] = {}
    for ref_node, name in top.text_nodes("references"):
        _load_references(root, ref_node, name, references, diags)
    credits = [Credit(printed(r.text("role")), tuple(map(printed, r.texts("names")))) for r in top.subs("credits")]
    listed = top.text_nodes("articles")
    if kind == "article" and len(listed) > 1:
        hint = "list the one article file under articles:, or set kind: issue (or report) for several"
        diags.append(error("schema.one-article", listed[1][0].pos, f"kind: article publishes one article; articles: lists {len(listed)}", hint))
        listed = listed[:1]
    articles = []
    seen: dict[Path, SourcePos] = {}
    for index, (node, name) in enumerate(listed, start=1):
        target = resolve_inside(root, name)
        if target is not None and target in seen:
            hint = "delete this entry, or name the file of the article meant here"
            diags.append(error("article.duplicate", node.pos, f"article file '{name}' is listed twice (first on line {seen[target].line})", hint))
            continue
        if target is not None:
            seen[target] = node.pos
        article = _load_article(root, node, name, index, md, references, diags)
        if article is not None:
            articles.append(article)
    issue = Issue(
        root=root,
        publication=Publication(
            title=printed(pub.text("title")),
            region=printed(pub.text("region")),
            publisher=printed(pub.text("publisher")),
            issn=pub.text("issn"),
            copyright=printed(pub.text("copyright")),
            rights=printed(pub.text("rights")),
            website=pub.text("website"),
            contact=pub.text("contact"),
            description=printed(pub.text("description")),
            address=printed(pub.text("address")),
        ),
        number=meta.integer("number") if kind == "issue" else 0,
        date=meta.period("date"),
        language=language,
        credits=tuple(credits),
        cover=_cover(top.sub("cover"), printed),
        foreword=_front_text(top.sub("foreword"), "Foreword", md, path, diags),
        articles=tuple(articles),
        references=references,
        settings=settings,
        pos=SourcePos(path, 1, 1),
        keywords=meta.texts("keywords"),
        accepted=tuple(
            Acceptance(r.text("rule"), r.texts("files") or ("*",), r.text("reason"), r.node.pos)
            for r in top.sub("check").subs("accept")
            if r.text("rule")  # a rule id that is no rule's has been reported; it would match nothing
        ),
        kind=kind,
        report=Report(meta.text("title"), meta.text("subtitle"), meta.text("number"), meta.text("isbn"), meta.texts("authors")) if kind == "report" else None,
        summary=_front_text(top.sub("executive_summary"), "Executive summary", md, path, diags),
    )
    return issue, diags


def _publication_kind(data: Node) -> PublicationKind:
    """issue.yaml's `kind`, read before the rest since it decides which fields are required; a
    value that is no kind counts as an issue (the schema reports it)."""
    node = data.value.get("kind") if isinstance(data.value, dict) else None
    value = node.value if node is not None else None
    return next((k for k in KINDS if k == value), "issue")


def _cover(r: _Reader, printed: Callable[[str], str]) -> Cover | None:
    if not r.present:
        return None
    return Cover(r.text("image"), printed(r.text("alt")), printed(r.text("credit")), (r.get("image") or r.node).pos)


def _front_text(r: _Reader, default_title: str, md: MarkdownIt, path: Path, diags: list[Diagnostic]) -> Foreword | None:
    """The foreword or the executive summary: Markdown without notes; None when it has no body."""
    if not r.present:
        return None
    loader = _MarkdownLoader(md, {"prefix": default_title.split()[0].lower()}, path, diags)
    title = loader.printed(r.text("title", default_title))
    signature = loader.printed(r.text("signature")) if "signature" in SECTIONS[r.section] else ""
    text = Foreword(title, loader.parse(r.get("body"), r.text("body")), signature)
    if loader.notes:
        diags.append(error("foreword.notes", loader.notes[0].pos, f"the {title.lower()} cannot have notes", "move the citation into an article"))
    return text if text.body.source.strip() else None


def _relative_file(root: Path, node: Node, name: str, diags: list[Diagnostic], what: str) -> Path | None:
    """A file named in YAML, resolved inside the issue folder; anything outside is refused."""
    problem = path_problem(name)
    if problem:
        diags.append(
            error(
                "path.invalid",
                node.pos,
                f"{what} '{shown(name)}' cannot be a file's path: {problem}",
                "write the path relative to the issue folder, as it is on disk",
            )
        )
        return None
    target = resolve_inside(root, name)
    if target is None:
        diags.append(
            error(
                "path.outside-issue", node.pos, f"{what} '{name}' is outside the issue folder", "use a path relative to the issue folder, without '..' or a URL"
            )
        )
    return target


def _stylesheets(root: Path, settings: _Reader, diags: list[Diagnostic]) -> tuple[str, ...]:
    """`settings: css`: local stylesheets that override the theme, inside the issue folder and present."""
    found = []
    for node, text in settings.text_nodes("css"):
        path = _relative_file(root, node, text, diags, "stylesheet")
        if path is not None and not path.is_file():
            diags.append(error("file.missing", node.pos, f"stylesheet '{text}' not found", "check the path, relative to the issue folder"))
        elif path is not None:
            found.append(text)
    return tuple(found)


_PATH_MAX, _NAME_MAX = 4096, 255  # bytes, as Linux counts them


def path_problem(name: str) -> str:
    """Why `name` cannot be a file's path ("" if it can): a NUL character, or longer than the system allows."""
    if "\0" in name:
        return "it holds a NUL character"
    if len(name.encode("utf-8", "surrogatepass")) >= _PATH_MAX or any(len(part.encode("utf-8", "surrogatepass")) > _NAME_MAX for part in name.split("/")):
        return "it is longer than a path may be"
    return ""


def resolve_inside(root: Path, name: str) -> Path | None:
    """`root/name` if it stays inside `root` (no URL, no absolute path, no `..` escape), else None.

    A name that cannot be a path gives None (callers that read it report `path_problem` first); a
    symlink loop gives the path unresolved, so that opening it says what is wrong.
    """
    if "://" in name or name.startswith(("/", "\\", "data:", "file:")) or path_problem(name):
        return None
    try:
        target = (root / name).resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a symlink loop
        target = Path(os.path.normpath(root / name))
    if not target.is_relative_to(root.resolve()):
        return None
    return target


def _read_listed(root: Path, node: Node, name: str, diags: list[Diagnostic], what: str) -> tuple[Path, Node] | None:
    """A YAML file listed in issue.yaml or an article (path and content), or None after reporting why not."""
    path = _relative_file(root, node, name, diags, what)
    if path is None:
        return None
    if not os.path.lexists(path):  # lexists: a symlink loop exists, and reading it says so
        diags.append(error("file.missing", node.pos, f"{what} '{name}' not found", "check the path, relative to the issue folder"))
        return None
    try:
        return path, read_yaml(path, node.pos)
    except TypesetError as exc:
        diags.extend(exc.diagnostics)
        return None


def _load_references(root: Path, node: Node, name: str, out: dict[str, Reference], diags: list[Diagnostic]) -> None:
    listed = _read_listed(root, node, name, diags, "reference file")
    if listed is None:
        return
    _, data = listed
    items = data.value.get("references") if isinstance(data.value, dict) else data
    if items is None or not isinstance(items.value, list):
        diags.append(error("ref.format", data.pos, "a reference file holds a 'references:' list of CSL items"))
        return
    for item in items.value:
        if not isinstance(item.value, dict) or "id" not in item.value:
            diags.append(error("ref.missing-id", item.pos, "CSL item without an 'id'", "give every item a unique id: the key cited as [@id]"))
            continue
        ref_id = str(item.value["id"].value)
        if ref_id in out:
            diags.append(
                error(
                    "ref.duplicate-id",
                    item.value["id"].pos,
                    f"duplicate reference id '{ref_id}' (first defined at {out[ref_id].pos})",
                    "give each source its own id",
                )
            )
            continue
        _check_ref_scalars(item, diags)
        out[ref_id] = Reference(ref_id, item.plain_data(), item.pos, {k: v.pos for k, v in item.value.items()})


def _check_ref_scalars(node: Node, diags: list[Diagnostic], name: str = "") -> None:
    """YAML 1.1 surprises inside CSL items: `no` as false, `1.10` as 1.1."""
    if isinstance(node.value, dict):
        for key, child in node.value.items():
            _check_ref_scalars(child, diags, key)
    elif isinstance(node.value, list):
        for child in node.value:
            _check_ref_scalars(child, diags, name)
    elif node.plain and _reads_differently(node.value, node.raw):
        diags.append(yaml_surprise(node, name))


def _reads_differently(value: Any, raw: str) -> bool:
    """True when YAML 1.1 turned what was typed into a value that prints otherwise: `no`, `1.10`, `010`, `2024-6-1`."""
    if isinstance(value, bool):
        return True
    if isinstance(value, (int, float)):
        return str(value) != raw
    if isinstance(value, dt.date):
        return value.isoformat() != raw
    return False


def _load_article(root: Path, node: Node, name: str, index: int, md: MarkdownIt, references: dict[str, Reference], diags: list[Diagnostic]) -> Article | None:
    listed = _read_listed(root, node, name, diags, "article file")
    if listed is None:
        return None
    path, data = listed
    r = _Reader(data, "article", diags)
    for ref_node, ref_name in r.text_nodes("references"):
        _load_references(root, ref_node, ref_name, references, diags)
    slug = f"a{index}"
    language = r.text("language")
    loader = _MarkdownLoader(markdown.new_parser(language) if language else md, {"prefix": slug}, path, diags)
    printed = loader.printed
    standfirst = loader.parse(r.get("standfirst"), r.text("standfirst")) if r.text("standfirst") else None
    takeaways = tuple(loader.parse(n, t) for n, t in r.text_nodes("key_takeaways"))
    body = loader.parse(r.get("body"), r.text("body"))
    recommendations = tuple(loader.parse(n, t) for n, t in r.text_nodes("recommendations"))
    return Article(
        slug=slug,
        title=printed(r.text("title")),
        subtitle=printed(r.text("subtitle")),
        authors=tuple(map(printed, r.texts("authors"))),
        key_takeaways=takeaways,
        body=body,
        notes=tuple(loader.notes),
        figures=tuple(loader.figures),
        recommendations=recommendations,
        recommendations_title=printed(r.text("recommendations_title", "Recommendations")),
        pos=data.pos,
        language=language,
        standfirst=standfirst,
        section=printed(r.text("section")),
    )
