"""The build server: `typeset build` commands run one after another in one warm process.

Started by `server_client` as `python -m typeset.server SOCKET`. It keeps warm what every build
in a fresh process would set up again: Python's imports, the layout workers (WeasyPrint imported
and warmed by their fork server), the theme's parsed CSS and fonts in each worker, and what was
read from files that have not changed since. Each request is a command line with the client's
working folder and environment; the server runs the very `typeset` command (`cli.main`) there,
with its output captured, and answers with that output and the exit code. Only the user who
owns the socket may connect. It stops when told (`typeset server stop`), on SIGTERM, or after
`TYPESET_SERVER_IDLE` seconds (default 15 minutes) without a request.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import signal
import socket
import struct
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from typeset.layout.worker import give_back_memory
from typeset.server_client import IDLE_SECONDS
from typeset.layout.pool import Workers, start_fork_server


def serve(path: Path, idle: float) -> None:
    with open(path.with_suffix(".lock"), "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return  # another server for this code is starting or running
        start_fork_server()
        workers = Workers()
        workers.start()
        from typeset.cli import main as command  # after the fork server started: it warms up meanwhile

        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        path.unlink(missing_ok=True)
        listener.bind(str(path))
        os.chmod(path, 0o600)
        listener.listen(16)
        listener.settimeout(idle)
        signal.signal(signal.SIGTERM, lambda *_: listener.close())
        status = {"pid": os.getpid(), "started": time.time(), "served": 0, "socket": str(path)}
        try:
            while True:
                try:
                    connection, _ = listener.accept()
                except OSError:  # idle for too long, or closed by SIGTERM
                    break
                with connection:
                    connection.settimeout(None)
                    if _peer_uid(connection) != os.getuid():
                        continue
                    request = _read_request(connection)
                    if request.get("stop"):
                        _send(connection, {"stopped": os.getpid()})
                        break
                    if request.get("status"):
                        _send(connection, status)
                        continue
                    reply = _run(command, request, workers)
                    status["served"] += 1
                    with contextlib.suppress(OSError):  # the client went away (Ctrl-C): the build stands
                        _send(connection, reply)
        finally:
            listener.close()
            path.unlink(missing_ok=True)  # ours: the lock kept any other server for this code away
            workers.close()


def _run(command: Any, request: dict[str, Any], workers: Workers) -> dict[str, Any]:
    """The command line in the client's folder and environment, as the client would have run it."""
    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    code: int = 0
    try:
        os.environ.clear()
        os.environ.update({str(k): str(v) for k, v in dict(request["env"]).items()})
        os.chdir(str(request["cwd"]))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                command.main(args=[str(a) for a in request["argv"]], prog_name="typeset", obj=workers)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    except Exception:  # noqa: BLE001 - a request the server cannot even start (no such folder…)
        traceback.print_exc()
        return {}  # no answer: the client runs the command itself
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        give_back_memory()
    return {"stdout": out.getvalue(), "stderr": err.getvalue(), "code": code}


def _read_request(connection: socket.socket) -> dict[str, Any]:
    data = b""
    while not data.endswith(b"\n"):
        chunk = connection.recv(1 << 16)
        if not chunk:
            break
        data += chunk
    try:
        request = json.loads(data.decode("utf-8"))
    except ValueError:
        return {}
    return request if isinstance(request, dict) else {}


def _send(connection: socket.socket, reply: dict[str, Any]) -> None:
    connection.sendall(json.dumps(reply).encode("utf-8"))
    connection.shutdown(socket.SHUT_WR)


def _peer_uid(connection: socket.socket) -> int:
    """The connecting process's user (Linux); elsewhere the socket's 0600 mode is the guard."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return os.getuid()
    _pid, uid, _gid = struct.unpack("3i", connection.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i")))
    return int(uid)


if __name__ == "__main__":
    serve(Path(sys.argv[1]), float(os.environ.get("TYPESET_SERVER_IDLE") or IDLE_SECONDS))
