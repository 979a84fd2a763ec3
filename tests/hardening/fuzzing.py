"""Hostile issue folders, generated: the fuzz test's inputs (test_fuzz.py, and bench/fuzz.py's long run).

An example is the minimal issue (tests/roots/minimal) with a few faults planted, each drawn from
what an issue folder is made of: a field of the schema (`typeset.load.schema`) or of a CSL item set
to a hostile value; hostile bytes in a YAML file's text; a hostile file (or link, folder, FIFO)
where the issue names one; hostile links in the output folder. `run_example` runs `check` and
`build` on it and returns what broke the promise: an exit code other than 0, 1 or 2, a traceback,
a hang, or any change outside the output folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from harness import Hang, Run, copy_minimal, typeset_together
from hypothesis import strategies as st

from typeset.load.schema import SECTIONS

TIMEOUT = 60.0
"""Seconds each command may take on one example (the minimal issue builds in about 1 s)."""

FILES = {"issue.yaml": "issue.yaml", "article": "articles/one.yaml", "references": "references/refs.yaml"}
CSL_FIELDS = [
    "id",
    "type",
    "title",
    "author",
    "editor",
    "issued",
    "accessed",
    "URL",
    "DOI",
    "ISBN",
    "page",
    "volume",
    "container-title",
    "publisher",
    "language",
    "note",
]
MARKDOWN_FIELDS = {("foreword", "body"), ("article", "body"), ("article", "key_takeaways"), ("article", "recommendations")}

NASTY = [
    "",
    " ",
    "   ",
    "\x00",
    "\x07",
    "\x1b[2J",
    "\u202e",
    "\ufeff",
    "\u2028",
    "\ud800",
    "\udfff",
    "\U0010ffff",
    "../../..",
    "../../outside/precious.png",
    "../outside",
    "/etc/passwd",
    "/dev/zero",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "mailto:",
    "https://",
    "http://[::1",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "{% include '/etc/passwd' %}",
    "%s%n%x",
    "~",
    "no",
    "1.10",
    "0x1F",
    "2024-13-45",
    ".inf",
    "'",
    '"',
    "\\",
    "😀",
    "ǅ",
    "e\u0301",
    "A" * 5000,
    "word " * 3000,
    "x" * 400,
    "styles/default",
    "default",
    "oscola",
    "apa",
    "xx-YY",
    'en"]',
    "screen",
    "print",
    "archive",
    "images/fig.png",
    "articles/one.yaml",
    "references/refs.yaml",
    "articles",
    "issue.yaml",
    ".",
    "..",
    "images/chart.svg",
]
MARKDOWN = [
    "[@brett-2003]",
    "[@nope]",
    "[@]",
    "[]",
    "^[",
    "^[note]",
    "]",
    "[",
    "[sic]",
    "[see @brett-2003, para 3; @icrc-2013]",
    "[@brett-2003, parra 3]",
    "*",
    "**",
    "_",
    "`",
    "```",
    "# ",
    "## Heading",
    "\n\n",
    "\n",
    "|a|b|\n|-|-|\n|c|d|\n",
    '![x](images/fig.png){alt="y"}',
    "![x]()",
    "![x](../../outside/precious.png)",
    "![x](/etc/passwd)",
    "[a](javascript:alert(1))",
    "[a](file:///etc/passwd)",
    '{style="position:fixed"}',
    "{id=a1}",
    "{src=/etc/passwd}",
    "<script>",
    "<!--",
    "&#0;",
    "&amp;",
    "\\",
    "\n[r]: https://example.org\n",
    "[a][r]",
    "x" * 300,
    "1. ",
    "- ",
    "> ",
    "    code",
    "---",
    "^[" * 500,
    "*" * 500,
    "[" * 500,
    "{" * 50,
    "@",
]
RAW = [
    b"\x00",
    b"\x01",
    b"\xff\xfe",
    b"\xe9",
    b"!!python/object/apply:os.system [ls] ",
    b"!mytag ",
    b"<<: *a\n",
    b"&a ",
    b"*a",
    b"{",
    b"[" * 1000,
    b"\t",
    b"\r",
    b"%YAML 1.1\n",
    b"---\n",
    b"...\n",
    b'\n"\\e[2J": 1\n',
    b"\nkeywords: &k [a, *k]\n",
    b"\nx: " + b"{a: " * 3000 + b"b" + b"}" * 3000 + b"\n",
]


@dataclass(frozen=True)
class SetField:
    """`file`'s value at `keys` (mapping keys; 0 is a list's first item) set to `value`."""

    file: str
    keys: tuple[str | int, ...]
    value: Any


@dataclass(frozen=True)
class RawBytes:
    """`data` inserted into `file`'s text at `at` (a fraction of its length), or the text cut there."""

    file: str
    at: float
    data: bytes
    cut: bool = False


@dataclass(frozen=True)
class HostileFile:
    """`path` (in the issue) made `kind`: bytes, a link out, a loop, a folder, a FIFO, an SVG or a PNG bomb."""

    path: str
    kind: str
    data: bytes = b""


@dataclass(frozen=True)
class HostileOutput:
    """The output folder as left by someone else: a link out where a file or folder goes, a file where a folder goes."""

    kind: str


@dataclass(frozen=True)
class Example:
    faults: tuple[SetField | RawBytes | HostileFile | HostileOutput, ...]
    with_css: bool = False


@dataclass
class Outcome:
    codes: dict[str, int | None] = field(default_factory=dict)  # None: hung
    problems: list[str] = field(default_factory=list)


def _text() -> st.SearchStrategy[str]:
    markdown = st.lists(st.one_of(st.sampled_from(MARKDOWN), st.text(max_size=12)), max_size=25).map("".join)
    return st.one_of(st.sampled_from(NASTY), st.text(max_size=40), markdown)


def _value(kind: str) -> st.SearchStrategy[Any]:
    text = _text()
    anything = st.recursive(
        st.one_of(text, st.integers(), st.booleans(), st.none(), st.floats()),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
        max_leaves=8,
    )
    by_kind: dict[str, st.SearchStrategy[Any]] = {
        "str": text,
        "int": st.one_of(st.integers(min_value=-(2**70), max_value=2**70), st.sampled_from([-1, 0, 10**15, 2**63])),
        "bool": st.booleans(),
        "date": st.one_of(st.dates(), st.sampled_from(["2024-13-45", "2024-02-30", "0000-00-00"])),
        "list": st.lists(anything, max_size=4),
        "list[str]": st.lists(text, max_size=4),
        "map": st.dictionaries(text, anything, max_size=4),
        "list[map]": st.lists(st.dictionaries(text, anything, max_size=3), max_size=3),
        "period": st.one_of(st.dates(), st.sampled_from(["June 2024", "Spring 2024", "2024-06", "2024-13", "Smarch 2024", "2024-02-30"])),
    }
    typed = by_kind.get(kind, anything)  # a kind the schema gained since: any value
    return st.one_of(typed, typed, anything)  # mostly the right type, sometimes any


@st.composite
def _set_field(draw: st.DrawFn) -> SetField:
    """A field of issue.yaml (in its sections too), of the article, or of a CSL item, set to a value
    of its declared kind or of any kind."""
    role = draw(st.sampled_from(sorted(FILES)))
    if role == "references":
        item = draw(st.integers(0, 1))
        name = draw(st.sampled_from(CSL_FIELDS))
        return SetField(FILES[role], ("references", item, name), draw(_value("str") | _value("map") | _value("list")))
    section = "article" if role == "article" else "issue.yaml"
    keys: tuple[str | int, ...] = ()
    while True:
        name = draw(st.sampled_from(sorted(SECTIONS[section])))
        spec = SECTIONS[section][name]
        keys = (*keys, name)
        if spec.kind in ("map", "list[map]") and draw(st.booleans()):
            keys = (*keys, 0) if spec.kind == "list[map]" else keys
            section = spec.fields_of
            continue
        markdown = (section, name) in MARKDOWN_FIELDS and draw(st.booleans())
        return SetField(FILES[role], keys, draw(_text() if markdown else _value(spec.kind)))


_FILE_KINDS = ["empty", "bytes", "cut", "link-out", "link-absolute", "link-loop", "folder", "fifo", "svg", "png-bomb", "css"]


@st.composite
def _hostile_file(draw: st.DrawFn) -> HostileFile:
    path = draw(
        st.sampled_from(["images/cover.png", "images/fig.png", "images/chart.svg", "references/refs.yaml", "articles/one.yaml", "issue.yaml", "local.css"])
    )
    kind = draw(st.sampled_from(_FILE_KINDS))
    return HostileFile(path, kind, draw(st.binary(max_size=400)) if kind == "bytes" else b"")


def examples() -> st.SearchStrategy[Example]:
    fault = st.one_of(
        _set_field(),
        _set_field(),
        _set_field(),
        st.builds(RawBytes, st.sampled_from(sorted(FILES.values())), st.floats(0, 1), st.sampled_from(RAW), st.just(False)),
        st.builds(RawBytes, st.sampled_from(sorted(FILES.values())), st.floats(0, 1), st.just(b""), st.just(True)),
        _hostile_file(),
        st.builds(HostileOutput, st.sampled_from(["images-link", "pdf-link", "html-link", "cache-link", "cache-file", "image-link"])),
    )
    return st.builds(Example, st.lists(fault, min_size=1, max_size=4).map(tuple), st.booleans())


# --- planting ----------------------------------------------------------------------------------------

PDF = "the-test-monitor-issue-3.pdf"
_PNG_BOMB = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
_PNG_BOMB += struct.pack(">I", zlib.crc32(_PNG_BOMB[12:29]))
_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="170mm" height="90mm">'
    '<image href="../../outside/precious.png" width="9" height="9"/><image xlink:href="file:///etc/hostname" width="9" height="9"/>'
    '<image href="https://example.org/x.png" width="9" height="9"/><script>alert(1)</script>'
    '<style>rect { fill: url("../../outside/precious.png") }</style></svg>'
)
_CSS = (
    "body { font-family: 'DejaVu Sans'; background: url('../outside/precious.png') }\n"
    "@font-face { font-family: X; src: local('DejaVu Sans'), url('/usr/share/fonts/x.ttf'), url('fontpkg:Nope/950') ;"
    " unicode-range: U+XYZ, U+110000 }\n@page { margin: 0 150mm }\n@import url('../outside/precious');\n"
)


def _plant(example: Example, issue: Path, outside: Path) -> None:
    documents = {name: yaml.safe_load((issue / name).read_text(encoding="utf-8")) for name in FILES.values()}
    if example.with_css:
        documents["issue.yaml"].setdefault("settings", {})["css"] = ["local.css"]
        (issue / "local.css").write_text("p { color: #222 }\n", encoding="utf-8")
    for fault in example.faults:
        if isinstance(fault, SetField):
            _set(documents[fault.file], fault.keys, fault.value)
    for name, data in documents.items():
        (issue / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for fault in example.faults:
        if isinstance(fault, RawBytes) and (issue / fault.file).is_file() and not (issue / fault.file).is_symlink():
            text = (issue / fault.file).read_bytes()
            at = int(len(text) * fault.at)
            (issue / fault.file).write_bytes(text[:at] if fault.cut else text[:at] + fault.data + text[at:])
        elif isinstance(fault, HostileFile):
            _hostile(issue / fault.path, fault, outside)


def _set(data: Any, keys: tuple[str | int, ...], value: Any) -> None:
    """Set a nested value, making the mappings and lists on the way (a list index past the end appends)."""
    for i, key in enumerate(keys):
        last = i == len(keys) - 1
        if isinstance(key, int):
            if not isinstance(data, list):
                return
            while len(data) <= key:
                data.append({})
            if last:
                data[key] = value
            data = data[key]
        else:
            if not isinstance(data, dict):
                return
            if last:
                data[key] = value
            data = data.setdefault(key, {})


def _hostile(path: Path, fault: HostileFile, outside: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    kind = fault.kind
    if kind == "link-out":
        os.symlink(os.path.relpath(outside / "precious.png", path.parent), path)
    elif kind == "link-absolute":
        os.symlink("/etc/hostname", path)
    elif kind == "link-loop":
        os.symlink(path.name, path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        contents = {"empty": b"", "bytes": fault.data, "cut": b"\x89PNG\r\n\x1a\n\x00\x00", "svg": _SVG.encode(), "png-bomb": _PNG_BOMB, "css": _CSS.encode()}
        path.write_bytes(contents[kind])


def _hostile_output(out: Path, outside: Path, kind: str) -> None:
    name = {
        "cache-file": ".typeset-cache",
        "images-link": "images",
        "pdf-link": PDF,
        "html-link": PDF.replace(".pdf", ".html"),
        "cache-link": ".typeset-cache",
        "image-link": "images/fig.png",
    }[kind]
    target = out / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    else:
        target.unlink(missing_ok=True)  # an earlier fault of the same example put something there
    if kind == "cache-file":
        target.write_text("not a folder")
    else:
        os.symlink(outside if kind in ("images-link", "cache-link") else outside / "precious", target)


# --- running -----------------------------------------------------------------------------------------


def snapshot(folder: Path, skip: Path) -> dict[str, str]:
    """Every entry under `folder` but `skip`: its type and its content's digest (links by target; nothing opened but regular files)."""
    found: dict[str, str] = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if Path(root, d) != skip]
        for name in dirs + files:
            path = Path(root, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                found[str(path)] = "link " + os.readlink(path)
            elif stat.S_ISREG(mode):
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[str(path)] = stat.filemode(mode)[0]
    return found


def run_example(example: Example, folder: Path) -> Outcome:
    """Plant `example` in `folder/work/issue`, run check and build from `folder/work`, and say what broke the promise."""
    work, outside = folder / "work", folder / "outside"
    outside.mkdir(parents=True)
    (outside / "precious").write_bytes(b"nothing may write here")
    (outside / "precious.png").write_bytes(_PNG_BOMB[:8])
    issue = copy_minimal(work)
    _plant(example, issue, outside)
    for fault in example.faults:
        if isinstance(fault, HostileOutput):
            _hostile_output(work / "out", outside, fault.kind)
    before = snapshot(folder, skip=work / "out")
    outcome = Outcome()
    # Both at once (check's start-up overlaps build's): neither reads what the other writes.
    runs = typeset_together(["check", "issue"], ["build", "issue", "-o", "out"], cwd=work, timeout=TIMEOUT)
    for name, future in zip(("check", "build"), runs, strict=True):
        try:
            run: Run | None = future.result()
        except Hang as hang:
            run = None
            outcome.problems.append(f"{name} hung: {hang}")
        outcome.codes[name] = run.code if run else None
        if run is None:
            continue
        if run.code not in (0, 1, 2):
            outcome.problems.append(f"{name} exited {run.code}:\n{run.output[-2000:]}")
        elif "Traceback" in run.output:
            outcome.problems.append(f"{name} printed a traceback:\n{run.output[-2000:]}")
        elif run.code == 1 and "error[" not in run.output:
            outcome.problems.append(f"{name} exited 1 without an error[rule]:\n{run.output[-2000:]}")
    after = snapshot(folder, skip=work / "out")
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if changed:
        outcome.problems.append("changed outside the output folder: " + ", ".join(changed[:10]))
    return outcome
