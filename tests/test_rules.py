"""The rule registry: every rule id in the source is declared, every declared rule is used,
docs/rules.md is the registry's text, and an undeclared id fails where it is made."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from typeset.check.images import MIN_PPI, PRINT_PPI
from typeset.cli import main
from typeset.diagnostics import error, warning
from typeset.model import SourcePos
from typeset.rules import RULES, UnknownRule, markdown

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "typeset"
_ID = re.compile(r"[a-z]+\.[a-z]+(?:-[a-z0-9]+)*")
_FILE_SUFFIXES = {"yaml", "css", "json", "log", "pdf", "csl", "html", "md", "png", "svg", "txt", "icc"}
_MAKERS = {"error", "warning"}


def _makers(func: ast.expr) -> set[str]:
    """`error`, `warning`, or both for `(error if low else warning)`."""
    if isinstance(func, ast.Name) and func.id in _MAKERS:
        return {func.id}
    if isinstance(func, ast.IfExp):
        return _makers(func.body) | _makers(func.orelse)
    return set()


def rule_ids_in_source() -> dict[str, set[str]]:
    """Rule ids written in src/ (outside rules.py) → severities they are made with at a call site.

    An id is the first argument of `error(...)`/`warning(...)`, or any other string of the id's
    shape whose prefix is a declared rule's (ids kept in tables, or as an exception's `code`).
    """
    prefixes = {rule_id.split(".")[0] for rule_id in RULES}
    found: dict[str, set[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "rules.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                if makers := _makers(node.func):
                    found.setdefault(node.args[0].value, set()).update(makers)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _ID.fullmatch(node.value):
                prefix, _, rest = node.value.partition(".")
                if prefix in prefixes and rest not in _FILE_SUFFIXES:
                    found.setdefault(node.value, set())
    return found


def test_every_rule_id_in_the_source_is_declared_with_its_severity() -> None:
    found = rule_ids_in_source()
    assert len(found) > 50  # the scan itself works
    undeclared = sorted(set(found) - set(RULES))
    assert not undeclared, f"declare these rule ids in src/typeset/rules.py: {undeclared}"
    wrong = {code: made for code, made in found.items() if not made <= set(RULES[code].severities)}
    assert not wrong, f"made with a severity their rule does not declare: {wrong}"


def test_every_declared_rule_is_used() -> None:
    assert sorted(set(RULES) - set(rule_ids_in_source())) == []


def test_every_rule_says_what_it_means_and_how_to_fix_it() -> None:
    for rule in RULES.values():
        assert rule.means.endswith(".") and rule.fix.endswith("."), rule.id
        assert "\n" not in rule.means + rule.fix, rule.id


def test_two_severities_name_the_thresholds_the_code_uses() -> None:
    low = RULES["image.low-resolution"]
    assert low.severity_text == f"warning; error below {MIN_PPI} ppi, where print is visibly blurred"
    assert f"{PRINT_PPI} ppi" in low.means
    assert RULES["ref.no-accessed"].severities == ("warning",)


def test_an_undeclared_rule_or_severity_fails_where_it_is_made() -> None:
    pos = SourcePos(Path("issue.yaml"), 1, 1)
    with pytest.raises(UnknownRule, match=re.escape("'ref.no-acessed' is not declared")):
        warning("ref.no-acessed", pos, "message")
    with pytest.raises(UnknownRule, match="declared as warning, not reported as error"):
        error("ref.no-accessed", pos, "message")
    assert warning("image.low-resolution", pos, "m").severity == "warning"
    assert error("image.low-resolution", pos, "m").severity == "error"


def test_docs_rules_md_is_the_registry() -> None:
    text = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert text == markdown(), "docs/rules.md is stale: run `folio rules > docs/rules.md`"
    assert all(f"| `{code}` |" in text for code in RULES)


def test_the_rules_command_prints_one_rule_or_all() -> None:
    runner = CliRunner()
    everything = runner.invoke(main, ["rules"])
    assert everything.exit_code == 0 and everything.output == markdown()
    one = runner.invoke(main, ["rules", "ref.no-accessed"])
    assert one.exit_code == 0
    assert one.output.splitlines()[0] == "ref.no-accessed (warning)"
    assert RULES["ref.no-accessed"].fix in one.output
    typo = runner.invoke(main, ["rules", "ref.no-acessed"])
    assert typo.exit_code == 2 and "did you mean 'ref.no-accessed'" in typo.output
