"""Cited issue + its HTML → every PDF a build writes: one per output profile (padded for binding),
the offprints cut from each, and the preflight of the print PDF.

Nothing is written here: the files come back as bytes by name, for `pipeline` to write atomically
once all of them exist.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from typeset.diagnostics import TypesetError, error
from typeset.layout.cache import digest
from typeset.layout.schedule import Layout
from typeset.model import Issue
from typeset.output.binding import filler_html, pages_to_add
from typeset.output.metadata import issue_description
from typeset.output.offprints import Offprint, cut_offprints
from typeset.output.preflight import Report, preflight, theme_families
from typeset.output.profiles import PROFILES, Profile, finish, press_profile, theme_for
from typeset.store import Store
from typeset.theme import Theme

# html, theme (with the profile's stylesheet), tagged → the laid-out document (`layout.schedule.Layout`)
LayOut = Callable[[str, Theme, bool], Layout]


@dataclass(frozen=True)
class Wanted:
    """What to make: profile names, the page multiple to pad to (0: none), offprints or not, the web edition or not."""

    profiles: tuple[str, ...]
    pad_to: int = 0
    offprints: bool = False
    web: bool = False

    @property
    def web_profile(self) -> str:
        """The profile whose PDFs the web edition links to: screen, else archive (never print's CMYK with bleed)."""
        return next((p for p in ("screen", "archive") if p in self.profiles), "screen") if self.web else ""

    @property
    def made(self) -> tuple[str, ...]:
        """The profiles to lay out: those asked for, and the web's if it was not (its PDF then goes under web/ only)."""
        return tuple(dict.fromkeys((*self.profiles, self.web_profile) if self.web else self.profiles))


@dataclass(frozen=True)
class Output:
    profile: Profile
    path: Path  # relative to the output folder
    pages: int  # padding included
    padded: int
    seconds: float
    offprints: tuple[Path, ...] = ()
    preflight: Report | None = None
    cuts: tuple[Offprint, ...] = ()
    """The articles cut from this profile's PDF: written under articles/ with `offprints`, and for the web edition."""


def wanted(issue: Issue, profiles: tuple[str, ...] = (), pad_to: int | None = None, offprints: bool | None = None, web: bool | None = None) -> Wanted:
    """Command-line choices over the issue's settings."""
    s = issue.settings
    return Wanted(
        profiles or s.profiles, s.pad_to if pad_to is None else pad_to, s.offprints if offprints is None else offprints, s.web if web is None else web
    )


def make_outputs(
    html: str, issue: Issue, theme: Theme, want: Wanted, lay_out: LayOut, created: dt.datetime | None, store: Store | None = None
) -> tuple[dict[Path, bytes], list[Output], list[str]]:
    """(file name → bytes, what each profile made, WeasyPrint's warnings); `store` keeps offprints for the next build."""
    if created is None and "print" in want.profiles:  # PDF/X requires a creation date, and none may be made up
        hint = "give the publication a date: in issue.yaml, or set SOURCE_DATE_EPOCH for the build"
        raise TypesetError([error("print.no-date", issue.pos, "the print profile (PDF/X-4) needs a creation date, and this publication is undated", hint)])
    files: dict[Path, bytes] = {}
    outputs: list[Output] = []
    warnings: list[str] = []
    description = issue_description(issue, created)
    for name in want.made:
        start = time.perf_counter()
        profile = PROFILES[name]
        press = press_profile(issue) if name == "print" else None  # before layout: a missing profile fails fast
        styled = theme_for(theme, profile)
        laid = lay_out(html, styled, profile.tags)
        warnings += laid.warnings
        pages = laid.pages
        count = pages_to_add(pages, want.pad_to, issue.has_back_cover)
        filler = lay_out(filler_html(count, issue.language), styled, False).pdf if count else None
        data = finish(laid.pdf, profile, description, press=press, filler=filler)
        path = Path(f"{issue.slug}{profile.suffix}.pdf")
        if name not in want.profiles:  # made for the web edition alone: it links to a screen PDF, never print's
            path = Path("web", issue.slug, path.name)
        files[path] = data
        treated = digest(name, press[0] if press else b"")  # what `finish` did to every page besides laying it out
        parts = {part: digest(key, treated) for part, key in laid.keys}
        cuts = cut_offprints(data, issue, profile, created, count, parts, store) if want.offprints or name == want.web_profile else []
        written = [Path("articles") / cut.name for cut in cuts] if want.offprints else []
        files.update(zip(written, (cut.data for cut in cuts)))
        report = preflight(data, path, theme_fonts=theme_families(theme)) if name == "print" else None
        outputs.append(Output(profile, path, pages + count, count, time.perf_counter() - start, tuple(written), report, tuple(cuts)))
    return files, outputs, warnings
