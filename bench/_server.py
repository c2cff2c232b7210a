"""The app served as `make run` serves it (init-db, then gunicorn) on a fresh database, on 127.0.0.1 only.

The database is a fresh SQLite file in the run's temporary folder, or (`database_url`: a PostgreSQL server's
URL) a fresh database of the run's own on that server, created through an AUTOCOMMIT connection to the URL's
database and dropped at the end (on an error or Ctrl-C too) unless kept."""

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
from collections.abc import Callable
from pathlib import Path

import requests
from sqlalchemy import create_engine
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
# ... "GET /path HTTP/1.1" 200 1234 <ms> <sent: X-Bench-Sent, or -> <written: bench/_bench_logger.py>
ACCESS_FORMAT = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)s %({x-bench-sent}i)s %(E)s'
ACCESS_LINE = re.compile(r'"(GET|POST|HEAD) (\S+) HTTP/[\d.]+" (\d{3}) \S+ (\d+) (\S+) (\S+)$')


SECRET_KEY = "bench"  # the benches' server secret: _verify.py reads the answer tokens with it


def _served_ms(sent: str, written: str) -> float | None:
    try:
        return (float(written) - float(sent)) * 1000
    except ValueError:  # "-": no header
        return None


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


class Database:
    """The run's own database: a SQLite file in `folder`, or a fresh PostgreSQL database named `name` on the
    server of `server_url` (created by `create()`, dropped by `drop()`)."""

    def __init__(self, folder: Path, server_url: str | None, name: str = "quizapp_bench"):
        self.postgres = server_url is not None and make_url(server_url).get_backend_name() == "postgresql"
        if server_url is not None and not self.postgres:
            raise ValueError(f"--database-url: a postgresql+psycopg:// URL, not {server_url!r}")
        self.file = None if self.postgres else folder / "bench.sqlite3"
        self.server_url = make_url(server_url) if server_url else None
        self.name = f"{name}_{os.getpid()}" if self.postgres else ""
        self.created = False

    @property
    def url(self) -> str:
        """The database's SQLAlchemy URL, as the app's DATABASE_URL (password included)."""
        if self.server_url is None:
            return f"sqlite:///{self.file}"
        return self.server_url.set(database=self.name).render_as_string(hide_password=False)

    def read_only_url(self) -> str:
        """A URL to read the database while the server may still hold it (SQLite: opened read-only)."""
        return f"sqlite:///file:{self.file}?mode=ro&uri=true" if self.file else self.url

    def __str__(self) -> str:
        """Where it is, for the header line (a file's path; a server's database without its password)."""
        if self.server_url is None:
            return str(self.file)
        return self.server_url.set(database=self.name).render_as_string(hide_password=True)

    def _admin(self) -> Engine:
        assert self.server_url is not None
        return create_engine(self.server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def create(self) -> None:
        """PostgreSQL: create the run's database (dropping a leftover of the same name); SQLite: nothing."""
        if not self.postgres:
            return
        admin = self._admin()
        try:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
                connection.exec_driver_sql(f'CREATE DATABASE "{self.name}"')
            self.created = True
        finally:
            admin.dispose()

    def drop(self) -> None:
        """PostgreSQL: drop the run's database (its connections closed by force). The SQLite file goes with
        its folder."""
        if not self.created:
            return
        admin = self._admin()
        try:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.created = False
        finally:
            admin.dispose()

    def engine(self) -> Engine:
        """An engine for the checks after a run: SQLite opened read-only, PostgreSQL as is (no pool)."""
        return create_engine(self.read_only_url(), poolclass=NullPool)


def engine_name(url: str | URL | None) -> str:
    """'sqlite' or 'postgresql' for a --database-url (None: the SQLite default)."""
    return "sqlite" if url is None else make_url(url).get_backend_name()


class Server:
    """gunicorn on a fresh database (a SQLite file in a temporary folder, or a PostgreSQL database of its own
    on the server of `database_url`); use as a context manager (always stopped, the database dropped).

    `app` and `init` serve something else than quizapp (bench/limit.py): gunicorn's app spec (imported from
    bench/) and a function run on the fresh database's URL before gunicorn starts."""

    def __init__(
        self,
        workers: int,
        threads: int,
        keep: bool = False,
        port: int | None = None,
        timed_log: bool = False,
        database_url: str | None = None,
        app: str = "quizapp:create_app()",
        init: Callable[[str], None] | None = None,
        name: str = "quizapp_bench",
    ):
        self.workers, self.threads, self.keep, self.timed_log = workers, threads, keep, timed_log
        self.app, self.init = app, init
        self.worker_class = worker_class(threads)
        self.folder = Path(tempfile.mkdtemp(prefix=f"{name.replace('_', '-')}-"))
        self.db = Database(self.folder, database_url, name)
        self.database = self.db.file or self.db  # printed as "on <where>"
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
            DATABASE_URL=self.db.url,
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
        self.db.create()
        if self.init is not None:
            self.init(self.db.url)
        else:
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
            options["--logger-class"] = "_bench_logger.TimedLogger"
            options["--pythonpath"] = ROOT / "bench"
        if self.init is not None:  # an app of the bench folder's, without quizapp's gunicorn.conf.py
            (self.folder / "gunicorn.conf.py").write_text("")
            options["--config"] = self.folder / "gunicorn.conf.py"
            options["--pythonpath"] = ROOT / "bench"
        return [
            str(BIN / "gunicorn"),
            *(str(x) for pair in options.items() for x in pair),
            self.app,
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

    def request_times(self) -> list[tuple[str, str, int, int, float | None]]:
        """(method, path, status, ms, served ms) of every request in the access log (needs `timed_log`): ms is
        the time from when a worker read the request to its response, without the wait in gunicorn's queue;
        served ms (None when the client sent no X-Bench-Sent header) from the client's sending the request
        to the response's being written, the queue included and the simulated client's own delays not."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return [
            (m.group(1), m.group(2), int(m.group(3)), int(m.group(4)), _served_ms(m.group(5), m.group(6)))
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

    def worker_pids(self) -> list[int]:
        """The gunicorn workers' process ids (children of the master), e.g. for py-spy."""
        if self.process is None or self.process.poll() is not None:
            return []
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

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
        try:
            self.stop()
        finally:
            if self.keep:
                if self.db.created:
                    print(f"kept database {self.db} and folder {self.folder}", flush=True)
            else:
                try:
                    self.db.drop()
                finally:
                    shutil.rmtree(self.folder, ignore_errors=True)
