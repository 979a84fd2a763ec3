"""The preview's HTTP server (issue 10, item 3): it answers only requests addressed to this machine
by name (no DNS rebinding), sends a strict content security policy and `nosniff` on every response,
and answers a malformed path with 400, 404 or 414 rather than a traceback and silence."""

from __future__ import annotations

import http.client
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
from harness import ENV, copy_minimal, kill_group


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, list[str]]]:
    """`typeset preview` of the minimal issue on a free port: (port, the lines it printed so far)."""
    folder = tmp_path_factory.mktemp("preview")
    issue = copy_minimal(folder)
    (issue / "images" / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="170mm" height="90mm"><script>fetch("/status.json")</script></svg>'
    )
    command = [sys.executable, "-m", "typeset", "preview", str(issue), "-o", str(folder / "out"), "--port", "0"]
    process = subprocess.Popen(command, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: queue.Queue[str] = queue.Queue()
    printed: list[str] = []

    def read() -> None:
        for line in process.stdout or ():
            printed.append(line)
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    try:
        first = lines.get(timeout=90)
        assert first.startswith("preview on http://127.0.0.1:"), first
        port = int(first.split()[2].rstrip("/").rsplit(":", 1)[1])
        yield port, printed
    finally:
        kill_group(process.pid)
        process.wait()


def _get(port: int, path: str, host: str | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
    connection.endheaders()
    response = connection.getresponse()
    response.read()
    return response


def _policy(response: http.client.HTTPResponse) -> dict[str, list[str]]:
    header = response.getheader("Content-Security-Policy") or ""
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in header.split(";")) if d}


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.nip.io:{port}", "localhost.evil.example:{port}", ""])
def test_requests_for_another_host_are_refused(host: str, preview: tuple[int, list[str]]) -> None:
    port = preview[0]
    for path in ("/", "/status.json", "/edition/the-test-monitor-issue-3.html"):
        response = _get(port, path, host.format(port=port))
        assert response.status in (400, 403, 421), (host, path, response.status)


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}"])
def test_requests_for_this_machine_are_answered(host: str, preview: tuple[int, list[str]]) -> None:
    port = preview[0]
    assert _get(port, "/status.json", host.format(port=port)).status == 200


@pytest.mark.parametrize("path", ["/", "/status.json", "/edition/the-test-monitor-issue-3.html", "/edition/images/chart.svg", "/page/none.png", "/nothing"])
def test_every_response_has_a_strict_policy_and_nosniff(path: str, preview: tuple[int, list[str]]) -> None:
    response = _get(preview[0], path)
    assert response.getheader("X-Content-Type-Options") == "nosniff", path
    policy = _policy(response)
    assert policy.get("default-src") == ["'none'"], (path, policy)
    scripts = policy.get("script-src", ["'none'"])
    assert "'unsafe-inline'" not in scripts and "*" not in scripts, (path, policy)
    if path != "/":  # only the preview's own page runs a script: the one whose hash it names
        assert scripts == ["'none'"], (path, policy)


def test_the_issues_own_svg_runs_no_script(preview: tuple[int, list[str]]) -> None:
    response = _get(preview[0], "/edition/images/chart.svg")
    assert response.status == 200
    assert _policy(response).get("script-src", ["'none'"]) == ["'none'"]


@pytest.mark.parametrize(
    ("path", "statuses"),
    [("/edition/x%00.png", (400, 404)), ("/" + "a" * 60_000, (414,)), ("/edition/" + "a/" * 30_000, (414,)), ("/edition/%ff%fe.png", (400, 404))],
)
def test_malformed_paths_get_an_answer(path: str, statuses: tuple[int, ...], preview: tuple[int, list[str]]) -> None:
    assert _get(preview[0], path).status in statuses
    assert _get(preview[0], "/status.json").status == 200  # and the server still serves


def test_no_traceback_after_all_of_it(preview: tuple[int, list[str]]) -> None:
    """Run last in this module: whatever the requests above did, the server printed no traceback."""
    port, printed = preview
    _get(port, "/edition/x%00.png")
    _get(port, "/" + "b" * 60_000)
    assert _get(port, "/status.json").status == 200
    time.sleep(0.5)  # what a request's thread printed has reached us
    assert not any("Traceback" in line for line in printed), "".join(printed)
