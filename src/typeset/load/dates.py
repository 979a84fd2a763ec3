"""A publication date as publishers write it → `Period`: a day, a month, a season or a year.

An issue dated "June 2024" is a month, not the 1st of June: the cover prints it as written, a
source read on 17 June is no "future" access, and the PDF's fixed creation date is the month's
first day. Accepted forms:

- a day: `2024-06-13` (printed "13 June 2024"), `13 June 2024`, `June 13, 2024`;
- a month: `2024-06` (printed "June 2024"), `June 2024`;
- a season: `Spring 2024` (March to May), `Summer 2024` (June to August), `Autumn 2024` or
  `Fall 2024` (September to November), `Winter 2024` (December 2023 to February 2024: journals
  name a winter issue by the year of its January);
- a year: `2024`.

Text is printed as written; ISO forms are printed in words, in English.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from typeset.model import Period

MONTHS = tuple(calendar.month_name)[1:]
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}

_MONTH = "(?P<month>" + "|".join(MONTHS) + ")"
_YEAR = r"(?P<year>\d{4})"
FORMS = {
    "iso": rf"{_YEAR}(?:-(?P<mm>\d{{2}})(?:-(?P<dd>\d{{2}}))?)?",
    "day first": rf"(?P<day>\d{{1,2}}) {_MONTH} {_YEAR}",
    "month first": rf"{_MONTH} (?P<day>\d{{1,2}}), {_YEAR}",
    "month": rf"{_MONTH} {_YEAR}",
    "season": r"(?P<season>" + "|".join(s.title() for s in SEASONS) + rf") {_YEAR}",
}
"""Every accepted form as a regular expression (the JSON Schema export builds its pattern from these)."""
_FORMS = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in FORMS.items()}
EXAMPLES = "2024-06-01, 2024-06, June 2024, Spring 2024 or 2024"


def parse_period(value: Any) -> Period | None:
    """The period a YAML value names, or None when it names none (the caller reports it)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _day(value, "")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    for name, form in _FORMS.items():
        m = form.fullmatch(text)
        if m is not None:
            try:
                return _period(name, m, "" if name == "iso" else text)
            except ValueError:  # 2024-02-30, 31 April 2024
                return None
    return None


def _period(form: str, m: re.Match[str], written: str) -> Period:
    year = int(m["year"])
    if form == "season":
        first_month, last_month = SEASONS[m["season"].lower()]
        first_year = year - 1 if first_month > last_month else year
        return Period(dt.date(first_year, first_month, 1), _month_end(year, last_month), written, "season")
    month = _month_number(m) if form != "iso" else int(m["mm"] or 0)
    day = int(m["day"]) if form in ("day first", "month first") else int(m["dd"] or 0) if form == "iso" else 0
    if day:
        return _day(dt.date(year, month, day), written)
    if month:
        first = dt.date(year, month, 1)
        return Period(first, _month_end(year, month), written or f"{MONTHS[month - 1]} {year}", "month")
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year), "year")


def _month_number(m: re.Match[str]) -> int:
    return [name.lower() for name in MONTHS].index(m["month"].lower()) + 1


def _day(date: dt.date, written: str) -> Period:
    return Period(date, date, written or f"{date.day} {MONTHS[date.month - 1]} {date.year}", "day")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])
