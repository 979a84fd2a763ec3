"""CSL items as written in YAML → validated CSL-JSON and citeproc-py references, with diagnostics.

citeproc-py trusts its input: a plain-string author, a month of 13 or a YAML date crash it
or print nonsense. Every item passes through `normalise_item` first, which returns clean
CSL-JSON (the form citeproc-js reads too) and positioned diagnostics for what it refused.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from citeproc.source import Date, DateRange, LiteralDate, Name, Reference

from typeset.cite.markup import DOI, DOI_END, URL, URL_END, parse_field
from typeset.diagnostics import Diagnostic, did_you_mean, error, warning
from typeset.model import Reference as ModelReference

TYPES = frozenset(
    [
        "article",
        "article-journal",
        "article-magazine",
        "article-newspaper",
        "bill",
        "book",
        "broadcast",
        "chapter",
        "classic",
        "collection",
        "dataset",
        "document",
        "entry",
        "entry-dictionary",
        "entry-encyclopedia",
        "event",
        "figure",
        "graphic",
        "hearing",
        "interview",
        "legal_case",
        "legislation",
        "manuscript",
        "map",
        "motion_picture",
        "musical_score",
        "pamphlet",
        "paper-conference",
        "patent",
        "performance",
        "periodical",
        "personal_communication",
        "post",
        "post-weblog",
        "regulation",
        "report",
        "review",
        "review-book",
        "software",
        "song",
        "speech",
        "standard",
        "thesis",
        "treaty",
        "webpage",
    ]
)
NAME_VARIABLES = frozenset(
    [
        "author",
        "chair",
        "collection-editor",
        "compiler",
        "composer",
        "container-author",
        "contributor",
        "curator",
        "director",
        "editor",
        "editorial-director",
        "editor-translator",
        "executive-producer",
        "guest",
        "host",
        "illustrator",
        "interviewer",
        "narrator",
        "organizer",
        "original-author",
        "performer",
        "producer",
        "recipient",
        "reviewed-author",
        "script-writer",
        "series-creator",
        "translator",
    ]
)
DATE_VARIABLES = frozenset(
    [
        "accessed",
        "available-date",
        "event-date",
        "issued",
        "original-date",
        "submitted",
        "container",
    ]
)
TEXT_VARIABLES = frozenset(
    [
        "abstract",
        "annote",
        "archive",
        "archive_collection",
        "archive_location",
        "archive-place",
        "authority",
        "call-number",
        "chapter-number",
        "citation-key",
        "citation-label",
        "collection-number",
        "collection-title",
        "collection-title-short",
        "container-title",
        "container-title-short",
        "dimensions",
        "division",
        "DOI",
        "edition",
        "event",
        "event-place",
        "event-title",
        "genre",
        "ISBN",
        "ISSN",
        "issue",
        "jurisdiction",
        "keyword",
        "language",
        "license",
        "locator",
        "medium",
        "note",
        "number",
        "number-of-pages",
        "number-of-volumes",
        "original-publisher",
        "original-publisher-place",
        "original-title",
        "page",
        "part-number",
        "part-title",
        "PMCID",
        "PMID",
        "printing",
        "publisher",
        "publisher-place",
        "references",
        "reviewed-genre",
        "reviewed-title",
        "scale",
        "section",
        "source",
        "status",
        "supplement-number",
        "title",
        "title-short",
        "URL",
        "version",
        "volume",
        "volume-title",
        "volume-title-short",
        "year-suffix",
    ]
)
IGNORED = frozenset({"id", "type", "shortTitle", "journalAbbreviation", "custom"})
NAME_PARTS = frozenset(
    {
        "family",
        "given",
        "literal",
        "dropping-particle",
        "non-dropping-particle",
        "suffix",
        "comma-suffix",
        "static-ordering",
        "parse-names",
    }
)
ISO_DATE = re.compile(r"^(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


CslItems = dict[str, dict[str, Any]]
"""CSL-JSON items by id: what `check` reads and `cite` renders."""


def normalise_items(
    references: Mapping[str, ModelReference],
) -> tuple[CslItems, list[Diagnostic]]:
    """Every reference validated and normalised, once per build; unusable ones are left out."""
    items: CslItems = {}
    diags: list[Diagnostic] = []
    for rid, ref in references.items():
        csl, problems = normalise_item(ref)
        diags.extend(problems)
        if csl is not None:
            items[rid] = csl
    return items, diags


def normalise_item(
    ref: ModelReference,
) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """One CSL item from YAML → clean CSL-JSON (strings, date-parts, name lists) and diagnostics.

    Returns None for the item when it cannot be used at all (not a mapping, no usable type).
    Fields that are wrong are dropped with an error, so the rest of the item still prints.
    """
    pos, rid = ref.pos, ref.id
    data: object = ref.data  # typed a mapping, but YAML can hold anything
    if not isinstance(data, Mapping):
        return None, [
            error(
                "ref.not-a-mapping",
                pos,
                f"reference '{rid}' is not a mapping of CSL fields",
                "write it as `- id: …` followed by `type:`, `title:` … lines",
            )
        ]
    diags: list[Diagnostic] = []
    out: dict[str, Any] = {"id": rid}
    typ = data.get("type")
    if not typ:
        diags.append(
            error(
                "ref.missing-type",
                pos,
                f"reference '{rid}' has no `type`",
                "add a CSL type such as `type: book`, `type: report` or `type: article-journal`",
            )
        )
        typ = "document"
    elif not isinstance(typ, str) or typ not in TYPES:
        hint = did_you_mean(str(typ), TYPES) or "see the CSL types: book, report, article-journal, webpage, …"
        diags.append(
            error(
                "ref.unknown-type",
                pos,
                f"reference '{rid}' has unknown type '{typ}'",
                hint,
            )
        )
        typ = "document"
    out["type"] = typ
    for key, value in data.items():
        key = str(key)
        if key in IGNORED or value is None or value == "":
            continue
        at = ref.fields.get(key, pos)  # a faulty field is reported on its own line
        if key in NAME_VARIABLES:
            names = _names(value, key, rid, at, diags)
            if names:
                out[key] = names
        elif key in DATE_VARIABLES:
            date = _date(value, key, rid, at, diags)
            if date:
                out[key] = date
        elif key in TEXT_VARIABLES:
            text = _text(value, key, rid, at, diags)
            if text is not None:
                out[key] = text
        else:
            hint = did_you_mean(key, TEXT_VARIABLES | NAME_VARIABLES | DATE_VARIABLES)
            diags.append(
                warning(
                    "ref.unknown-field",
                    pos,
                    f"reference '{rid}': '{key}' is not a CSL variable; ignored",
                    hint,
                )
            )
    if "title-short" not in out and isinstance(data.get("shortTitle"), str):
        out["title-short"] = data["shortTitle"]
    if "title" not in out:
        diags.append(
            warning(
                "ref.missing-title",
                pos,
                f"reference '{rid}' has no `title`",
                "add `title:`; styles print it and use it to sort",
            )
        )
    return out, diags


def _text(value: Any, key: str, rid: str, pos: Any, diags: list[Diagnostic]) -> str | None:
    if isinstance(value, bool):  # YAML 1.1: `no` → False
        diags.append(
            error(
                "ref.bad-value",
                pos,
                f"reference '{rid}': {key} reads as {value} (YAML boolean)",
                f"quote it: {key}: '{'no' if value is False else 'yes'}'",
            )
        )
        return None
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    diags.append(
        error(
            "ref.bad-value",
            pos,
            f"reference '{rid}': {key} must be text, not {type(value).__name__}",
            f"write `{key}: …` as one line of text",
        )
    )
    return None


def _names(value: Any, key: str, rid: str, pos: Any, diags: list[Diagnostic]) -> list[dict[str, str]]:
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, list):
        value = [value]
    names: list[dict[str, str]] = []
    for name in value:
        if isinstance(name, str):
            family, _, given = name.partition(",")
            suggestion = f"{{family: {family.strip()}, given: {given.strip()}}}" if given else f"{{literal: {name}}}"
            diags.append(
                error(
                    "ref.bad-name",
                    pos,
                    f"reference '{rid}': {key} '{name}' is a plain string",
                    f"write a person as {{family: …, given: …}} and an organisation as {{literal: …}}, here {suggestion}",
                )
            )
            continue
        if not isinstance(name, Mapping) or not (set(name) & {"family", "literal", "given"}):
            diags.append(
                error(
                    "ref.bad-name",
                    pos,
                    f"reference '{rid}': {key} entry {name!r} has no family, given or literal",
                    "write a person as {family: …, given: …} and an organisation as {literal: …}",
                )
            )
            continue
        unknown = set(name) - NAME_PARTS
        if unknown:
            part = min(unknown)
            diags.append(
                error(
                    "ref.bad-name",
                    pos,
                    f"reference '{rid}': {key} has unknown name part '{part}'",
                    did_you_mean(part, NAME_PARTS),
                )
            )
        names.append({str(k): str(v) for k, v in name.items() if k in NAME_PARTS and v is not None})
    return names


def _date(value: Any, key: str, rid: str, pos: Any, diags: list[Diagnostic]) -> dict[str, Any] | None:
    """A CSL date in any form people write → {"date-parts": [[y, m, d]], …} or {"literal": …}."""

    def bad(why: str) -> None:
        diags.append(
            error(
                "ref.bad-date",
                pos,
                f"reference '{rid}': {key} {why}",
                "write a date as 2024-06-01, 2024-06 or 2024, or as {date-parts: [[2024, 6, 1]]}",
            )
        )

    if isinstance(value, dt.date):  # a bare YAML date
        return {"date-parts": [[value.year, value.month, value.day]]}
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        iso = [_iso_parts(p) for p in value.split("/")]
        if len(iso) > 2 or any(p is None for p in iso):
            bad(f"'{value}' is not a date")
            return None
        value = {"date-parts": iso}
    if not isinstance(value, Mapping):
        bad(f"must be a date, not {type(value).__name__}")
        return None
    out: dict[str, Any] = {}
    for extra in ("circa", "season", "literal"):
        if extra in value:
            out[extra] = value[extra] if extra == "circa" else str(value[extra])
    raw = value.get("raw")
    if "date-parts" in value:
        parts_in = value["date-parts"]
    elif isinstance(raw, str) and all(_iso_parts(p) for p in raw.split("/")):
        parts_in = [_iso_parts(p) for p in raw.split("/")]
    elif "literal" in out or raw:
        out.setdefault("literal", str(raw))
        return out
    else:
        bad("has neither date-parts nor literal")
        return None
    if not isinstance(parts_in, list) or not parts_in or len(parts_in) > 2:
        bad("date-parts must be a list of one or two [year, month, day] lists")
        return None
    parts: list[list[int]] = []
    for part in parts_in:
        checked = _check_parts(part)
        if isinstance(checked, str):
            bad(checked)
            return None
        parts.append(checked)
    out["date-parts"] = parts
    return out


def _iso_parts(text: str) -> list[int] | None:
    m = ISO_DATE.match(text.strip())
    return [int(g) for g in m.groups() if g is not None] if m else None


def _check_parts(part: Any) -> list[int] | str:
    """[year, month, day] as ints, or why not."""
    if not isinstance(part, list) or not 1 <= len(part) <= 3:
        return f"date-parts entry {part!r} is not [year], [year, month] or [year, month, day]"
    try:
        nums = [int(str(p)) for p in part]
    except ValueError:
        return f"date-parts entry {part!r} holds something that is not a number"
    if len(nums) > 1 and not 1 <= nums[1] <= 12:
        return f"has month {nums[1]}, outside 1-12"
    if len(nums) > 2:
        last = calendar.monthrange(nums[0], nums[1])[1] if nums[0] > 0 else 31
        if not 1 <= nums[2] <= last:
            return f"has day {nums[2]}, outside 1-{last} for month {nums[1]}"
    return nums


# --- CSL-JSON → citeproc-py ---------------------------------------------------------------


class Item(Reference):  # type: ignore[misc]
    """A citeproc-py Reference built without its constructor, which warns on every CSL 1.0.2 variable it does not know."""

    def __init__(self, key: str, typ: str, fields: Mapping[str, Any]):
        dict.__init__(self, fields)
        self["key"] = key
        self["type"] = typ


def to_reference(csl: Mapping[str, Any]) -> Item:
    """Clean CSL-JSON (from `normalise_item`) → the citeproc-py object the style renders."""
    fields: dict[str, Any] = {}
    for key, value in csl.items():
        if key in ("id", "type"):
            continue
        attr = key.replace("-", "_")
        if key in NAME_VARIABLES:
            fields[attr] = [_cp_name(n) for n in value]
        elif key in DATE_VARIABLES:
            fields[attr] = _cp_date(value)
        elif key == "URL":
            fields[attr] = URL + value + URL_END
        elif key == "DOI":
            fields[attr] = DOI + value + DOI_END
        elif key == "language":
            fields[attr] = value
        else:
            fields[attr] = parse_field(value)
    return Item(str(csl["id"]), str(csl["type"]), fields)


def _cp_name(name: Mapping[str, str]) -> Name:
    obj = Name.__new__(Name)
    dict.update(
        obj,
        {k: parse_field(v) if k in ("family", "given", "literal") else v for k, v in name.items()},
    )
    return obj


def _cp_date(date: Mapping[str, Any]) -> Date | DateRange | LiteralDate:
    circa = bool(date.get("circa"))
    if "date-parts" not in date:
        return LiteralDate(date.get("literal", ""), circa=circa)
    singles = []
    for part in date["date-parts"]:
        fields = dict(zip(("year", "month", "day"), part))
        if "season" in date and "month" not in fields:
            fields["season"] = date["season"]
        singles.append(Date(**fields))
    if len(singles) == 2:
        return DateRange(begin=singles[0], end=singles[1], circa=circa)
    singles[0]["circa"] = circa
    return singles[0]
