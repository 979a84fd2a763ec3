"""YAML file → tree of `Node`s that keep their source positions, loaded safely.

PyYAML's `compose()` gives nodes with marks; we resolve scalars with the SafeLoader's
constructor and keep the raw text, so later stages can both report `file:line:col` and
catch YAML 1.1 surprises (`no` read as false, `1.10` read as 1.1). Files are composed by
libyaml where PyYAML was built with it (ten times faster: most of `check`'s time was the
pure-Python parser); a file with a syntax error is parsed again by the pure-Python parser,
whose messages say more ("expected ',' or ']', but got '<stream end>'").
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import yaml

from typeset.diagnostics import Diagnostic, TypesetError, error
from typeset.filecache import while_unchanged
from typeset.limits import FILE_SIZE, YAML_DEPTH, YAML_NODES
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


def read_text(path: Path, named_at: SourcePos | None = None) -> str:
    """The text of a file of the issue: a regular file of at most `limits.FILE_SIZE`, in UTF-8.

    Anything else is a TypesetError at `named_at` (the line that names the file), else at the
    file itself: a FIFO would block the read forever, a device or a huge file would never end.
    """
    where = named_at or SourcePos(path, 1, 1)
    info = regular_file(path, where)
    if info.st_size > FILE_SIZE.number:
        message = f"'{shown(path.name)}' has {info.st_size:,} bytes, more than the {FILE_SIZE.number:,} a file may have"
        raise TypesetError([error(FILE_SIZE.rule, where, message, FILE_SIZE.fix)])
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TypesetError(
            [error("file.unreadable", where, f"cannot read '{shown(path.name)}': {os_reason(exc)}", "give your user permission to read it")]
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start)
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1)
        message = f"'{path.name}' is not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be read"
        raise TypesetError(
            [error("file.encoding", SourcePos(path, line + 1, col + 1), message, "save the file as UTF-8 (in most editors: Save with encoding, UTF-8)")]
        ) from None


def regular_file(path: Path, where: SourcePos) -> os.stat_result:
    """The file's status if it is a regular file, else a TypesetError at `where` saying what it is."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise TypesetError([error("file.missing", where, f"file not found: {shown(str(path))}", "check the path, relative to the issue folder")]) from None
    except (OSError, ValueError) as exc:  # a symlink loop, a name too long, a NUL in it
        raise TypesetError(
            [error("path.invalid", where, f"cannot open '{shown(path.name)}': {os_reason(exc)}", "write the path of the file as it is on disk")]
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise TypesetError(
            [
                error(
                    "path.not-a-file",
                    where,
                    f"'{shown(path.name)}' is {_file_kind(info.st_mode)}, not a file",
                    "name the file itself, relative to the issue folder",
                )
            ]
        )
    return info


def shown(name: str, width: int = 80) -> str:
    """A name as a message shows it: cut short when it is long."""
    return name if len(name) <= width else f"{name[: width - 1]}…"


def os_reason(exc: BaseException) -> str:
    """What an OSError (or the ValueError of a NUL in a path) says, without the path it repeats."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower() if exc.errno != errno.ELOOP else "a symlink loop"
    return str(exc)


def _file_kind(mode: int) -> str:
    return "a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"


@while_unchanged
def read_yaml(path: Path, named_at: SourcePos | None = None) -> Node:
    """Parse one YAML file into positioned nodes; every fault is a TypesetError with its position."""
    text = read_text(path, named_at)
    root = compose(text, path)
    if root is None:
        return Node({}, SourcePos(path, 1, 1))
    return _convert(root, path, yaml.SafeLoader(""), text)


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def compose(text: str, path: Path) -> yaml.Node | None:
    """YAML text → its node graph, checked (`_guard`) before anything walks it: no tag, merge key,
    duplicate key, recursive alias or bad character, and within the limits of depth and size."""
    try:
        root = _compose(text, path)
    except yaml.reader.ReaderError as exc:  # a raw control character: its position is an index into the text
        before = text[: exc.position]
        pos = SourcePos(path, before.count("\n") + 1, exc.position - before.rfind("\n"))
        message = f"the character U+{exc.character if isinstance(exc.character, int) else ord(exc.character):04X} is not allowed in YAML"
        raise TypesetError([error("yaml.bad-character", pos, message, "delete it: YAML files hold printable text only")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _pos(path, mark) if mark else SourcePos(path, 1, 1)
        if "nesting depth" in str(exc.problem):  # libyaml's own limit, below ours in flow style
            raise TypesetError([_too_deep(pos)]) from None
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        hint = "check indentation and quoting near this position; quote values that contain ': ' or start with a special character"
        raise TypesetError([error("yaml.syntax", pos, f"YAML syntax error: {problem}{context}", hint)]) from None
    except RecursionError:  # the pure-Python composer, on nesting libyaml refused first
        raise TypesetError([_too_deep(SourcePos(path, 1, 1))]) from None
    if root is not None:
        _guard(root, path)
    return root


def _compose(text: str, path: Path) -> yaml.Node | None:
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.MarkedYAMLError as exc:
            if "nesting depth" in str(exc.problem):
                raise
        except yaml.YAMLError:
            pass  # report it in the pure-Python parser's words
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _too_deep(pos: SourcePos) -> Diagnostic:
    return error(YAML_DEPTH.rule, pos, f"lists and mappings nested more than {YAML_DEPTH.number} deep", YAML_DEPTH.fix)


_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + name for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")} | {"!"}


def _guard(root: yaml.Node, path: Path) -> None:
    """Walk the node graph as composed (an alias is a shared node, not a copy) and refuse what the
    content format has no use for and what would never end: each node's expanded size is counted
    once, so a billion laughs costs as little as it is long."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def fail(code: str, node: yaml.Node, message: str, hint: str) -> NoReturn:
        raise TypesetError([error(code, _pos(path, node.start_mark), message, hint)])

    def size(node: yaml.Node, depth: int) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if id(node) in open_nodes:
            fail("yaml.recursive-alias", node, "this value contains an alias of itself, so it never ends", "write the value out without the alias")
        if depth > YAML_DEPTH.number:
            raise TypesetError([_too_deep(_pos(path, node.start_mark))])
        if node.tag not in _ALLOWED_TAGS:
            fail("yaml.tag", node, f"the tag '{node.tag.removeprefix(_CORE)}': tags are not allowed in an issue", "delete the tag and write the value itself")
        if isinstance(node, yaml.ScalarNode):
            if any("\ud800" <= c <= "\udfff" for c in node.value):
                fail("yaml.bad-character", node, "half a character (a lone surrogate, as \\ud800)", "write the character itself, or both halves of its escape")
            sizes[id(node)] = 1
            return 1
        open_nodes.add(id(node))
        total = 1
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                if key.tag == _CORE + "merge":
                    fail("yaml.merge-key", key, "merge keys (<<) are not read by folio", "write the fields out in this mapping")
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        fail("yaml.duplicate-key", key, f"'{key.value}' is already a key of this mapping; YAML would keep only the last", "delete one of them")
                    seen.add(key.value)
                total += size(key, depth + 1) + size(value, depth + 1)
        else:
            total += sum(size(child, depth + 1) for child in node.value)
        open_nodes.discard(id(node))
        if total > YAML_NODES.number:
            fail(YAML_NODES.rule, node, f"this value expands to more than {YAML_NODES.number:,} values (aliases count as what they repeat)", YAML_NODES.fix)
        sizes[id(node)] = total
        return total

    size(root, 0)


def _convert(node: yaml.Node, path: Path, loader: yaml.SafeLoader, text: str) -> Node:
    pos = _pos(path, node.start_mark)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Node] = {}
        keys: dict[str, SourcePos] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "…"
            out[key] = _convert(value_node, path, loader, text)
            keys[key] = _pos(path, key_node.start_mark)
        return Node(out, pos, keys=keys)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(v, path, loader, text) for v in node.value], pos)
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, OverflowError, yaml.YAMLError):  # 2024-13-45 resolves as a date and is none: keep the text for the schema to refuse
        value = node.value
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
