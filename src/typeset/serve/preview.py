"""Issue folder → a page on localhost showing the built PDF's pages, rebuilt on every save.

The designer's loop: edit a theme's CSS or an article, save, look. A watcher (watchfiles)
rebuilds on each change with warm workers, so only the parts that changed are laid out again.
The page polls a small JSON status and swaps in the page images (pypdfium2) that changed; a
build error shows as its diagnostics (file:line:col) above the last good pages, which stay.
The server binds 127.0.0.1 only: it serves the issue's output, never the file system.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urlparse

import pikepdf
import pypdfium2

from typeset.diagnostics import CannotRun, TypesetError, printable, sorted_diagnostics
from typeset.layout.pool import Workers
from typeset.pipeline import Built, build
from typeset.serve.watch import rebuild_on_change, watched
from typeset.theme import find_theme

PREVIEWED: dict[str, Any] = {"profiles": ("screen",), "offprints": False, "web": False}
"""What a preview build makes: the pages it shows (and the HTML edition); `folio build` makes the rest."""
_RENDER_SCALE = 1.0  # PDF points → pixels: an A4 page is 595 × 842 pixels
_KEPT_IMAGES = 400


@dataclass
class _State:
    """The last good build, the last error, and the page images made so far (by page digest)."""

    version: int = 0
    building: bool = False
    error: str = ""
    pdf: bytes = b""
    pages: list[str] = field(default_factory=list)
    edition: str = ""
    seconds: float = 0.0
    laid_out: tuple[str, ...] = ()
    images: dict[str, bytes] = field(default_factory=dict)


class Preview:
    """Builds an issue on demand and keeps what the page needs; safe to read from server threads."""

    def __init__(self, issue_dir: Path, out_dir: Path, workers: Workers, **options: Any) -> None:
        self.issue_dir, self.out_dir, self.workers = issue_dir, out_dir, workers
        self.options = PREVIEWED | options
        self.state = _State()
        self.theme_folder: Path | None = None
        self.lock = threading.Lock()
        self.render_lock = threading.Lock()  # pdfium is not thread-safe
        self.opened: tuple[bytes, Any] = (b"", None)  # the PDF pdfium has open (under render_lock)

    def rebuild(self) -> None:
        """Build; on success show the new pages, on failure keep the old ones and show why."""
        with self.lock:
            self.state.building = True
            self.state.version += 1
        try:
            built = build(self.issue_dir, self.out_dir, workers=self.workers, **self.options)
        except TypesetError as exc:
            self._finish(error="\n".join(d.text() for d in sorted_diagnostics(exc.diagnostics)))
        except CannotRun as exc:
            self._finish(error=str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the preview; show it
            self._finish(error=f"internal error: {type(exc).__name__}: {exc}\n\n{traceback.format_exc()}")
        else:
            self._finish(built=built)

    def _finish(self, built: Built | None = None, error: str = "") -> None:
        pdf = built.pdf.read_bytes() if built else b""
        pages = page_digests(pdf) if built else []
        theme = find_theme(built.issue.settings.theme, built.issue.root).folder if built else self.theme_folder
        with self.lock:
            state = self.state
            state.building, state.error, state.version = False, error, state.version + 1
            if built:
                self.theme_folder = theme
                state.pdf, state.pages, state.edition = pdf, pages, built.html.name
                state.seconds, state.laid_out = built.seconds, built.laid_out
                for stale in [k for k in state.images if k not in pages][: max(0, len(state.images) - _KEPT_IMAGES)]:
                    del state.images[stale]

    def status(self) -> dict[str, Any]:
        with self.lock:
            s = self.state
            return {
                "version": s.version,
                "building": s.building,
                "error": s.error,
                "pages": s.pages,
                "edition": s.edition,
                "seconds": round(s.seconds, 2),
                "laid_out": list(s.laid_out),
            }

    def page_image(self, digest: str) -> bytes | None:
        """The PNG of the current PDF's page with this digest (made once, then kept)."""
        with self.lock:
            if digest in self.state.images:
                return self.state.images[digest]
            pdf, pages = self.state.pdf, self.state.pages
        if digest not in pages:
            return None
        with self.render_lock:
            if self.opened[0] is not pdf:
                self.opened = (pdf, pypdfium2.PdfDocument(pdf))
            image = self.opened[1][pages.index(digest)].render(scale=_RENDER_SCALE).to_pil()
        png = _png(image)
        with self.lock:
            self.state.images[digest] = png
        return png

    def watched(self) -> list[Path]:
        """Where a save should rebuild: the issue folder and the last good build's theme folder."""
        with self.lock:
            return watched(self.issue_dir, self.theme_folder)


def page_digests(pdf: bytes) -> list[str]:
    """A digest per page of what it draws (content, images, fonts), so unchanged pages keep their image."""
    digests = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            h = hashlib.sha256()
            contents = page.obj.get("/Contents")
            for stream in list(contents) if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []:
                h.update(stream.read_raw_bytes())
            resources = page.obj.get("/Resources", pikepdf.Dictionary())
            for name, xobject in sorted(resources.get("/XObject", pikepdf.Dictionary()).items()):
                h.update(name.encode() + xobject.read_raw_bytes())
            for name, font in sorted(resources.get("/Font", pikepdf.Dictionary()).items()):
                h.update(name.encode() + str(font.get("/BaseFont", "")).encode())
            digests.append(h.hexdigest()[:20])
    return digests


def _png(image: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


_MAX_PATH = 2048  # characters of a request's path: longer is 414, as browsers and proxies cap URLs near there
_NO_SCRIPT = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox"


class _Handler(BaseHTTPRequestHandler):
    """/ the page, /status.json, /page/<digest>.png, /edition/<file> (the output folder, read-only).

    Answers only requests addressed to this machine by name, so a page of another site cannot read
    an unpublished issue through DNS rebinding; every response carries a content security policy
    (the page's own script is the only one that runs: an issue's SVG or HTML runs none, sandboxed)
    and `nosniff`; a malformed path gets 400, 404 or 414, never a traceback.
    """

    preview: Preview

    def do_GET(self) -> None:
        if not self._addressed_here():
            self.send_error(HTTPStatus.BAD_REQUEST, "this preview answers only requests for 127.0.0.1, localhost or [::1] with its port")
            return
        if len(self.path) > _MAX_PATH:
            self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
            return
        path = unquote(urlparse(self.path).path)
        if "\0" in path:
            self.send_error(HTTPStatus.BAD_REQUEST)
        elif path == "/":
            self._send(_PAGE.encode("utf-8"), "text/html; charset=utf-8")
        elif path == "/status.json":
            self._send(json.dumps(self.preview.status()).encode("utf-8"), "application/json")
        elif path.startswith("/page/") and path.endswith(".png"):
            png = self.preview.page_image(path[len("/page/") : -len(".png")])
            if png is None:
                self.send_error(HTTPStatus.NOT_FOUND)
            else:
                self._send(png, "image/png", cache=True)
        elif path.startswith("/edition/"):
            self._send_output(path[len("/edition/") :])
        else:
            self.send_error(HTTPStatus.NOT_FOUND)

    def _addressed_here(self) -> bool:
        port = cast(ThreadingHTTPServer, self.server).server_port
        return self.headers.get("Host", "") in {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}

    def _send_output(self, name: str) -> None:
        root = self.preview.out_dir.resolve()
        try:
            target = (root / name).resolve()
            found = target.is_relative_to(root) and target.is_file() and not any(p.startswith(".") for p in target.relative_to(root).parts)
            body = target.read_bytes() if found else b""
        except (OSError, RuntimeError, ValueError):  # a name too long, a symlink loop
            found = False
        if not found:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        kinds = {".html": "text/html; charset=utf-8", ".png": "image/png", ".jpg": "image/jpeg", ".svg": "image/svg+xml", ".pdf": "application/pdf"}
        self._send(body, kinds.get(target.suffix.lower(), "application/octet-stream"))

    def _send(self, body: bytes, kind: str, cache: bool = False) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=31536000, immutable" if cache else "no-store")
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        """Every response, errors included: the page's policy for `/`, no scripts anywhere else."""
        self.send_header("Content-Security-Policy", _PAGE_POLICY if urlparse(getattr(self, "path", "")).path == "/" else _NO_SCRIPT)
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A request that failed: one line, not socketserver's traceback (a closed connection: nothing)."""
        failed = sys.exc_info()[1]
        if not isinstance(failed, ConnectionError):
            print(printable(f"preview: a request failed: {type(failed).__name__}: {failed}"), file=sys.stderr)


def serve(preview: Preview, port: int = 8000) -> ThreadingHTTPServer:
    """Start serving `preview` on 127.0.0.1:`port` (0: any free port) in a daemon thread."""
    handler = type("Handler", (_Handler,), {"preview": preview})
    server = _Server(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(preview: Preview, port: int, ready: Callable[[str], None], stop: threading.Event | None = None) -> None:
    """Build, serve, then rebuild on every change under the watched folders until `stop` (or Ctrl-C)."""
    preview.rebuild()
    server = serve(preview, port)
    ready(f"http://127.0.0.1:{server.server_address[1]}/")
    try:
        rebuild_on_change(preview.watched, preview.out_dir, preview.rebuild, stop)
    finally:
        server.shutdown()
        preview.workers.close()


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>folio preview</title>
<style>
body { margin: 0; font: 14px system-ui, sans-serif; background: #e8e8e8; color: #222; }
header { position: sticky; top: 0; z-index: 1; display: flex; gap: 1.5em; align-items: baseline; padding: .6em 1em; background: #222; color: #eee; }
header a { color: #9cf; }
#error { display: none; margin: 0; padding: 1em; background: #fde8e8; color: #8a1010; border-bottom: 2px solid #c33; white-space: pre-wrap; font: 13px ui-monospace, monospace; }
#pages { display: flex; flex-wrap: wrap; gap: 16px; padding: 16px; }
figure { margin: 0; text-align: center; font-size: 12px; color: #666; }
img.page { display: block; width: 420px; background: white; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
</style></head>
<body>
<header><strong>folio preview</strong><span id="state">loading…</span><a id="edition" href="#">HTML edition</a></header>
<pre id="error"></pre>
<main id="pages"></main>
<script>
let shown = -1;
async function poll() {
  try {
    const s = await (await fetch("/status.json", {cache: "no-store"})).json();
    document.getElementById("state").textContent = s.building ? "building…" :
      `${s.pages.length} pages · ${s.seconds} s · laid out: ${s.laid_out.join(", ") || "nothing new"}`;
    const error = document.getElementById("error");
    error.textContent = s.error;
    error.style.display = s.error ? "block" : "none";
    document.getElementById("edition").href = "/edition/" + encodeURIComponent(s.edition);
    if (s.version !== shown && !s.building) {
      shown = s.version;
      const main = document.getElementById("pages");
      s.pages.forEach((digest, i) => {
        let figure = main.children[i];
        if (!figure) {
          figure = document.createElement("figure");
          figure.innerHTML = '<img class="page" alt=""><figcaption></figcaption>';
          main.appendChild(figure);
        }
        const img = figure.querySelector("img");
        if (img.dataset.digest !== digest) { img.dataset.digest = digest; img.src = "/page/" + digest + ".png"; }
        img.alt = "page " + (i + 1);
        figure.querySelector("figcaption").textContent = i + 1;
      });
      while (main.children.length > s.pages.length) main.lastChild.remove();
      document.body.dataset.version = s.version;
    }
  } catch (e) {
    document.getElementById("state").textContent = "preview server stopped";
  }
  setTimeout(poll, 400);
}
poll();
</script>
</body></html>
"""


_SCRIPT = _PAGE.split("<script>", 1)[1].split("</script>", 1)[0]
_PAGE_POLICY = (
    f"default-src 'none'; script-src 'sha256-{base64.b64encode(hashlib.sha256(_SCRIPT.encode('utf-8')).digest()).decode('ascii')}'; "
    "style-src 'unsafe-inline'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
