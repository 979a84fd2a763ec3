"""`typeset build` (and `check`) through a warm build server: find it (or start it), send the command, relay the answer.

A build in a fresh process pays for starting Python, importing WeasyPrint and warming its fonts
before it lays out a page: over a second, most of a one-word rebuild. The build server
(`server`) keeps all that warm, with its layout workers and what it read from unchanged files,
and runs the command in the client's folder and environment exactly as the command would run
here. This side stays small (standard library only) so that it starts in milliseconds.

There is one server per user and installed code (this Python, typeset's files, the installed
packages), on a Unix socket in a folder only the user can enter; it stops after 15 idle minutes.
`pipeline` starts it; `check` uses it when it runs, and otherwise checks in its own process.
`TYPESET_SERVER=off`, or a CI run (the `CI` variable), builds in-process. Anything wrong with
the server (it cannot start, it went away) falls back to building in-process.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Any

IDLE_SECONDS = 15 * 60
_START_WAIT = 30.0  # seconds for a new server to answer: a first start imports everything cold


def wanted() -> bool:
    """Whether `typeset build` should go through the server."""
    setting = os.environ.get("TYPESET_SERVER", "").strip().lower()
    if setting in {"0", "off", "no", "false"}:
        return False
    if setting in {"1", "on", "yes", "true"}:
        return hasattr(socket, "AF_UNIX")
    return not os.environ.get("CI") and hasattr(socket, "AF_UNIX")


def folder() -> Path:
    """The user's private folder for server sockets and the server's log."""
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    path = Path(base) / f"typeset-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    stat = path.stat()
    if stat.st_uid != os.getuid() or stat.st_mode & 0o077:
        raise OSError(f"{path} is not private to this user")
    return path


def socket_path() -> Path:
    return folder() / f"build-{_code_key()}.sock"


def _code_key() -> str:
    """Changes when the code a server has imported may differ from what this process would run."""
    package = Path(__file__).parent
    h = hashlib.sha256(f"{sys.executable}\n{package}\n".encode())
    for path in sorted(p for p in package.rglob("*") if "__pycache__" not in p.parts):
        stat = path.stat()
        h.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    for site in dict.fromkeys((sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"])):
        try:
            h.update(str(os.stat(site).st_mtime_ns).encode())  # a package installed, upgraded or removed
        except OSError:
            pass
    return h.hexdigest()[:16]


def run(argv: list[str], *, start: bool) -> int | None:
    """Run `typeset ARGV` on the server (started first if `start` and none runs) and relay its
    output: its exit code, or None to run the command here."""
    started = False
    try:
        path = socket_path()
        connection = _connect(path)
        if connection is None and start:
            connection, started = _start(path), True
        if connection is None:
            return None
        with connection:
            reply = _ask(connection, {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)})
        stdout, stderr, code = str(reply["stdout"]), str(reply["stderr"]), int(reply["code"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    sys.stdout.write(stdout)
    sys.stderr.write(stderr)
    if started:
        sys.stderr.write(
            "(started a build server that keeps your next builds fast; it stops after 15 idle minutes or on\n"
            " 'typeset server stop'; TYPESET_SERVER=off builds without it)\n"
        )
    sys.stdout.flush()
    return code


def ask(path: Path, request: dict[str, Any]) -> dict[str, Any] | None:
    """One request to the server at `path` (status, stop); None if none answers there."""
    connection = _connect(path)
    if connection is None:
        return None
    with connection:
        try:
            return _ask(connection, request)
        except (OSError, ValueError):
            return None


def _ask(connection: socket.socket, request: dict[str, Any]) -> dict[str, Any]:
    connection.sendall(json.dumps(request).encode("utf-8") + b"\n")
    chunks = []
    while chunk := connection.recv(1 << 16):
        chunks.append(chunk)
    reply = json.loads(b"".join(chunks).decode("utf-8"))
    if not isinstance(reply, dict):
        raise ValueError("not a reply")
    return reply


def _connect(path: Path) -> socket.socket | None:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(str(path))
    except OSError:
        connection.close()
        return None
    return connection


def _start(path: Path) -> socket.socket | None:
    """Start a server for `path`, detached from this terminal, and connect once it listens."""
    with open(path.with_name("server.log"), "ab") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "typeset.server", str(path)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True, close_fds=True,
        )
    deadline = time.monotonic() + _START_WAIT
    while time.monotonic() < deadline:
        connection = _connect(path)
        if connection is not None:
            return connection
        if server.poll() is not None:  # it could not start (its log says why), or another server won the lock
            return _connect(path)
        time.sleep(0.01)
    return None
