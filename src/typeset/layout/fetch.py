"""URL → resource for WeasyPrint, refusing everything outside the issue and theme folders.

The one place where the renderer touches files or the network: `fontpkg:` font URLs resolve
to pinned font packages, `file:` URLs must lie under an allowed folder, and http(s) is refused
unless the user opted in with `--allow-network`.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from typeset.theme import font_path


class RefusedURL(ValueError):
    """A resource the fetcher will not read; WeasyPrint turns it into a warning we collect."""


class SafeFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type information
    def __init__(self, allowed: list[Path], allow_network: bool = False) -> None:
        super().__init__(timeout=10, fail_on_errors=False)
        self.allowed = [p.resolve() for p in allowed]
        self.allow_network = allow_network
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = urlparse(url).scheme.lower()
        if scheme == "fontpkg":
            path = font_path(unquote(url[len("fontpkg:") :]))
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": "font/ttf"})
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(url2pathname(unquote(urlparse(url).path))).resolve()
            if any(path.is_relative_to(root) for root in self.allowed):
                return super().fetch(url, headers)
            return self._refuse(url, "it is outside the issue and theme folders")
        if scheme in ("http", "https") and self.allow_network:
            return super().fetch(url, headers)
        return self._refuse(url, "network access is off (use --allow-network to allow it)")

    def _refuse(self, url: str, why: str) -> URLFetcherResponse:
        self.refused.append(f"{url}: {why}")
        raise RefusedURL(f"refused {url}: {why}")
