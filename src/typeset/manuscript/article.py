"""A manuscript file → an article file in a publication folder, its images under images/, and the match table.

`import_manuscript` checks the file before pandoc sees it (known format, size, a real Word
or OpenDocument package that does not unpack to gigabytes), reads it with pandoc, writes the
article's Markdown (`convert`), matches its notes against the publication's references and
the `--refs` library (`notes`), and writes the article, its images, the converted library and
the article's line in issue.yaml's `articles:` list (YAML files atomically). Nothing in the
folder is overwritten unless asked.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from typeset.atomic import atomic_write
from typeset.diagnostics import TypesetError, error
from typeset.load.reader import load_issue
from typeset.manuscript.convert import NOTE_MARK_RE, Manuscript, convert, document_title
from typeset.manuscript.library import read_library, to_csl_yaml
from typeset.manuscript.match import Library
from typeset.manuscript.notes import NoteResult, match_notes
from typeset.manuscript.pandoc import run_pandoc
from typeset.model import SourcePos, slug

FORMATS = {".docx": "docx", ".odt": "odt", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
"""Manuscript formats by suffix, as pandoc names them."""
MAX_BYTES = 200_000_000
"""Largest manuscript file read (a .docx with its photographs)."""
MAX_UNPACKED = 1_000_000_000
"""Largest total a .docx or .odt may unpack to: more is a zip bomb, not a manuscript."""
_PACKAGE_PART = {"docx": "word/document.xml", "odt": "content.xml"}
_IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".svg")
_CONVERTIBLE = (".gif", ".bmp", ".tif", ".tiff", ".webp")


@dataclass(frozen=True)
class Imported:
    """What an import wrote and found."""

    article: Path
    notes: tuple[NoteResult, ...]
    images: tuple[Path, ...] = ()
    references: Path | None = None
    listed: bool = False
    """Whether the article was added to issue.yaml's `articles:`."""
    warnings: tuple[str, ...] = ()


def import_manuscript(source: Path, root: Path, refs: Path | None = None, *, overwrite: bool = False) -> Imported:
    """Import `source` into the publication folder `root`; `refs` adds a reference library (converted to CSL-YAML)."""
    fmt = check_manuscript(source)
    warnings: list[str] = []
    issue_items, issue_yaml = _issue_references(root)
    extra = read_library(refs) if refs else []
    library_name = refs.name if refs else ""
    known = {item["id"] for item in issue_items}
    new_items = [item for item in extra if item["id"] not in known]
    if len(new_items) < len(extra):
        warnings.append(f"{len(extra) - len(new_items)} reference(s) of {library_name} have ids the publication already has: the publication's are used")
    if not issue_items and not extra:
        warnings.append("no reference library (the folder has none and --refs was not given): every note stays prose")
    packaged = fmt in _PACKAGE_PART
    with tempfile.TemporaryDirectory(prefix="folio-import-") as tmp:
        media = Path(tmp)
        extract = ["--extract-media=."] if packaged else []  # a .docx's images, into the temporary folder
        ast = _ast(run_pandoc(["-f", fmt, "-t", "json", *extract, str(source.resolve())], source, cwd=media, what="manuscript"), source)
        name = _slug(ast, source)
        taken = {p.name for p in (root / "images").glob("*")} if (root / "images").is_dir() and not overwrite else set()

        def image_name(n: int, original: str) -> str:
            suffix = Path(original).suffix.lower()
            suffix = ".png" if suffix in _CONVERTIBLE else suffix
            stem = f"{name}-{n}"
            while stem + suffix in taken:
                stem += "-new"
            taken.add(stem + suffix)
            return f"images/{stem}{suffix}"

        try:
            manuscript = convert(ast, image_name)
        except RecursionError:
            raise TypesetError(
                [
                    error(
                        "import.unreadable", SourcePos(source), f"{source.name} nests lists, quotes or tables too deeply to read", "flatten the deepest nesting"
                    )
                ]
            ) from None
        warnings += manuscript.warnings
        if not (manuscript.body.strip() or manuscript.title):
            raise TypesetError([error("import.empty", SourcePos(source), f"{source.name} has no text", "is it the right file?")])
        if not manuscript.title:
            manuscript.title = source.stem
            warnings.append(f"the manuscript has no title (no Title style, no first heading): '{source.stem}' is used")
        article = _article_path(root, name, overwrite)
        results = match_notes(manuscript.notes, Library([*issue_items, *new_items]))
        images = _copy_images(manuscript, media if packaged else source.parent, root, warnings)
    ref_file = None
    if new_items:
        ref_file = root / "references" / f"{article.stem}.yaml"
        ref_file.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(ref_file, to_csl_yaml(new_items, f"CSL references converted from {library_name} by folio import").encode())
    text = article_yaml(manuscript, results, source, [f"references/{ref_file.name}"] if ref_file else [])
    article.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(article, text.encode())
    listed = bool(issue_yaml and add_to_list(issue_yaml, "articles", article.relative_to(root).as_posix()))
    if issue_yaml and not listed:
        warnings.append(f"add '{article.relative_to(root).as_posix()}' to the articles: list of {issue_yaml.name} to build it")
    return Imported(article, tuple(results), tuple(images), ref_file, listed, tuple(warnings))


def check_manuscript(source: Path) -> str:
    """The pandoc format of `source`, once it is known to be a readable file of sane size."""
    pos = SourcePos(source)
    fmt = FORMATS.get(source.suffix.lower())
    if fmt is None:
        raise TypesetError(
            [error("import.format", pos, f"cannot import '{source.suffix or source.name}' files", "save the manuscript as .docx (or .odt, .md, .html)")]
        )
    if not source.is_file():
        raise TypesetError([error("file.missing", pos, f"manuscript not found: {source}")])
    size = source.stat().st_size
    if size == 0:
        raise TypesetError([error("import.empty", pos, f"{source.name} is empty (0 bytes)", "save the manuscript again from your word processor")])
    if size > MAX_BYTES:
        raise TypesetError(
            [
                error(
                    "import.too-large",
                    pos,
                    f"{source.name} is {size // 1_000_000} MB, more than {MAX_BYTES // 1_000_000} MB",
                    "make its images smaller, or split it",
                )
            ]
        )
    if fmt in _PACKAGE_PART:
        _check_package(source, fmt)
    return fmt


def _check_package(source: Path, fmt: str) -> None:
    """A .docx or .odt is a zip package: it must be one, hold its main part, and not unpack to gigabytes."""
    pos = SourcePos(source)
    kind = "Word" if fmt == "docx" else "OpenDocument"
    try:
        with zipfile.ZipFile(source) as package:
            entries = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TypesetError(
            [
                error(
                    "import.unreadable",
                    pos,
                    f"{source.name} is not a {kind} document (not a zip package)",
                    "open it in your word processor and save it as .docx",
                )
            ]
        ) from None
    if _PACKAGE_PART[fmt] not in {e.filename for e in entries}:
        raise TypesetError(
            [
                error(
                    "import.unreadable",
                    pos,
                    f"{source.name} is a zip file but not a {kind} document (no {_PACKAGE_PART[fmt]})",
                    "open it in your word processor and save it again",
                )
            ]
        )
    if sum(e.file_size for e in entries) > MAX_UNPACKED or len(entries) > 10_000:
        raise TypesetError(
            [
                error(
                    "import.too-large",
                    pos,
                    f"{source.name} unpacks to more than {MAX_UNPACKED // 1_000_000} MB",
                    "this is not an ordinary manuscript; save it again from your word processor",
                )
            ]
        )


def _ast(text: str, source: Path) -> dict[str, Any]:
    try:
        ast = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        ast = None
    if not isinstance(ast, dict) or not isinstance(ast.get("blocks"), list):
        raise TypesetError([error("import.unreadable", SourcePos(source), f"pandoc returned no document for {source.name}")])
    return ast


def _issue_references(root: Path) -> tuple[list[dict[str, Any]], Path | None]:
    """The CSL items of the publication in `root`, and its issue.yaml (if it has one)."""
    issue_yaml = root / "issue.yaml"
    if not issue_yaml.is_file():
        return [], None
    issue, _ = load_issue(root)
    return [dict(ref.data, id=ref.id) for ref in issue.references.values()], issue_yaml


def _slug(ast: dict[str, Any], source: Path) -> str:
    """The article's file name: the first words of its title."""
    return "-".join(slug(document_title(ast) or source.stem, limit=None).split("-")[:6]) or "article"


def _article_path(root: Path, name: str, overwrite: bool) -> Path:
    """articles/NN-name.yaml, NN one more than the articles already there."""
    folder = root / "articles"
    existing = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    for path in existing:
        if re.sub(r"^\d+-", "", path.stem) == name:
            if overwrite:
                return path
            raise TypesetError(
                [error("import.exists", SourcePos(path), f"{path.relative_to(root)} exists already", "remove it, or give --overwrite to replace it")]
            )
    numbers = [int(m.group()) for p in existing if (m := re.match(r"\d+", p.stem))]
    return folder / f"{max(numbers, default=0) + 1:02d}-{name}.yaml"


def _copy_images(manuscript: Manuscript, base: Path, root: Path, warnings: list[str]) -> list[Path]:
    """Copy (or convert to PNG) each image into images/, as the article names it."""
    written = []
    for image in manuscript.images:
        source = (base / image.source).resolve()
        target = root / image.target
        if not source.is_file() or not source.is_relative_to(base.resolve()):
            warnings.append(f"image {image.source} was not found beside the manuscript: {image.target} is missing")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix.lower() in _CONVERTIBLE:
            from PIL import Image, UnidentifiedImageError

            try:
                with Image.open(source) as img:
                    img.save(target, "PNG")
            except (OSError, UnidentifiedImageError, ValueError) as exc:
                warnings.append(f"image {image.source} could not be converted to PNG ({exc})")
                continue
        else:
            shutil.copyfile(source, target)
            if target.suffix.lower() not in _IMAGE_TYPES:
                warnings.append(
                    f"{image.target} is {target.suffix} ({'a Windows metafile' if target.suffix.lower() in ('.emf', '.wmf') else 'not PNG, JPEG or SVG'}): export it as PNG or SVG"
                )
        written.append(target)
    return written


def article_yaml(manuscript: Manuscript, results: list[NoteResult], source: Path, references: list[str]) -> str:
    """The article file: the manuscript's parts with each note mark replaced by its citation or prose note."""

    def notes(text: str) -> str:
        return NOTE_MARK_RE.sub(lambda m: results[int(m.group(1)) - 1].markdown, text)

    counts = {s: sum(r.status == s for r in results) for s in ("matched", "partial", "ambiguous", "unmatched")}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    head: dict[str, Any] = {"title": manuscript.title}
    if manuscript.subtitle:
        head["subtitle"] = manuscript.subtitle
    head["authors"] = manuscript.authors
    if manuscript.key_takeaways:
        head["key_takeaways"] = [notes(t) for t in manuscript.key_takeaways]
    tail: dict[str, Any] = {}
    if manuscript.recommendations:
        if manuscript.recommendations_title and manuscript.recommendations_title.lower() != "recommendations":
            tail["recommendations_title"] = manuscript.recommendations_title
        tail["recommendations"] = [notes(t) for t in manuscript.recommendations]
    if references:
        tail["references"] = references
    body = notes(manuscript.body).rstrip("\n") + "\n"
    lines = [f"# Imported from {source.name}" + (f": {len(results)} notes, {summary}." if results else "."), _dump(head).rstrip("\n")]
    lines.append("body: " + _block(body))
    if tail:
        lines.append(_dump(tail).rstrip("\n"))
    text = "\n".join(lines) + "\n"
    expected = {**head, "body": body, **tail}
    if yaml.safe_load(text) != expected:  # a body YAML cannot hold as a block: let PyYAML quote it
        text = lines[0] + "\n" + _dump(expected)
    return text


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _block(text: str) -> str:
    """A literal block scalar for Markdown: `|` and the text indented by two spaces."""
    indicator = "|2" if text[:1] in " \n" else "|"
    body = "\n".join(("  " + line) if line.strip() else "" for line in text.rstrip("\n").split("\n"))
    return f"{indicator}\n{body}"


def add_to_list(path: Path, key: str, value: str) -> bool:
    """Add `value` to the top-level block list `key:` of a YAML file, keeping its comments; False if it cannot be done safely."""
    try:
        text = path.read_text(encoding="utf-8")
        before = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    if not isinstance(before, dict) or not isinstance(before.get(key), list):
        return False
    if value in before[key]:
        return True
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if re.match(rf"{re.escape(key)}\s*:\s*(#.*)?$", line)), None)
    if start is None:
        return False
    last = None
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if re.match(r"\s*-\s", line):
            last = i
        elif line.strip() and not line.startswith((" ", "#")):
            break
    if last is None:
        return False
    indent = re.match(r"(\s*-\s+)", lines[last])
    lines.insert(last + 1, f"{indent.group(1) if indent else '- '}{value}")
    new = "\n".join(lines)
    after = yaml.safe_load(new)
    if (
        not isinstance(after, dict)
        or after.get(key) != [*before[key], value]
        or {k: v for k, v in after.items() if k != key} != {k: v for k, v in before.items() if k != key}
    ):
        return False
    atomic_write(path, new.encode("utf-8"))
    return True
