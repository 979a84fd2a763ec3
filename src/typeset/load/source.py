"""YAML file → tree of `Node`s that keep their source positions, loaded safely.

PyYAML's `compose()` gives nodes with marks; we resolve scalars with the SafeLoader's
constructor and keep the raw text, so later stages can both report `file:line:col` and
catch YAML 1.1 surprises (`no` read as false, `1.10` read as 1.1). Files are composed by
libyaml where PyYAML was built with it (ten times faster: most of `check`'s time was the
pure-Python parser); a file with a syntax error is parsed again by the pure-Python parser,
whose messages say more ("expected ',' or ']', but got '<stream end>'").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from typeset.diagnostics import TypesetError, error
from typeset.filecache import while_unchanged
from typeset.model import SourcePos


@dataclass(frozen=True)
class Node:
    """A YAML value with its position. `value` is a dict[str, Node], a list[Node] or a scalar."""

    value: Any
    pos: SourcePos
    raw: str = ""
    plain: bool = False
    keys: dict[str, SourcePos] = field(default_factory=dict)
    block_indent: int = 0
    source: str = ""
    """A scalar as written in the file: quotes, escapes, block indicator and indentation included."""

    def pos_at(self, offset: int) -> SourcePos:
        """The file position of `source[offset]`, exact to the column."""
        before = self.source[:offset]
        newlines = before.count("\n")
        col = self.pos.col + offset if not newlines else offset - before.rfind("\n")
        return SourcePos(self.pos.path, self.pos.line + newlines, col)

    def plain_data(self) -> Any:
        """The value with positions stripped (for CSL items handed to citeproc)."""
        if isinstance(self.value, dict):
            return {k: v.plain_data() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain_data() for v in self.value]
        return self.value


def _pos(path: Path, mark: yaml.Mark) -> SourcePos:
    return SourcePos(path, mark.line + 1, mark.column + 1)


@while_unchanged
def read_yaml(path: Path) -> Node:
    """Parse one YAML file; a syntax error becomes a positioned diagnostic."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TypesetError([error("file.missing", SourcePos(path), f"file not found: {path}")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TypesetError([error("file.unreadable", SourcePos(path), f"cannot read {path}: {exc}")]) from None
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _pos(path, mark) if mark else SourcePos(path)
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        raise TypesetError(
            [
                error(
                    "yaml.syntax",
                    pos,
                    f"YAML syntax error: {problem}{context}",
                    "check indentation and quoting near this position; "
                    "quote values that contain ': ' or start with a special character",
                )
            ]
        ) from None
    if root is None:
        return Node({}, SourcePos(path, 1, 1))
    return _convert(root, path, yaml.SafeLoader(""), text)


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _compose(text: str) -> yaml.Node | None:
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass  # report it in the pure-Python parser's words
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _convert(node: yaml.Node, path: Path, loader: yaml.SafeLoader, text: str) -> Node:
    pos = _pos(path, node.start_mark)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Node] = {}
        keys: dict[str, SourcePos] = {}
        for key_node, value_node in node.value:
            key = str(loader.construct_object(key_node, deep=True))
            out[key] = _convert(value_node, path, loader, text)
            keys[key] = _pos(path, key_node.start_mark)
        return Node(out, pos, keys=keys)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(v, path, loader, text) for v in node.value], pos)
    value = loader.construct_object(node, deep=True)
    source = text[node.start_mark.index : node.end_mark.index]
    indent = 0
    assert isinstance(node, yaml.ScalarNode)  # mapping and sequence nodes returned above
    if node.style in ("|", ">"):
        # Block scalars: content starts on the next line, indented; keep the indent for positions.
        for line in source.split("\n")[1:]:
            if line.strip():
                indent = len(line) - len(line.lstrip(" "))
                break
    return Node(value, pos, raw=str(node.value), plain=not node.style, block_indent=indent, source=source)
