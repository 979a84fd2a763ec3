"""Reference files → CSL items: CSL-YAML and CSL-JSON as they are, BibTeX, BibLaTeX and RIS converted by pandoc.

A library given to `import --refs` is converted once and written as CSL-YAML beside the
issue's other references (`to_csl_yaml`), so the publication keeps one reference format.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from typeset.diagnostics import TypesetError, error
from typeset.load.source import read_yaml
from typeset.manuscript.pandoc import run_pandoc
from typeset.model import SourcePos

PANDOC_FORMATS = {".bib": "biblatex", ".bibtex": "bibtex", ".ris": "ris"}
"""Reference formats pandoc converts to CSL-JSON, by file suffix."""
_ID = re.compile(r"[\w][\w:.#$%&+?<>~/-]*[\w]|[\w]")
MAX_BYTES = 50_000_000


def read_library(path: Path) -> list[dict[str, Any]]:
    """The CSL items of a reference file (.yaml/.yml, .json, .bib, .bibtex, .ris)."""
    suffix = path.suffix.lower()
    pos = SourcePos(path)
    if not path.is_file():
        raise TypesetError([error("file.missing", pos, f"reference file not found: {path}")])
    if path.stat().st_size > MAX_BYTES:
        raise TypesetError([error("import.too-large", pos, f"{path.name} is larger than {MAX_BYTES // 1_000_000} MB", "split the library")])
    if suffix in (".yaml", ".yml"):
        data: Any = read_yaml(path).plain_data()
    elif suffix == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise TypesetError([error("import.refs-format", pos, f"{path.name} is not CSL-JSON: {exc}")]) from None
    elif suffix in PANDOC_FORMATS:
        out = run_pandoc(["-f", PANDOC_FORMATS[suffix], "-t", "csljson", str(path.resolve())], path, what="reference file")
        try:
            data = json.loads(out or "[]")
        except json.JSONDecodeError:
            raise TypesetError([error("import.refs-format", pos, f"pandoc wrote no CSL-JSON for {path.name}")]) from None
    else:
        raise TypesetError(
            [
                error(
                    "import.refs-format",
                    pos,
                    f"unknown reference format '{suffix or path.name}'",
                    "give a .yaml (CSL-YAML), .json (CSL-JSON), .bib or .ris file",
                )
            ]
        )
    return _items(data, path)


def _items(data: Any, path: Path) -> list[dict[str, Any]]:
    """The list of CSL items in `data` (a list, or a mapping with `references:`), each with a usable id."""
    items = data.get("references") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise TypesetError(
            [
                error(
                    "import.refs-format",
                    SourcePos(path),
                    f"{path.name} holds no list of CSL items",
                    "a CSL-YAML file has a 'references:' list; CSL-JSON is a list",
                )
            ]
        )
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not _ID.fullmatch(str(item.get("id", ""))):
            raise TypesetError(
                [
                    error(
                        "import.refs-format",
                        SourcePos(path),
                        f"item {n} of {path.name} has no id that can be cited",
                        "every item needs an id of letters, digits and :.#$%&+?<>~/- inside",
                    )
                ]
            )
        if str(item["id"]) in seen:
            raise TypesetError([error("ref.duplicate-id", SourcePos(path), f"{path.name} has the id '{item['id']}' twice", "give each source its own id")])
        seen.add(str(item["id"]))
        out.append({**item, "id": str(item["id"])})
    return out


def to_csl_yaml(items: list[dict[str, Any]], about: str) -> str:
    """CSL items as a CSL-YAML file (`references:` list), with a comment saying where they came from."""
    body = yaml.safe_dump({"references": items}, allow_unicode=True, sort_keys=False, width=100)
    return f"# {about}\n---\n{body}"
