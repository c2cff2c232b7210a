"""The app served as `make run` serves it (init-db, then gunicorn) on a fresh database, on 127.0.0.1 only."""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
ACCESS_FORMAT = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)s'  # ... "GET /path HTTP/1.1" 200 1234 <ms>
ACCESS_LINE = re.compile(r'"(GET|POST|HEAD) (\S+) HTTP/[\d.]+" (\d{3}) \S+ (\d+)$')


SECRET_KEY = "bench"  # the benches' server secret: _verify.py reads the answer tokens with it


def makefile_default(name: str, fallback: int) -> int:
    """A numeric `NAME ?= value` default of the Makefile (so the bench serves as `make run` does)."""
    return int(makefile_setting(name, str(fallback)))


def makefile_setting(name: str, fallback: str) -> str:
    """A `NAME ?= value` default of the Makefile, as written."""
    match = re.search(rf"^{name}\s*\?=\s*(\S+)\s*$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    return match.group(1) if match else fallback


def worker_class(threads: int) -> str:
    """`make run`'s gunicorn worker class with one thread per worker; gunicorn's thread workers with more."""
    return makefile_setting("WORKER_CLASS", "sync") if threads == 1 else "gthread"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _children_cpu() -> float:
    """CPU seconds used by this process's finished children (gunicorn's workers count once it reaps them)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Server:
    """gunicorn on a fresh SQLite file in a temporary folder; use as a context manager (always stopped)."""

    def __init__(
        self, workers: int, threads: int, keep: bool = False, port: int | None = None, timed_log: bool = False
    ):
        self.workers, self.threads, self.keep, self.timed_log = workers, threads, keep, timed_log
        self.worker_class = worker_class(threads)
        self.folder = Path(tempfile.mkdtemp(prefix="quizapp-bench-"))
        self.database = self.folder / "bench.sqlite3"
        self.log = self.folder / "gunicorn.log"
        self.port = port or free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.cpu_seconds = 0.0  # user + system time of gunicorn and its workers, known once stopped
        self._cpu_before = 0.0

    def environment(self) -> dict[str, str]:
        """The environment `make run` would see, pointed at the temporary folder."""
        env = dict(os.environ)
        env.update(
            DATABASE_URL=f"sqlite:///{self.database}",
            SECRET_KEY=SECRET_KEY,
            QUIZAPP_INSTANCE_PATH=str(self.folder / "instance"),
        )
        return env

    def __enter__(self) -> Server:
        try:
            self._start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _start(self) -> None:
        env = self.environment()
        subprocess.run(
            [str(BIN / "flask"), "--app", "quizapp", "init-db"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self._cpu_before = _children_cpu()
        with self.log.open("wb") as log:
            # A session of its own, so the master and its workers are stopped together by process group.
            self.process = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_until_up(deadline=time.monotonic() + 30)

    def command(self) -> list[str]:
        """`make run`'s gunicorn command, with a control socket of its own (the default one,
        ~/.gunicorn/gunicorn.ctl, would be shared with any other gunicorn of this user). With `timed_log`,
        each access log line ends with the milliseconds gunicorn spent on the request (`request_times`)."""
        options: dict[str, object] = {
            "--worker-class": self.worker_class,
            "--workers": self.workers,
            "--threads": self.threads,
            "--bind": f"{HOST}:{self.port}",
            "--keep-alive": makefile_default("KEEP_ALIVE", 30),
            "--access-logfile": "-",
            "--control-socket": self.folder / "gunicorn.ctl",
        }
        if self.timed_log:
            options["--access-logformat"] = ACCESS_FORMAT
        return [
            str(BIN / "gunicorn"),
            *(str(x) for pair in options.items() for x in pair),
            "quizapp:create_app()",
        ]

    def _wait_until_up(self, deadline: float) -> None:
        assert self.process is not None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(self.url + "/", timeout=5, proxies={"http": "", "https": ""}).ok:
                    return
            except requests.RequestException:  # not listening yet, or still booting
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within 30 s:\n{self.log_tail()}")

    def request_times(self) -> list[tuple[str, str, int, int]]:
        """(method, path, status, ms) of every request in the access log (needs `timed_log`): the time from
        when a worker thread read the request to its response, without the wait in gunicorn's queue."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return [
            (m.group(1), m.group(2), int(m.group(3)), int(m.group(4)))
            for m in map(ACCESS_LINE.search, text.splitlines())
            if m
        ]

    def log_tail(self, lines: int = 30) -> str:
        """The end of the server's log."""
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def first_traceback(self, lines: int = 40) -> str:
        """The first traceback of the server's log (the likely cause of any 500), or ''."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        start = text.find("Traceback")
        return "\n".join(text[start:].splitlines()[:lines]) if start >= 0 else ""

    def log_problems(self) -> dict[str, int]:
        """How often the server log mentions a traceback or a locked database."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return {"tracebacks": text.count("Traceback"), "database is locked": text.count("database is locked")}

    def cpu_now(self) -> float:
        """CPU seconds used so far by gunicorn and its workers, read from /proc (Linux; 0 elsewhere)."""
        if self.process is None or self.process.poll() is not None:
            return 0.0
        ticks = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:  # after the command's ")": state ppid pgrp ... utime (12th) stime (13th)
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):  # the process ended meanwhile
                continue
            if int(fields[2]) == self.process.pid:  # its own process group (start_new_session)
                ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """Stop gunicorn (TERM, then KILL after 10 s) by its own process group."""
        if self.process is None or self.process.poll() is not None:
            return
        group = os.getpgid(self.process.pid)
        os.killpg(group, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            self.process.wait()
        self.cpu_seconds = _children_cpu() - self._cpu_before

    def __exit__(self, *_exc: object) -> None:
        self.stop()
        if not self.keep:
            shutil.rmtree(self.folder, ignore_errors=True)
