"""The schema as editors get it: `folio schema` and docs/schema/ agree, the sample validates
against it, and a planted fault fails it and the loader alike."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft7Validator, Draft202012Validator

from typeset.cli import main
from typeset.load.json_schema import FILES, json_schema, schema_text
from typeset.pipeline import prepare

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "issue"
CLEAN = REPO / "tests" / "roots" / "check-clean"
KIND_OF = {"issue.yaml": "issue", "articles": "article", "references": "references"}


def as_editors_read(path: Path) -> Any:
    """The file's data as a YAML 1.2 editor reads it: an unquoted 2024-06-30 is text there, not a date."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if isinstance(value, dt.date) else value

    return plain(yaml.safe_load(path.read_text(encoding="utf-8")))


def problems(kind: str, path: Path) -> list[str]:
    return [error.message for error in Draft202012Validator(json_schema(kind)).iter_errors(as_editors_read(path))]


def sample_files() -> list[tuple[str, Path]]:
    return [(KIND_OF[p.relative_to(SAMPLE).parts[0]], p) for p in sorted(SAMPLE.rglob("*.yaml"))]


@pytest.mark.parametrize("kind", list(FILES))
def test_docs_schema_is_what_the_command_prints(kind: str) -> None:
    committed = (REPO / "docs" / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(kind), "docs/schema/ is stale: run `folio schema --write docs/schema`"
    printed = CliRunner().invoke(main, ["schema", kind])
    assert printed.exit_code == 0 and printed.output == committed


@pytest.mark.parametrize("kind", list(FILES))
def test_each_schema_is_valid_in_draft_2020_12_and_draft_07(kind: str) -> None:
    schema = json_schema(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    Draft7Validator.check_schema(schema)  # yaml-language-server checks schemas against draft-07


def test_the_sample_validates_and_names_its_schema_in_its_first_line() -> None:
    files = sample_files()
    assert len(files) == 13
    for kind, path in files:
        assert problems(kind, path) == [], path
        first = path.read_text(encoding="utf-8").splitlines()[0]
        prefix = "# yaml-language-server: $schema="
        assert first.startswith(prefix), path
        assert (path.parent / first.removeprefix(prefix)).resolve() == REPO / "docs" / "schema" / f"{kind}.schema.json"


# A fault planted in tests/roots/check-clean: file, where, the value written there, the loader's rule.
PLANTS: list[tuple[str, tuple[str | int, ...], Any, str]] = [
    ("issue.yaml", ("publication", "titel"), "The Check Monitor", "schema.unknown-field"),
    ("issue.yaml", ("issue", "number"), "eight", "schema.type"),
    ("issue.yaml", ("issue", "date"), "the 30th of June", "schema.date"),
    ("issue.yaml", ("settings", "notes"), "margin", "schema.choice"),
    ("issue.yaml", ("settings", "offprints"), "sometimes", "schema.type"),
    ("issue.yaml", ("settings", "pad_to"), [4], "schema.type"),
    ("issue.yaml", ("credits",), {"role": "Editor"}, "schema.type"),
    ("issue.yaml", ("cover", "alt"), None, "schema.empty-field"),
    ("issue.yaml", ("check",), {"accept": [{"rule": "ref.no-acessed", "reason": "typo"}]}, "schema.choice"),
    ("articles/one.yaml", ("key_takeaway",), ["A point."], "schema.unknown-field"),
    ("articles/one.yaml", ("authors",), {"name": "Ada"}, "schema.type"),
    ("articles/one.yaml", ("title",), ["A", "B"], "schema.type"),
    ("references/refs.yaml", ("references", 0, "titel"), "Title", "ref.unknown-field"),
    ("references/refs.yaml", ("references", 0, "type"), "bok", "ref.unknown-type"),
    ("references/refs.yaml", ("references", 0, "author"), "Smith, Jane", "ref.bad-name"),
    ("references/refs.yaml", ("references", 0, "issued"), "June 2020", "ref.bad-date"),
]


@pytest.mark.parametrize(("file", "where", "value", "rule"), PLANTS, ids=[f"{f}:{'.'.join(map(str, w))}" for f, w, _, _ in PLANTS])
def test_a_planted_fault_fails_the_schema_and_the_loader(tmp_path: Path, file: str, where: tuple[str | int, ...], value: Any, rule: str) -> None:
    root = tmp_path / "issue"
    shutil.copytree(CLEAN, root)
    path = root / file
    kind = KIND_OF[Path(file).parts[0]]
    assert problems(kind, path) == []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    *parents, last = where
    target = data
    for key in parents:
        target = target[key]
    target[last] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert problems(kind, path), f"the schema accepts {file} with {where} = {value!r}"
    assert rule in {d.code for d in prepare(root).diagnostics}


def test_an_unknown_rule_in_check_accept_names_the_nearest_rule(tmp_path: Path) -> None:
    root = tmp_path / "issue"
    shutil.copytree(CLEAN, root)
    issue = root / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8") + "check:\n  accept:\n    - rule: ref.no-acessed\n      reason: typo\n", encoding="utf-8")
    diags = prepare(root).diagnostics
    [diag] = [d for d in diags if d.code == "schema.choice"]
    assert "check.unused-accept" not in {d.code for d in diags}  # reported once, as what it is
    assert diag.severity == "error"
    assert (diag.pos.line, diag.pos.col) == (33, 13)  # the value after "    - rule: "
    assert diag.message == "'ref.no-acessed' is not a valid accept.rule"
    assert diag.hint.startswith("did you mean 'ref.no-accessed'")


def test_the_schema_command_prints_one_or_writes_all(tmp_path: Path) -> None:
    runner = CliRunner()
    printed = runner.invoke(main, ["schema", "references"])
    assert json.loads(printed.output)["$defs"]["item"]["required"] == ["id", "type"]
    wrote = runner.invoke(main, ["schema", "--write", str(tmp_path / "schema")])
    assert wrote.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "schema").iterdir()) == ["article.schema.json", "issue.schema.json", "references.schema.json"]
    neither = runner.invoke(main, ["schema"])
    assert neither.exit_code == 2 and "--write FOLDER" in neither.output


def test_an_article_that_is_not_a_mapping_is_one_error(tmp_path: Path) -> None:
    root = tmp_path / "issue"
    shutil.copytree(CLEAN, root)
    (root / "articles" / "one.yaml").write_text("- title\n- body\n", encoding="utf-8")
    assert problems("article", root / "articles" / "one.yaml") == ["['title', 'body'] is not of type 'object'"]
    [diag] = [d for d in prepare(root).diagnostics if d.pos.path.name == "one.yaml"]
    assert (diag.code, diag.message) == ("schema.type", "article must be a mapping of fields, not a list")
