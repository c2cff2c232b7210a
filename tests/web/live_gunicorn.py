"""quizapp served for real, as `make run` serves it: `flask init-db` on a fresh SQLite file, then gunicorn
with the Makefile's worker class, WORKERS x THREADS and keep-alive (or another shape) on a free local port.
For tests that need several worker processes or real sockets, or several servers on one database."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.databases import empty_database

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _makefile_default(name: str) -> str:
    match = re.search(rf"^{name}\s*\?=\s*(\S+)\s*$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert match, f"the Makefile has no {name} ?= default"
    return match.group(1)


MAKE_RUN = (
    int(_makefile_default("WORKERS")),
    int(_makefile_default("THREADS")),
)  # (workers, threads) of `make run`
THREADED = (2, 8)  # fewer processes, many threads each: writers of one process also race each other
WORKER_CLASS = _makefile_default("WORKER_CLASS")  # `make run`'s gunicorn worker class
KEEP_ALIVE = int(_makefile_default("KEEP_ALIVE"))  # seconds `make run` keeps an idle connection open


def worker_class(shape: tuple[int, int]) -> str:
    """The worker class serving `shape`: `make run`'s with one thread per worker, gunicorn's thread workers
    with more (as `WORKER_CLASS=gthread THREADS=8 make run` would serve)."""
    return WORKER_CLASS if shape[1] == 1 else "gthread"


@dataclass(frozen=True)
class Server:
    """A running gunicorn: its base URL, database file, log file and the environment it runs with."""

    url: str
    database: str  # its URL
    log: Path
    env: dict[str, str]


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll the home page until the server answers (or fail with its log)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if requests.get(url, timeout=10).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or its workers still booting
            time.sleep(0.1)
    pytest.fail(f"gunicorn did not answer within 30 s:\n{log.read_text()}")


def flask_command(env: dict[str, str], *args: str, **run: object) -> subprocess.CompletedProcess[str]:
    """Run `flask --app quizapp ARGS` in the server's environment (its database, its settings)."""
    command = [str(BIN / "flask"), "--app", "quizapp", *args]
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, **run)  # type: ignore[call-overload]


def _stop(process: subprocess.Popen[bytes]) -> None:
    """gunicorn's quick shutdown, then SIGKILL to its whole process group: a worker that outlived its master
    (a master killed after 10 s leaves its workers running) must not serve on after the test."""
    process.send_signal(signal.SIGQUIT)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    with contextlib.suppress(ProcessLookupError):  # every process of the group has exited
        os.killpg(process.pid, signal.SIGKILL)  # the group is the master's own (start_new_session)


@contextmanager
def gunicorn(
    folder: Path,
    *options: str,
    shape: tuple[int, int] = MAKE_RUN,
    database: str | None = None,
    **settings: str,
) -> Iterator[Server]:
    """gunicorn serving quizapp on a fresh database (a file in `folder`, or PostgreSQL's), stopped on exit.

    `shape` is (workers, threads) (see `worker_class`); `settings` are environment variables for the app
    (e.g. SECRET_KEY); `options` are more gunicorn options. With `database` (another server's URL), it serves
    that database instead of a fresh one, as a second app server would (`init-db` runs again: it is safe to);
    give it its own `folder` (its log, instance folder and control socket) and the same SECRET_KEY.
    """
    database, log = database or empty_database(folder, "gunicorn"), folder / "gunicorn.log"
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "QUIZAPP_INSTANCE_PATH": str(folder / "instance"),
        **settings,
    }
    initialised = flask_command(env, "init-db")
    assert initialised.returncode == 0, initialised.stdout + initialised.stderr
    port = free_port()
    command = [
        BIN / "gunicorn",
        "--worker-class",
        worker_class(shape),
        "--workers",
        str(shape[0]),
        "--threads",
        str(shape[1]),
        "--bind",
        f"127.0.0.1:{port}",
        "--keep-alive",
        str(KEEP_ALIVE),
        "--control-socket",  # in the test's folder, not the shared ~/.gunicorn
        str(folder / "gunicorn.ctl"),
        *options,
        "quizapp:create_app()",
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", process, log)
        yield Server(f"http://127.0.0.1:{port}", database, log, env)
    finally:
        _stop(process)
