"""Dates as publishers write them: a day, a month, a season or a year, printed as written and
checked against the period's last day."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from typeset.load.dates import parse_period
from typeset.pipeline import build_date, prepare

D = dt.date


@pytest.mark.parametrize(
    ("written", "label", "first", "last", "precision"),
    [
        ("2024-06", "June 2024", D(2024, 6, 1), D(2024, 6, 30), "month"),
        ("June 2024", "June 2024", D(2024, 6, 1), D(2024, 6, 30), "month"),
        ("2024-02", "February 2024", D(2024, 2, 1), D(2024, 2, 29), "month"),
        (D(2023, 3, 13), "13 March 2023", D(2023, 3, 13), D(2023, 3, 13), "day"),
        ("2023-03-13", "13 March 2023", D(2023, 3, 13), D(2023, 3, 13), "day"),
        ("13 March 2023", "13 March 2023", D(2023, 3, 13), D(2023, 3, 13), "day"),
        ("March 13, 2023", "March 13, 2023", D(2023, 3, 13), D(2023, 3, 13), "day"),
        ("Spring 2024", "Spring 2024", D(2024, 3, 1), D(2024, 5, 31), "season"),
        ("Autumn 2024", "Autumn 2024", D(2024, 9, 1), D(2024, 11, 30), "season"),
        ("Fall 2024", "Fall 2024", D(2024, 9, 1), D(2024, 11, 30), "season"),
        ("Winter 2024", "Winter 2024", D(2023, 12, 1), D(2024, 2, 29), "season"),
        (2024, "2024", D(2024, 1, 1), D(2024, 12, 31), "year"),
    ],
)
def test_each_form_is_a_period_printed_as_written(written: Any, label: str, first: dt.date, last: dt.date, precision: str) -> None:
    period = parse_period(written)
    assert period is not None
    assert (period.label, period.first, period.last, period.precision) == (label, first, last, precision)


@pytest.mark.parametrize("written", ["2024-13", "31 April 2024", "the 30th of June", "30/06/2024", "Summer", "", None, True])
def test_what_is_no_date_is_refused(written: Any) -> None:
    assert parse_period(written) is None


def test_xmp_writes_the_date_to_its_precision() -> None:
    assert [parse_period(w).iso for w in ("2024-06-13", "2024-06", "Spring 2024", 2024)] == ["2024-06-13", "2024-06", "2024-03", "2024"]  # type: ignore[union-attr]


@pytest.fixture
def root(check_root: Callable[[str], Path]) -> Path:
    """An issue with a source accessed on 2024-07-02, every other in June at the latest."""
    return check_root("check-ref-future-accessed")


def _dated(root: Path, date: str) -> Path:
    path = root / "issue.yaml"
    path.write_text(re.sub(r"(?m)^  date: .*$", f"  date: {date}", path.read_text(encoding="utf-8")), encoding="utf-8")
    return root


def _future(root: Path) -> list[str]:
    return [d.message for d in prepare(root).diagnostics if d.code == "ref.future-accessed"]


def test_an_issue_dated_by_month_accepts_sources_read_later_that_month(root: Path) -> None:
    assert _future(_dated(root, "2024-07")) == []
    assert _future(_dated(root, "Summer 2024")) == []


def test_a_source_read_after_the_last_day_of_the_period_fails(root: Path) -> None:
    [message] = _future(_dated(root, "2024-06"))
    assert "after the publication's date (2024-06-30, the last day of June 2024)" in message
    [message] = _future(_dated(root, "2024-07-01"))
    assert message.endswith("after the publication's date (2024-07-01)")


def test_the_creation_date_is_the_first_day_of_the_period_or_source_date_epoch(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    issue = prepare(_dated(root, "Spring 2024")).issue
    assert build_date(issue) == dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_date(issue) == dt.datetime.fromtimestamp(1700000000, dt.UTC)
