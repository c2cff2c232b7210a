"""The machine's own limit for an answer POST: a bare Flask endpoint that reads the form and writes one row,
served and hammered as load.py and classroom.py serve and hammer quizapp.

    .venv/bin/python bench/limit.py [--concurrency 50] [--seconds 20 | --count 5000] [--database-url URL]

The endpoint (bench/_limit_app.py) reads an answer's form and INSERTs one row of a few columns (a response
row's shape) in a transaction of its own, set up as quizapp/database.py sets up quizapp's (SQLite: WAL, busy
timeout, a per-process writer lock, BEGIN IMMEDIATE; PostgreSQL: a fresh database of its own on the server of
--database-url, dropped at the end). gunicorn serves it with `make run`'s worker class, workers, threads and
keep-alive (bench/_server.py reads them from the Makefile). `--concurrency` clients, each a thread with its
own requests.Session, POST back to back (no think time: the limit is the throughput at saturation); after a
warm-up, requests finished within the measured window count. Prints requests/s, p50/p95 and the server's CPU
per request. load.py and classroom.py run the same measurement before their own run with `--limit`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests
from _limit_app import answer, create_table
from _server import Server, engine_name, makefile_default
from _student import StepFailed, Student, expect_redirect
from _verify import read_only, rows

WARM_UP_S = 2.0


class Client(Student):
    """One simulated client: a browser (its own requests.Session) sending answers back to back."""

    def hammer(self, stop: threading.Event, done: list[tuple[float, float]]) -> None:
        """POST answers until `stop`; each acknowledged one goes to `done` as (finished at, ms)."""
        with requests.Session() as session:
            session.trust_env = False  # never a proxy: the bench talks to 127.0.0.1 only
            position = 1
            try:
                while not stop.is_set():
                    choices = self.rng.sample("abcd", self.rng.randint(1, 3))
                    data = [
                        ("csrf_token", "x" * 90),
                        ("client", str(self.number)),
                        ("position", str(position)),
                    ]
                    response = self.timed(
                        session,
                        "answer_post",
                        "POST",
                        "/answer",
                        data=data + [("choice", c) for c in choices],
                    )
                    expect_redirect(response, "answer_post", f"next={position + 1}")
                    done.append((time.monotonic(), self.latencies["answer_post"][-1]))
                    self.sent[position] = []
                    position += 1
            except StepFailed as exc:
                self.error = str(exc)


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank p-th percentile (0 when empty), as load.py computes it."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def measure_before(args: argparse.Namespace) -> dict[str, Any] | None:
    """With `--limit`, the limit measured and printed just before a load or classroom run: the same server
    shape, engine, concurrency (and clients' niceness, where the run has one); None without it."""
    if not args.limit:
        return None
    limit = measure(
        args.concurrency,
        args.workers,
        args.threads,
        args.database_url,
        args.limit_seconds,
        nice=getattr(args, "client_nice", 0),
        port=args.port,
    )
    print(line(limit), flush=True)
    return limit


def measure(
    concurrency: int,
    workers: int,
    threads: int,
    database_url: str | None = None,
    seconds: float = 20.0,
    count: int | None = None,
    nice: int = 0,
    keep: bool = False,
    port: int | None = None,
) -> dict[str, Any]:
    """Serve the bare endpoint on a fresh database and hammer it; the figures (see `report`). With `nice`, the
    clients run at that niceness (as classroom.py's students), the caller's thread is left as it is."""
    result: dict[str, Any] = {}
    failure: list[BaseException] = []
    abort = threading.Event()  # Ctrl-C or kill in the caller's thread: stop early, the server is stopped

    def run() -> None:
        try:
            if nice:  # this thread, and the clients' threads it starts
                os.nice(nice)
            result.update(
                _measure(concurrency, workers, threads, database_url, seconds, count, keep, port, abort)
            )
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    worker = threading.Thread(target=run, name="limit")
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.2)
    except BaseException:
        abort.set()
        worker.join()
        raise
    if failure:
        raise failure[0]
    return result


def _measure(
    concurrency: int,
    workers: int,
    threads: int,
    database_url: str | None,
    seconds: float,
    count: int | None,
    keep: bool,
    port: int | None,
    abort: threading.Event,
) -> dict[str, Any]:
    server = Server(
        workers,
        threads,
        keep=keep,
        port=port,
        database_url=database_url,
        app="_limit_app:create_app()",
        init=create_table,
        name="quizapp_limit",
    )
    with server:
        load_before = os.getloadavg()[0]
        stop, done = threading.Event(), []
        clients = [
            Client(n, server.url, time.monotonic() + WARM_UP_S + seconds + 600) for n in range(concurrency)
        ]
        pool = ThreadPoolExecutor(max_workers=concurrency)
        try:
            futures = [pool.submit(c.hammer, stop, done) for c in clients]
            abort.wait(WARM_UP_S)
            start, cpu_start, n_start = time.monotonic(), server.cpu_now(), len(done)
            end = start + seconds
            while time.monotonic() < end and not (count and len(done) - n_start >= count):
                if all(f.done() for f in futures):  # every client failed
                    break
                if abort.wait(0.05):
                    raise KeyboardInterrupt
            end, cpu_end = time.monotonic(), server.cpu_now()
        finally:
            stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
        load_after = os.getloadavg()[0]
        window = [ms for at, ms in done if start <= at <= end]
        acknowledged = sum(len(c.sent) for c in clients)
        with read_only(server.db.read_only_url()) as conn:
            stored = rows(conn, f"SELECT COUNT(*) FROM {answer.name}")[0][0]
        server.stop()
    wall = end - start
    errors = [f"client {c.number}: {c.error}" for c in clients if c.error]
    return {
        "engine": engine_name(database_url),
        "concurrency": concurrency,
        "worker_class": server.worker_class,
        "workers": workers,
        "threads": threads,
        "window_s": round(wall, 2),
        "requests": len(window),
        "requests_per_s": round(len(window) / wall, 1) if wall > 0 else 0.0,
        "p50_ms": round(percentile(window, 50), 1),
        "p95_ms": round(percentile(window, 95), 1),
        "server_cpu_s": round(cpu_end - cpu_start, 2),
        "server_cpu_ms_per_request": round(1000 * (cpu_end - cpu_start) / max(1, len(window)), 2),
        "acknowledged": acknowledged,
        "stored": stored,
        "errors": len(errors),
        "error_samples": errors[:5],
        "load_before": round(load_before, 2),
        "load_after": round(load_after, 2),
    }


def line(f: dict[str, Any]) -> str:
    """The measurement in one line."""
    return (
        f"limit ({f['engine']}, bare endpoint writing one row, {f['concurrency']} clients, gunicorn "
        f"{f['workers']} {f['worker_class']} x {f['threads']}): {f['requests_per_s']:.0f} requests/s "
        f"({f['requests']} in {f['window_s']:.0f} s), p50 {f['p50_ms']:.1f} / p95 {f['p95_ms']:.1f} ms, "
        f"server CPU {f['server_cpu_ms_per_request']:.2f} ms/request, {f['errors']} errors, "
        f"{f['stored']} rows for {f['acknowledged']} acknowledged, load average "
        f"{f['load_before']:.2f} -> {f['load_after']:.2f}"
    )


def ratio_line(answers_per_s: float, limit: dict[str, Any] | None) -> str:
    """'answer POSTs/s: X, limit Y/s, ratio X/Y' (the ratio only when the limit was measured)."""
    if not limit:
        return f"answer POSTs/s: {answers_per_s:.1f}"
    top = limit["requests_per_s"]
    ratio = answers_per_s / top if top else 0.0
    return f"answer POSTs/s: {answers_per_s:.1f}, limit {top:.0f}/s, ratio {ratio:.2f} (target >= 0.33)"


def add_limit_arguments(parser: argparse.ArgumentParser) -> None:
    """load.py's and classroom.py's options to measure the limit before their own run."""
    parser.add_argument(
        "--limit",
        action="store_true",
        help="measure bench/limit.py's limit first (same server shape, database engine and concurrency)",
    )
    parser.add_argument(
        "--limit-seconds", type=float, default=20.0, help="how long --limit measures (default 20 s)"
    )


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=50, help="clients at once (default 50)")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured window (default 20 s)")
    parser.add_argument("--count", type=int, help="stop the window after this many requests")
    parser.add_argument(
        "--workers", type=int, default=makefile_default("WORKERS", 2), help="default: the Makefile's WORKERS"
    )
    parser.add_argument(
        "--threads", type=int, default=makefile_default("THREADS", 8), help="default: the Makefile's THREADS"
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server (postgresql+psycopg://user@host/db): the run makes a database of its own "
        "there and drops it at the end (default: a fresh SQLite file)",
    )
    parser.add_argument("--port", type=int, help="serve on this port of 127.0.0.1 (default: a free one)")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder and database")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    from load import interrupt_on_term

    interrupt_on_term()
    f = measure(
        args.concurrency,
        args.workers,
        args.threads,
        args.database_url,
        args.seconds,
        args.count,
        keep=args.keep,
        port=args.port,
    )
    print(line(f))
    for sample in f["error_samples"]:
        print(f"  {sample}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(f, indent=2))
    failed = f["errors"] or f["stored"] != f["acknowledged"]
    print("FAIL" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
