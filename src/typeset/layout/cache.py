"""Content key → a laid-out part (PDF bytes and what the assembler needs), kept on disk between builds.

A key hashes everything a part's layout reads: its HTML, the theme's files and fonts, its
images, its first page number and the page numbers it refers to in other parts. Entries are
written beside their final name and renamed, so an interrupted build never leaves half an entry.
The manifest remembers each part's last page count and anchor pages: the next build's guess
of where every part starts, which is what lets a rebuild lay out only what changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from typeset.atomic import OutputError, atomic_write, real_folder

CACHE_FOLDER = ".typeset-cache"
"""Under the output folder: laid-out parts by content (and beside them the cite memo and the store)."""
# (level, label, x, y, state) in PDF points, for one page: WeasyPrint's bookmark tuples.
Bookmark = tuple[int, str, float, float, str]


@dataclass(frozen=True)
class PartResult:
    """A part laid out at a given first page: PDF (stub pages last), real page count, anchors, bookmarks.

    The PDF travels as bytes from a worker; once in the cache only its file is named, so a
    700-page volume's parts are not all held in memory while they are assembled.
    """

    pdf: bytes | Path
    pages: int
    anchors: dict[str, int]
    """id → page offset within the part (0 is the part's first page)."""
    bookmarks: list[list[Bookmark]]
    warnings: list[str] = field(default_factory=list)


def digest(*chunks: str | bytes) -> str:
    h = hashlib.sha256()
    for chunk in chunks:
        data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()[:32]


class PartCache:
    """Laid-out parts by key under `folder`; at most `keep` entries besides those of the last build."""

    def __init__(self, folder: Path, keep: int = 200) -> None:
        self.folder = folder
        self.keep = keep

    def get(self, key: str) -> PartResult | None:
        meta_path = self.folder / f"{key}.json"
        pdf = self.folder / f"{key}.pdf"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not pdf.is_file():
            return None
        try:
            os.utime(meta_path)  # most recently used entries survive pruning
        except OSError as exc:  # a read-only output folder: say so, as any write would
            raise OutputError(meta_path, exc) from None
        bookmarks = [[(b[0], b[1], b[2], b[3], b[4]) for b in page] for page in meta["bookmarks"]]
        return PartResult(pdf, meta["pages"], meta["anchors"], bookmarks, meta["warnings"])

    def put(self, key: str, result: PartResult) -> PartResult:
        """Keep `result`; the same result, naming its PDF file instead of holding its bytes."""
        assert isinstance(result.pdf, bytes)
        real_folder(self.folder)
        pdf = self.folder / f"{key}.pdf"
        atomic_write(pdf, result.pdf)
        meta = {k: v for k, v in asdict(result).items() if k != "pdf"}
        atomic_write(self.folder / f"{key}.json", json.dumps(meta).encode("utf-8"))
        return replace(result, pdf=pdf)

    def manifest(self) -> dict[str, Any]:
        """Part name → {"pages": n, "anchors": {id: offset}} from the last build, or {}."""
        try:
            data = json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    @classmethod
    def will_lay_out(cls, issue_dir: Path, out_dir: Path) -> bool:
        """Whether a build of `issue_dir` into `out_dir` will most likely lay something out, as `older_than` tells."""
        return cls(out_dir / CACHE_FOLDER).older_than(issue_dir)

    def older_than(self, folder: Path) -> bool:
        """Whether a file under `folder` was saved since the last build wrote its manifest (or there is none):
        then this build will most likely lay something out."""
        try:
            built = (self.folder / "manifest.json").stat().st_mtime_ns
            return any(path.stat().st_mtime_ns > built for path in folder.rglob("*"))
        except OSError:
            return True

    def finish(self, manifest: dict[str, Any], used: set[str]) -> None:
        """Save the manifest and drop the least recently used entries beyond `keep`."""
        real_folder(self.folder)
        atomic_write(self.folder / "manifest.json", json.dumps(manifest).encode("utf-8"))
        try:
            metas = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
            spare = [p for p in metas if p.stem not in used and p.name != "manifest.json"]
            for meta in spare[self.keep :]:
                meta.unlink(missing_ok=True)
                meta.with_suffix(".pdf").unlink(missing_ok=True)
        except OSError as exc:
            raise OutputError(self.folder, exc) from None
