"""Faulty content, one case per fault of issue 10, planted in a copy of tests/roots/minimal.

Each case names the rule `build` must refuse it with (exit 1) and where: the file and, where
the fault sits on one line, that line. The themed test files run `build` and `check` on each
case of their group (assert_refused) and expect the same rule of both.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from harness import Run, add_setting, assert_content_error, copy_minimal, edit, typeset, typeset_together

Plant = Callable[[Path], None]
ARTICLE = "articles/one.yaml"
REFS = "references/refs.yaml"


@dataclass(frozen=True)
class Case:
    name: str
    plant: Plant
    rule: str
    file: str
    line: int | None = None

    def __str__(self) -> str:
        return self.name


def replace(file: str, old: str, new: str) -> Plant:
    return lambda issue: edit(issue / file, old, new)


def raw(file: str, old: bytes, new: bytes) -> Plant:
    """Replace bytes: for characters no text editor API would write."""

    def plant(issue: Path) -> None:
        data = (issue / file).read_bytes()
        assert old in data
        (issue / file).write_bytes(data.replace(old, new, 1))

    return plant


def both(*plants: Plant) -> Plant:
    def plant(issue: Path) -> None:
        for p in plants:
            p(issue)

    return plant


def setting(line: str) -> Plant:
    return lambda issue: add_setting(issue, line)


def file(name: str, content: str | bytes) -> Plant:
    def plant(issue: Path) -> None:
        target = issue / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")

    return plant


def local_css(css: str | bytes) -> Plant:
    """`local.css` with `css`, named by `settings: css` on issue.yaml's line 31."""
    return both(file("local.css", css), setting("css: [local.css]"))


def body(text: str) -> Plant:
    """The article's first paragraph (line 8) replaced by `text`."""
    return replace(ARTICLE, "A claim with a source.[@brett-2003, p 860-862] Another claim.[@icrc-2013, p 1-3]", text)


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """`keywords:` as a billion-laughs list: `levels` lists of `width` aliases of the one before."""
    lines = ["  keywords:", "    - &l0 [" + ", ".join(["lol"] * width) + "]"]
    lines += [f"    - &l{n} [" + ", ".join([f"*l{n - 1}"] * width) + "]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def symlink(name: str, target: str) -> Plant:
    def plant(issue: Path) -> None:
        (issue / name).unlink(missing_ok=True)
        os.symlink(target, issue / name)

    return plant


def fifo(name: str) -> Plant:
    def plant(issue: Path) -> None:
        (issue / name).unlink()
        os.mkfifo(issue / name)

    return plant


def outside_file(relative: str, content: bytes) -> Plant:
    """A file outside the issue folder (beside it), for faults that point there."""

    def plant(issue: Path) -> None:
        target = issue.parent / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)

    return plant


def issue_yaml_outside(issue: Path) -> None:
    os.replace(issue / "issue.yaml", issue.parent / "elsewhere.yaml")
    os.symlink("../elsewhere.yaml", issue / "issue.yaml")


def big_png(name: str, width: int, height: int) -> Plant:
    """A real (1-bit, so small on disk) PNG of width × height pixels."""

    def plant(issue: Path) -> None:
        from PIL import Image

        Image.new("1", (width, height)).save(issue / name)

    return plant


def truncated_icc(issue: Path) -> None:
    """A CMYK profile cut at two thirds: LittleCMS opens it, and fails when it converts."""
    from typeset.output.profiles import GHOSTSCRIPT_CMYK

    data = GHOSTSCRIPT_CMYK.read_bytes()
    (issue / "press.icc").write_bytes(data[: len(data) * 2 // 3])


PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
)

YAML = [
    Case("raw U+0000 in YAML", raw("issue.yaml", b"region: Nowhere", b"region: No\x00where"), "yaml.bad-character", "issue.yaml", 3),
    Case("raw U+0001 in YAML", raw("issue.yaml", b"region: Nowhere", b"region: No\x01where"), "yaml.bad-character", "issue.yaml", 3),
    Case("lone surrogate", replace("issue.yaml", "region: Nowhere", 'region: "No\\ud800where"'), "yaml.bad-character", "issue.yaml", 3),
    Case("impossible date", replace("issue.yaml", "date: 2024-06\n", "date: 2024-13-45\n"), "schema.date", "issue.yaml", 12),
    Case("impossible accessed date", replace(REFS, "  page: '852'\n", "  page: '852'\n  accessed: 2024-02-30\n"), "ref.bad-date", REFS, 10),
    Case("custom tag", replace("issue.yaml", "region: Nowhere", "region: !mytag Nowhere"), "yaml.tag", "issue.yaml", 3),
    Case("python/name tag", replace("issue.yaml", "region: Nowhere", "region: !!python/name:os.system"), "yaml.tag", "issue.yaml", 3),
    Case("python/object tag", replace("issue.yaml", "region: Nowhere", "region: !!python/object/apply:os.system [ls]"), "yaml.tag", "issue.yaml", 3),
    Case(
        "merge key",
        replace(
            "issue.yaml", "  - role: Editor\n    names: [Ada Editor]\n", "  - &ed {role: Editor, names: [Ada Editor]}\n  - <<: *ed\n    role: Deputy editor\n"
        ),
        "yaml.merge-key",
        "issue.yaml",
        17,
    ),
    Case("self-referential alias", replace("issue.yaml", "keywords: [testing]", "keywords: &k [testing, *k]"), "yaml.recursive-alias", "issue.yaml", 14),
    Case("1,000 nested lists", replace("issue.yaml", "keywords: [testing]", "keywords: " + "[" * 1000 + "]" * 1000), "limit.yaml-depth", "issue.yaml", 14),
    Case(
        "5,000 nested maps", replace("issue.yaml", "keywords: [testing]", "keywords: " + "{a: " * 5000 + "b" + "}" * 5000), "limit.yaml-depth", "issue.yaml", 14
    ),
    Case("alias bomb", replace("issue.yaml", "  keywords: [testing]\n", alias_bomb()), "limit.yaml-nodes", "issue.yaml"),
    Case("duplicate key", replace("issue.yaml", "  region: Nowhere\n", "  region: Nowhere\n  region: Elsewhere\n"), "yaml.duplicate-key", "issue.yaml", 4),
    Case("YAML file of 6 MB", replace(ARTICLE, "Keep testing.", "Keep " + "testing " * 800_000), "limit.file-size", "issue.yaml", 26),
]

PATHS = [
    Case("article path with NUL", replace("issue.yaml", "- articles/one.yaml", '- "articles/one\\0.yaml"'), "path.invalid", "issue.yaml", 26),
    Case("article path of 5,000 characters", replace("issue.yaml", "- articles/one.yaml", "- " + "a/" * 2500 + "one.yaml"), "path.invalid", "issue.yaml", 26),
    Case(
        "article path a symlink loop",
        both(symlink("articles/loop.yaml", "loop.yaml"), replace("issue.yaml", "articles/one.yaml", "articles/loop.yaml")),
        "path.invalid",
        "issue.yaml",
        26,
    ),
    Case("article path a FIFO", fifo(ARTICLE), "path.not-a-file", "issue.yaml", 26),
    Case(
        "article listed twice",
        replace("issue.yaml", "  - articles/one.yaml\n", "  - articles/one.yaml\n  - articles/one.yaml\n"),
        "article.duplicate",
        "issue.yaml",
        27,
    ),
    Case(
        "theme folder outside",
        both(outside_file("outside/theme.css", b"body { color: red }"), setting("theme: ../outside")),
        "path.outside-issue",
        "issue.yaml",
        31,
    ),
    Case("issue.yaml a symlink to a file outside", issue_yaml_outside, "path.outside-issue", "issue.yaml"),
    Case(
        "SVG naming an image outside",
        both(
            outside_file("outside.png", PNG_1PX),
            file(
                "images/chart.svg",
                '<svg xmlns="http://www.w3.org/2000/svg" width="170mm" height="90mm">\n<image href="../../outside.png" width="10" height="10"/>\n</svg>\n',
            ),
        ),
        "path.outside-issue",
        "images/chart.svg",
        2,
    ),
    Case(
        "CSS URL outside",
        both(outside_file("outside.png", PNG_1PX), local_css("body {\n  background: url('../outside.png');\n}\n")),
        "path.outside-issue",
        "local.css",
        2,
    ),
    Case("image of 110 megapixels", big_png("images/fig.png", 11_000, 10_000), "limit.image-pixels", ARTICLE, 11),
]

CSS = [
    Case("machine font by family name", local_css("body {\n  font-family: 'DejaVu Sans';\n}\n"), "css.font-family", "local.css", 2),
    Case("@font-face from a machine font", local_css("@font-face {\n  font-family: Mine;\n  src: local('DejaVu Sans');\n}\n"), "css.font-face", "local.css", 3),
    Case(
        "unknown fontpkg family",
        local_css("@font-face {\n  font-family: Mine;\n  src: url('fontpkg:No Such Family/400');\n}\n"),
        "css.font-face",
        "local.css",
        3,
    ),
    Case("unknown fontpkg weight", local_css("@font-face {\n  font-family: Mine;\n  src: url('fontpkg:PT Serif/950');\n}\n"), "css.font-face", "local.css", 3),
    Case(
        "unicode-range U+XYZ",
        local_css("@font-face {\n  font-family: 'PT Serif';\n  src: url('fontpkg:PT Serif/400');\n  unicode-range: U+XYZ;\n}\n"),
        "css.unicode-range",
        "local.css",
        4,
    ),
    Case(
        "unicode-range beyond U+10FFFF",
        local_css("@font-face {\n  font-family: 'PT Serif';\n  src: url('fontpkg:PT Serif/400');\n  unicode-range: U+110000-11FFFF;\n}\n"),
        "css.unicode-range",
        "local.css",
        4,
    ),
    Case(
        "margins that leave no text width",
        local_css("@page :left {\n  margin: 20mm 150mm;\n}\n@page :right {\n  margin: 20mm 150mm;\n}\n"),
        "css.no-text-width",
        "local.css",
        5,
    ),
    Case("Latin-1 stylesheet", local_css("p::after {\n  content: 'caf\xe9';\n}\n".encode("latin-1")), "file.encoding", "local.css"),
    Case(
        "CSL file whose root is not <style>",
        both(
            file("mine.csl", '<?xml version="1.0"?>\n<locale xmlns="http://purl.org/net/xbiblio/csl"/>\n'),
            replace("issue.yaml", "style: oscola", "style: mine.csl"),
        ),
        "cite.unknown-style",
        "issue.yaml",
        30,
    ),
    Case("locale with a quote", setting("""locale: 'en"]'"""), "cite.unknown-locale", "issue.yaml", 31),
    Case("unknown locale", setting("locale: xx-YY"), "cite.unknown-locale", "issue.yaml", 31),
    Case(
        "print profile cut short",
        both(truncated_icc, setting("print_profile: press.icc"), setting("profiles: [print]")),
        "print.bad-icc-profile",
        "issue.yaml",
        31,
    ),
    Case("print profile missing", both(setting("print_profile: press.icc"), setting("profiles: [print]")), "print.no-icc-profile", "issue.yaml", 31),
    Case("pad_to of 100,000", setting("pad_to: 100000"), "limit.pad-to", "issue.yaml", 31),
]

CONTENT = [
    Case("website with javascript:", replace("issue.yaml", "website: https://example.org", "website: 'javascript:alert(1)'"), "link.unsafe", "issue.yaml", 8),
    Case(
        "website with data:",
        replace("issue.yaml", "website: https://example.org", "website: 'data:text/html,<script>alert(1)</script>'"),
        "link.unsafe",
        "issue.yaml",
        8,
    ),
    Case("contact with javascript:", replace("issue.yaml", "contact: office@example.org", "contact: 'javascript:alert(1)'"), "link.unsafe", "issue.yaml", 9),
    Case(
        "style attribute on a link",
        body('See [the page](https://example.org){style="position:fixed; inset:0; background:red"}.'),
        "markdown.attribute",
        ARTICLE,
        8,
    ),
    Case(
        "style attribute on a figure",
        replace(ARTICLE, 'alt="A grey panel"}', 'alt="A grey panel" style="position:fixed; inset:0; background:red"}'),
        "markdown.attribute",
        ARTICLE,
        11,
    ),
    Case("id attribute on a link", body("See [the page](https://example.org){id=a1}."), "markdown.attribute", ARTICLE, 8),
    Case("src attribute on a figure", replace(ARTICLE, 'alt="A grey panel"}', 'alt="A grey panel" src="/etc/passwd"}'), "markdown.attribute", ARTICLE, 11),
    Case("negative issue number", replace("issue.yaml", "number: 3", "number: -3"), "schema.range", "issue.yaml", 11),
    Case("absurd issue number", replace("issue.yaml", "number: 3", "number: 1000000000000000"), "schema.range", "issue.yaml", 11),
    Case("blank body", replace(ARTICLE, "body: |\n", "body: '   '\nx-body: |\n"), "schema.empty-field", ARTICLE, 5),
    Case("5,000 stars around a word", body("*" * 5000 + "word" + "*" * 5000), "limit.markdown-nesting", ARTICLE, 8),
    Case(
        "escaped control character in a title",
        replace(ARTICLE, "title: 'A Test Article: With a Colon'", 'title: "A Test\\a Article"'),
        "text.control-character",
        ARTICLE,
        1,
    ),
]

BUILD = ["build", "issue", "-o", "out", "--no-web"]
"""The web edition is left out, as no case is about it (test_breaches writes it)."""


def run_case(case: Case, folder: Path, command: str = "build") -> Run:
    """`build` (or `check`) of a copy of the minimal issue with the case's fault, from `folder`."""
    issue = copy_minimal(folder)
    case.plant(issue)
    return typeset(*(BUILD if command == "build" else [command, "issue"]), cwd=folder)


def assert_refused(case: Case, folder: Path) -> None:
    """`build` refuses the case's fault with its rule, where it is, and writes no PDF; and `check`
    finds the same (issue 10, item 9). Both run at once on one copy of the minimal issue."""
    issue = copy_minimal(folder)
    case.plant(issue)
    build, check = (run.result() for run in typeset_together(BUILD, ["check", "issue"], cwd=folder))
    assert_content_error(build, case.rule, case.file, case.line)
    assert not list((folder / "out").glob("*.pdf"))
    assert_content_error(check, case.rule, case.file, case.line)


EMPTY_FIGURE = Case("figure with an empty path", replace(ARTICLE, "](images/fig.png)", "]()"), "image.none", ARTICLE, 11)
"""Not an error: an empty frame with its caption, which `check` and `build` both warn of (it crashed build)."""
