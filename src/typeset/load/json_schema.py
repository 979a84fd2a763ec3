"""The content schema and the CSL vocabulary → JSON Schema (draft 2020-12) of the issue's YAML files.

An editor reads it: with VS Code's YAML extension, a file whose first line names its schema
(`# yaml-language-server: $schema=../docs/schema/issue.schema.json`) gets field completion,
each field's description on hover, and unknown fields and wrong types underlined as one types.
It is derived from the declarations the loader checks against (`load.schema.SECTIONS` for
issue.yaml and article files, the CSL vocabulary of `cite.items` for reference files), so it
accepts what `folio check` accepts, as far as JSON Schema can say it: the checks that need more
(ISSN check digits, cited ids, YAML 1.1 surprises) stay with `folio check`. Only keywords that
mean the same in draft-07 are used, so editors still on draft-07 read it alike.
"""

from __future__ import annotations

import json
import re
from typing import Any

from typeset.cite.items import DATE_VARIABLES, IGNORED, ISO_DATE, NAME_PARTS, NAME_VARIABLES, TEXT_VARIABLES, TYPES
from typeset.load.dates import FORMS
from typeset.load.schema import SECTIONS, Field
from typeset.model import KINDS
from typeset.model import Kind as PublicationKind

Schema = dict[str, Any]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# Which file each schema describes, and the SECTIONS entry of its top level.
FILES = {
    "issue": ("issue.yaml, the issue's table of contents and settings", "issue.yaml"),
    "article": ("an article file, listed under `articles:` in issue.yaml", "article"),
    "references": ("a reference file: CSL items as YAML, listed under `references:`", ""),
}


def json_schema(kind: str) -> Schema:
    """The schema of one kind of file: "issue", "article" or "references"."""
    about, section = FILES[kind]
    body = _section(section) if section else _references()
    if section == "issue.yaml":
        body["allOf"] = _kind_rules()
    return {"$schema": DRAFT, "title": f"typeset: {about}", **body}


def _kind_rules() -> list[Schema]:
    """What issue.yaml's `kind` requires and forbids, one `if`/`then` per kind (an absent kind is an issue)."""
    rules = []
    for kind in KINDS:
        condition: Schema = {"properties": {"kind": {"const": kind}}} | ({} if kind == "issue" else {"required": ["kind"]})
        rules.append({"if": condition, "then": _kind_constraints("issue.yaml", kind)})
    return rules


def _kind_constraints(section: str, kind: PublicationKind) -> Schema:
    """The fields of `section` (and its mappings) that `kind` requires, and those it leaves empty."""
    fields = SECTIONS[section].values()
    required = [f.name for f in fields if not f.required and f.required_in(kind)]
    properties: Schema = {}
    for f in fields:
        if not f.allowed_in(kind):
            properties[f.name] = {"type": "null", "description": f"Only for kind: {' or '.join(f.only_for)}."}
            continue
        nested = _kind_constraints(f.fields_of, kind) if f.kind == "map" else {}
        filled: Schema = {"not": {"type": "null"}} | ({"minLength": 1} if f.kind == "str" else {}) if f.name in required else {}
        if nested or filled:
            properties[f.name] = filled | nested
    return ({"required": required} if required else {}) | ({"properties": properties} if properties else {})


def schema_text(kind: str) -> str:
    """The schema as the file `<kind>.schema.json` holds it."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def _section(name: str) -> Schema:
    fields = SECTIONS[name]
    out: Schema = {"type": "object", "properties": {f.name: _field(f) for f in fields.values()}, "additionalProperties": False}
    required = [f.name for f in fields.values() if f.required]
    return out | ({"required": required} if required else {})


def _field(f: Field) -> Schema:
    """A field as the loader reads it: an optional field may be left empty (null), a required one not."""
    text: Schema = {"type": "string"} | ({"enum": list(f.choices)} if f.choices else {})
    filled: Schema = {"minLength": 1} if f.required else {}
    if f.kind == "str":
        value = text | filled
    elif f.kind == "int":
        value = {"type": "integer"}
    elif f.kind == "bool":
        value = {"type": "boolean"}
    elif f.kind == "period":  # an unquoted 2024 is a number in YAML
        value = {"anyOf": [{"type": "string", "pattern": _PERIOD}, {"type": "integer", "minimum": 1000, "maximum": 9999}]}
    elif f.kind == "list[str]":  # one item may be written without the list
        value = {"anyOf": [text | filled, {"type": "array", "items": text} | ({"minItems": 1} if f.required else {})]}
    elif f.kind == "map":
        value = _section(f.fields_of)
    else:  # "list[map]"
        value = {"type": "array", "items": _section(f.fields_of)}
    return {"description": f.doc} | (value if f.required else _or_null(value))


# The forms `load.dates` reads, as one ECMA-262 pattern (no named groups there).
_PERIOD = "^(?:" + "|".join(re.sub(r"\(\?P<\w+>", "(?:", form) for form in FORMS.values()) + ")$"


def _or_null(value: Schema) -> Schema:
    if "anyOf" in value:
        return value | {"anyOf": [*value["anyOf"], {"type": "null"}]}
    return value | {"type": [value["type"], "null"]} | ({"enum": [*value["enum"], None]} if "enum" in value else {})


def _references() -> Schema:
    """A reference file: a `references:` list of CSL items (pandoc's form), or the bare list."""
    items = {"type": "array", "items": {"$ref": "#/$defs/item"}}
    return {
        "description": "CSL items as YAML (CSL-JSON's fields); a `references:` list, or the list alone.",
        "anyOf": [{"type": "object", "properties": {"references": items}, "required": ["references"]}, items],
        "$defs": _csl_defs(),
    }


def _csl_defs() -> dict[str, Schema]:
    """A CSL item, a name and a date, shaped as in CSL-JSON's schema, widened where the loader is lenient:
    numbers as text, a date as text, one name without its list, an empty field."""
    inner = ISO_DATE.pattern.removeprefix("^").removesuffix("$")
    date_text = {"type": "string", "pattern": f"^{inner}(?:/{inner})?$", "description": "2024-06-01, 2024-06 or 2024; a range as 2019/2020"}
    parts = {"type": "array", "minItems": 1, "maxItems": 3, "items": {"type": ["integer", "string"]}}
    date_object = {
        "type": "object",
        "properties": {
            "date-parts": {"type": "array", "minItems": 1, "maxItems": 2, "items": parts},
            "season": {"type": ["integer", "string"]},
            "circa": {"type": ["boolean", "integer", "string"]},
            "literal": {"type": "string"},
            "raw": {"type": "string"},
        },
        "additionalProperties": False,
    }
    name = {
        "type": "object",
        "properties": {part: {"type": ["string", "number", "boolean"] if part in _NAME_FLAGS else "string"} for part in sorted(NAME_PARTS)},
        "anyOf": [{"required": ["family"]}, {"required": ["given"]}, {"required": ["literal"]}],
        "additionalProperties": False,
    }
    properties: Schema = {
        "id": {"type": ["string", "number"], "description": "The key a citation names: [@id]."},
        "type": {"enum": sorted(TYPES), "description": "The CSL item type."},
    }
    properties |= {v: {"type": ["string", "number", "null"]} for v in sorted(TEXT_VARIABLES)}
    properties |= {v: {"$ref": "#/$defs/names"} for v in sorted(NAME_VARIABLES)}
    properties |= {v: {"$ref": "#/$defs/date"} for v in sorted(DATE_VARIABLES)}
    properties |= {v: _IGNORED_SHAPES[v] for v in sorted(IGNORED - properties.keys())}
    return {
        "item": {"type": "object", "properties": properties, "required": ["id", "type"], "additionalProperties": False},
        "names": {"anyOf": [{"type": "array", "items": name}, name, {"type": "null"}]},
        "date": {"anyOf": [date_text, {"type": "integer"}, date_object, {"type": "null"}]},
    }


_NAME_FLAGS = {"comma-suffix", "static-ordering", "parse-names"}
# Fields outside the CSL variables the loader accepts without printing them (shortTitle stands in for title-short).
_IGNORED_SHAPES: dict[str, Schema] = {
    "shortTitle": {"type": "string"},
    "journalAbbreviation": {"type": "string"},
    "custom": {"type": "object"},
}
