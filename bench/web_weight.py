"""Page weight of the web edition: what Chromium downloads for the issue page and each article page,
at a phone's width (390 px) and a desktop's (1280 px), scrolled to the end so every lazy image loads.

    python bench/web_weight.py [OUTPUT]      # default output/, after `folio build`

Prints kB by kind (HTML, CSS, fonts, images) as the server sends them (no compression).
"""

from __future__ import annotations

import functools
import sys
import threading
from collections import Counter
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def kind(url: str) -> str:
    suffix = url.rsplit(".", 1)[-1] if "." in url.rsplit("/", 1)[-1] else "html"
    return {"woff2": "fonts", "webp": "images", "svg": "images", "css": "css"}.get(suffix, "html")


def main() -> None:
    web = Path(sys.argv[1] if len(sys.argv) > 1 else "output") / "web"
    issue = next(p for p in web.iterdir() if (p / "index.html").is_file())
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(web)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/{issue.name}/"
    paths = ["", *sorted(f"{p.name}/" for p in issue.iterdir() if (p / "index.html").is_file())]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        for width in (390, 1280):
            for path in paths:
                page = browser.new_page(viewport={"width": width, "height": 900})
                sizes: Counter[str] = Counter()
                page.on("response", lambda r, sizes=sizes: sizes.update({kind(r.url): len(r.body())}) if r.ok else None)
                page.goto(base + path)
                page.evaluate(
                    "async () => { for (let y = 0; y < document.body.scrollHeight; y += 600) { window.scrollTo(0, y); await new Promise(r => setTimeout(r, 50)); } }"
                )
                page.wait_for_load_state("networkidle")
                parts = "  ".join(f"{k} {sizes[k] / 1000:6.1f}" for k in ("html", "css", "fonts", "images"))
                print(f"{width:5d} px  {path or '(issue page)':32s} total {sum(sizes.values()) / 1000:7.1f} kB   {parts}")
                page.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
