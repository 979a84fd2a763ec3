"""Issue folder → `Issue` model plus diagnostics (schema, YAML surprises, citation syntax).

Everything is read first, then the model is built in one pass; every problem found on the way
is collected (not raised) so `typeset check` can report them all at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from typeset.load import markdown
from typeset.diagnostics import Diagnostic, TypesetError, did_you_mean, error, warning
from typeset.model import (
    Acceptance,
    Article,
    Cite,
    Cluster,
    Cover,
    Credit,
    Figure,
    Foreword,
    Issue,
    Markdown,
    Note,
    Publication,
    Reference,
    Settings,
    SourcePos,
)
from typeset.load.schema import SECTIONS
from typeset.load.source import Node, read_yaml

ISSUE_FILE = "issue.yaml"
NO_DATE = dt.date(1970, 1, 1)  # stands in for a missing or unreadable date, already reported


@dataclass
class _Reader:
    """Reads fields of one YAML mapping against its schema section, collecting diagnostics."""

    node: Node
    section: str
    diags: list[Diagnostic] = field(default_factory=list)
    present: bool = True  # False for an absent section: its parent already reported it if required

    def __post_init__(self) -> None:
        if not isinstance(self.node.value, dict):
            self.diags.append(error("schema.type", self.node.pos, f"'{self.section}' must be a mapping of fields"))
            self.node = Node({}, self.node.pos)
        spec = SECTIONS[self.section]
        for key, pos in self.node.keys.items():
            if key not in spec:
                hint = did_you_mean(key, spec) or "valid fields: " + ", ".join(spec)
                self.diags.append(warning("schema.unknown-field", pos, f"unknown field '{key}' in {self.section}", hint))
        for name, f in spec.items():
            if not (f.required and self.present):
                continue
            if name not in self.node.value:
                self.diags.append(
                    error("schema.missing-field", self.node.pos, f"{self.section} is missing the required field '{name}'", f"add '{name}:' ({f.doc})")
                )
            elif self.node.value[name].value in (None, "", []):
                self.diags.append(
                    error("schema.empty-field", self.node.keys[name], f"the required field '{name}' of {self.section} is empty", f"write a value after '{name}:' ({f.doc})")
                )

    def get(self, name: str) -> Node | None:
        value: Node | None = self.node.value.get(name)
        return value

    def str(self, name: str, default: str = "") -> str:
        node = self.get(name)
        if node is None or node.value is None:
            return default
        value = self._scalar_text(node, name)
        if value is None:
            return default
        choices = SECTIONS[self.section][name].choices
        if choices and value not in choices:
            self.diags.append(
                error("schema.choice", node.pos, f"'{value}' is not a valid {self.section}.{name}", (did_you_mean(value, choices) + " " if did_you_mean(value, choices) else "") + "expected one of: " + ", ".join(choices))
            )
            return default
        return value

    def _scalar_text(self, node: Node, name: str) -> str | None:
        if isinstance(node.value, str):
            return node.value
        if node.plain and isinstance(node.value, (bool, float, int, dt.date)):
            self.diags.append(yaml_surprise(node, name))
            return None
        self.diags.append(error("schema.type", node.pos, f"'{name}' must be text, not {_kind(node.value)}"))
        return None

    def bool(self, name: str, default: bool = False) -> bool:
        node = self.get(name)
        if node is None:
            return default
        if not isinstance(node.value, bool):
            self.diags.append(error("schema.type", node.pos, f"'{name}' must be true or false, not {_kind(node.value)}", f"write {name}: true"))
            return default
        return node.value

    def int(self, name: str, default: int = 0) -> int:
        node = self.get(name)
        if node is None:
            return default
        if isinstance(node.value, bool) or not isinstance(node.value, int):
            self.diags.append(error("schema.type", node.pos, f"'{name}' must be a whole number, not {_kind(node.value)}", f"write e.g. {name}: 8"))
            return default
        return node.value

    def date(self, name: str) -> dt.date:
        node = self.get(name)
        if node is None:
            return NO_DATE
        if isinstance(node.value, dt.date):
            return node.value
        if isinstance(node.value, str):
            try:
                return dt.date.fromisoformat(node.value)
            except ValueError:
                pass
        self.diags.append(error("schema.date", node.pos, f"'{name}' must be a date like 2024-06-01, not '{node.raw or node.value}'", "write the date as YYYY-MM-DD"))
        return NO_DATE

    def strings(self, name: str) -> tuple[str, ...]:
        return tuple(text for _, text in self.string_nodes(name))

    def string_nodes(self, name: str) -> list[tuple[Node, str]]:
        """The text items of a list field, each with its node (for positions)."""
        node = self.get(name)
        if node is None or node.value is None:
            return []
        if isinstance(node.value, str):
            return [(node, node.value)]
        if not isinstance(node.value, list):
            self.diags.append(error("schema.type", node.pos, f"'{name}' must be a list", f"write '{name}:' followed by '- item' lines"))
            return []
        out = []
        choices = SECTIONS[self.section][name].choices
        for item in node.value:
            text = self._scalar_text(item, name) if item.value is not None else None
            if text is not None and choices and text not in choices:
                self.diags.append(error("schema.choice", item.pos, f"'{text}' is not a valid {self.section}.{name}", "expected one of: " + ", ".join(choices)))
            elif text is not None:
                out.append((item, text))
        return out

    def items(self, name: str) -> list[Node]:
        node = self.get(name)
        if node is None or node.value is None:
            return []
        if not isinstance(node.value, list):
            self.diags.append(error("schema.type", node.pos, f"'{name}' must be a list"))
            return []
        return list(node.value)

    def sub(self, name: str, section: str | None = None) -> _Reader:
        node = self.get(name)
        return _Reader(node or Node({}, self.node.pos), section or name, self.diags, present=node is not None)


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
        f"quote it: {name}: \"{node.raw}\"",
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

    def typographic(self, text: str) -> str:
        """A plain printed string (title, name, credit) with the quotes of this Markdown's language."""
        return markdown.typographic(self.md, text)

    def parse(self, node: Node | None, text: str) -> Markdown:
        pos = node.pos if node is not None else SourcePos(self.path)
        tokens = self.md.parse(text, self.env)
        for block in tokens:
            if block.type == "figure":
                self._figure(block, pos, node)
            for child in block.children or []:
                if child.type in ("cite_note", "text_note"):
                    self._note(child, block, pos, node)
        return Markdown(text, tuple(tokens), pos)

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

        def cite(c: markdown.ParsedCite, offset: int) -> Cite:
            return Cite(c.id, self._where(base, node, line0, block.content, offset), c.locator, c.label, c.prefix, c.suffix)

        def cluster(cites: list[Cite], offset: int) -> Cluster:
            return Cluster(tuple(cites), self._where(base, node, line0, block.content, offset))

        pos = self._where(base, node, line0, block.content, tok.meta["offset"])
        try:
            parts = markdown.to_parts(tok, cite, cluster)
        except markdown.CitationSyntaxError as exc:
            self.diags.append(error(exc.code, pos, f"cannot read citation [{tok.content}]: {exc}", exc.hint))
            parts = (tok.content,)
        number = len(self.notes) + 1
        tok.meta["number"] = number
        self.notes.append(Note(number, parts, pos))

    def _figure(self, tok: Any, base: SourcePos, node: Node | None) -> None:
        number = len(self.figures) + 1
        tok.meta = {"number": number}
        line0 = tok.map[0] if tok.map else 0
        pos = self._where(base, node, line0, "", 0)
        if not tok.attrGet("alt"):
            self.diags.append(warning("image.no-alt", pos, f"figure {number} has no alt text", 'add {alt="what the picture shows"} after the image'))
        self.figures.append(
            Figure(number, str(tok.attrGet("src") or ""), tok.content, self.typographic(str(tok.attrGet("credit") or "")), self.typographic(str(tok.attrGet("alt") or "")), pos)
        )


def load_issue(root: Path) -> tuple[Issue, list[Diagnostic]]:
    """Read `root/issue.yaml`, its articles and references; return the model and every problem found.

    Raises TypesetError only when there is no model to return (no readable issue.yaml).
    """
    root = root.resolve()
    if not root.is_dir():
        raise TypesetError([error("issue.not-found", SourcePos(root), f"no issue folder at {root}", "pass the folder that holds issue.yaml")])
    path = root / ISSUE_FILE
    top = _Reader(read_yaml(path), "issue.yaml")
    diags = top.diags
    pub = top.sub("publication")
    meta = top.sub("issue")
    cover = top.sub("cover")
    settings_r = top.sub("settings")
    language = meta.str("language", "en-GB")
    settings = Settings(
        style=settings_r.str("style", "oscola"),
        locale=settings_r.str("locale", language),
        notes=settings_r.str("notes", "endnotes"),  # type: ignore[arg-type]
        page_size=settings_r.str("page_size", "A4"),
        theme=settings_r.str("theme", "default"),
        bibliography=settings_r.str("bibliography", "auto"),  # type: ignore[arg-type]
        positions=settings_r.str("positions", "article"),  # type: ignore[arg-type]
        profiles=settings_r.strings("profiles") or ("screen",),
        pad_to=settings_r.int("pad_to"),
        offprints=settings_r.bool("offprints"),
        print_profile=settings_r.str("print_profile"),
        css=_stylesheets(root, settings_r, diags),
    )
    md = markdown.new_parser(language)
    text = _MarkdownLoader(md, {}, path, diags).typographic
    references: dict[str, Reference] = {}
    for ref_node in top.items("references"):
        _load_references(root, ref_node, references, diags)
    credits = []
    for node in top.items("credits"):
        r = _Reader(node, "credit", diags)
        credits.append(Credit(text(r.str("role")), tuple(map(text, r.strings("names")))))
    fw = top.sub("foreword")
    fw_md = _MarkdownLoader(md, {"prefix": "foreword"}, path, diags)
    foreword = Foreword(text(fw.str("title", "Foreword")), fw_md.parse(fw.get("body"), fw.str("body")), text(fw.str("signature")))
    if fw_md.notes:
        diags.append(error("foreword.notes", fw_md.notes[0].pos, "the foreword cannot have notes", "move the citation into an article"))
    articles = []
    for index, node in enumerate(top.items("articles"), start=1):
        article = _load_article(root, node, index, md, references, diags)
        if article is not None:
            articles.append(article)
    issue = Issue(
        root=root,
        publication=Publication(
            title=text(pub.str("title")),
            region=text(pub.str("region")),
            publisher=text(pub.str("publisher")),
            issn=pub.str("issn"),
            copyright=text(pub.str("copyright")),
            rights=text(pub.str("rights")),
            website=pub.str("website"),
            contact=pub.str("contact"),
            description=text(pub.str("description")),
        ),
        number=meta.int("number"),
        date=meta.date("date"),
        language=language,
        credits=tuple(credits),
        cover=Cover(cover.str("image"), text(cover.str("alt")), text(cover.str("credit")), (cover.get("image") or cover.node).pos),
        foreword=foreword,
        articles=tuple(articles),
        references=references,
        settings=settings,
        pos=SourcePos(path, 1, 1),
        keywords=meta.strings("keywords"),
        accepted=tuple(
            Acceptance(r.str("rule"), r.strings("files") or ("*",), r.str("reason"), r.node.pos)
            for r in (_Reader(n, "accept", diags) for n in top.sub("check").items("accept"))
        ),
    )
    return issue, diags


def _relative_file(root: Path, node: Node, diags: list[Diagnostic], what: str) -> Path | None:
    """A file named in YAML, resolved inside the issue folder; anything outside is refused."""
    if not isinstance(node.value, str):
        diags.append(error("schema.type", node.pos, f"{what} must be a file path"))
        return None
    target = resolve_inside(root, node.value)
    if target is None:
        diags.append(error("path.outside-issue", node.pos, f"{what} '{node.value}' is outside the issue folder", "use a path relative to the issue folder, without '..' or a URL"))
    return target


def _stylesheets(root: Path, settings: _Reader, diags: list[Diagnostic]) -> tuple[str, ...]:
    """`settings: css`: local stylesheets that override the theme, inside the issue folder and present."""
    found = []
    for node, text in settings.string_nodes("css"):
        path = _relative_file(root, node, diags, "stylesheet")
        if path is not None and not path.is_file():
            diags.append(error("file.missing", node.pos, f"stylesheet '{text}' not found", "check the path, relative to the issue folder"))
        elif path is not None:
            found.append(text)
    return tuple(found)


def resolve_inside(root: Path, name: str) -> Path | None:
    """`root/name` if it stays inside `root` (no URL, no absolute path, no `..` escape), else None."""
    if "://" in name or name.startswith(("/", "\\", "data:", "file:")):
        return None
    target = (root / name).resolve()
    if not target.is_relative_to(root.resolve()):
        return None
    return target


def _load_references(root: Path, node: Node, out: dict[str, Reference], diags: list[Diagnostic]) -> None:
    path = _relative_file(root, node, diags, "reference file")
    if path is None:
        return
    if not path.exists():
        diags.append(error("file.missing", node.pos, f"reference file '{node.value}' not found", "check the path, relative to the issue folder"))
        return
    try:
        data = read_yaml(path)
    except TypesetError as exc:
        diags.extend(exc.diagnostics)
        return
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
            diags.append(error("ref.duplicate-id", item.value["id"].pos, f"duplicate reference id '{ref_id}' (first defined at {out[ref_id].pos})", "give each source its own id"))
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


def _load_article(root: Path, node: Node, index: int, md: MarkdownIt, references: dict[str, Reference], diags: list[Diagnostic]) -> Article | None:
    path = _relative_file(root, node, diags, "article file")
    if path is None:
        return None
    if not path.exists():
        diags.append(error("file.missing", node.pos, f"article file '{node.value}' not found", "check the path, relative to the issue folder"))
        return None
    try:
        data = read_yaml(path)
    except TypesetError as exc:
        diags.extend(exc.diagnostics)
        return None
    r = _Reader(data, "article", diags)
    for ref_node in r.items("references"):
        _load_references(root, ref_node, references, diags)
    slug = f"a{index}"
    language = r.str("language")
    loader = _MarkdownLoader(markdown.new_parser(language) if language else md, {"prefix": slug}, path, diags)
    text = loader.typographic
    takeaways = tuple(loader.parse(n, t) for n, t in r.string_nodes("key_takeaways"))
    body = loader.parse(r.get("body"), r.str("body"))
    recommendations = tuple(loader.parse(n, t) for n, t in r.string_nodes("recommendations"))
    return Article(
        slug=slug,
        title=text(r.str("title")),
        subtitle=text(r.str("subtitle")),
        authors=tuple(map(text, r.strings("authors"))),
        key_takeaways=takeaways,
        body=body,
        notes=tuple(loader.notes),
        figures=tuple(loader.figures),
        recommendations=recommendations,
        recommendations_title=text(r.str("recommendations_title", "Recommendations")),
        pos=data.pos,
        language=language,
    )
