"""Load benchmark: many students take a 10-question test at once against gunicorn, as `make run` serves it.

    .venv/bin/python bench/load.py --students 200 --concurrency 50 [--workers 2 --threads 8] [--json out.json]
    .venv/bin/python bench/load.py --database-url postgresql+psycopg://postgres@127.0.0.1/test --limit
    .venv/bin/python bench/load.py --students 300 --burst --limit   # everyone's answers at once

With --burst every student reads its 10 question pages, waits for the others at a barrier, then all POST
their answers back to back: the app's answer-POST throughput on its own, comparable with --limit's.

Prints latency percentiles per step, then checks in the database that every answer sent was stored exactly
once and every attempt was finished with the right score. Exits 1 if anything failed, was lost or is wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import requests
from _server import Server, engine_name, makefile_default
from _student import Fields, FormReader, StepFailed, Student, choose_answer, expect_redirect, read_form
from _verify import Verdict, verify
from limit import add_limit_arguments, line, measure_before, ratio_line

STEPS = ("home", "start", "question_get", "answer_post", "finish", "results")
BURST_STEPS = ("home", "start", "question_get", "burst_answer", "finish", "results")
QUESTIONS = 10
TARGET_P95_MS = 100.0


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200, help="students taking the test (default 200)")
    parser.add_argument(
        "--concurrency", type=int, help="students at once (default 50; with --burst: all of them)"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean pause in seconds before each request (default 0: back to back)",
    )
    parser.add_argument(
        "--burst",
        action="store_true",
        help="every student at once reads its question pages, waits for the others, then all POST their "
        "answers back to back: the answer POSTs/s of that burst",
    )
    add_server_arguments(parser)
    args = parser.parse_args(argv)
    if args.burst and args.concurrency not in (None, args.students):
        parser.error(f"--burst runs every student at once: leave out --concurrency or give {args.students}")
    if args.burst and args.think:
        parser.error("--burst sends its answers back to back: leave out --think")
    if args.concurrency is None:
        args.concurrency = args.students if args.burst else 50
    return args


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every load benchmark shares: how gunicorn serves, the time limit, the output."""
    parser.add_argument(
        "--workers",
        type=int,
        default=makefile_default("WORKERS", 2),
        help="gunicorn workers (default: the Makefile's WORKERS)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=makefile_default("THREADS", 8),
        help="threads per worker (default: the Makefile's THREADS)",
    )
    parser.add_argument("--port", type=int, help="serve on this port of 127.0.0.1 (default: a free one)")
    parser.add_argument("--timeout", type=float, default=600.0, help="give up after this many seconds (600)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (database, log)")
    parser.add_argument(
        "--database-url",
        help="serve from this PostgreSQL server (postgresql+psycopg://user@host:5432/db): the run makes a "
        "database of its own there (through the URL's database) and drops it at the end, unless --keep "
        "(default: a fresh SQLite file in the temp folder)",
    )
    add_limit_arguments(parser)


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank p-th percentile of `values` (0 when empty)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def latency_figures(values: Sequence[float]) -> dict[str, float]:
    """Request count and p50/p95/p99/max latency in ms."""
    return {
        "n": len(values),
        **{f"p{p}": round(percentile(values, p), 1) for p in (50, 95, 99)},
        "max": round(max(values, default=0.0), 1),
    }


def step_figures(students: Sequence[Student], steps: Sequence[str] = STEPS) -> dict[str, dict[str, float]]:
    """Per step: request count and p50/p95/p99/max latency in ms, over every student."""
    return {step: latency_figures([v for s in students for v in s.latencies.get(step, [])]) for step in steps}


class Burst:
    """A year group answering at once: every student waits at `start` with its pages read, POSTs its answers,
    then waits at `end`; the time and gunicorn's CPU seconds are noted when each barrier releases."""

    def __init__(self, students: int, server: Server) -> None:
        self.server = server
        self.marks: list[tuple[float, float]] = []  # (time.monotonic(), server CPU s) at start and at end
        self.start = threading.Barrier(students, action=self._mark)
        self.end = threading.Barrier(students, action=self._mark)

    def _mark(self) -> None:
        cpu = self.server.cpu_now()
        self.marks.append((time.monotonic(), cpu))

    def figures(self, students: Sequence[Student]) -> dict[str, float]:
        """Answer POSTs acknowledged in the burst, per second from the start's release to the last one."""
        (start, cpu_start), (end, cpu_end) = self.marks if len(self.marks) == 2 else [(0.0, 0.0)] * 2
        sent, wall, cpu = sum(len(s.sent) for s in students), end - start, cpu_end - cpu_start
        return {
            "burst_s": round(wall, 2),
            "burst_answers": sent,
            "burst_answer_posts_per_s": round(sent / wall, 1) if wall > 0 else 0.0,
            "burst_server_cpu_s": round(cpu, 2),
            "burst_server_cpu_ms_per_request": round(1000 * cpu / max(1, sent), 2),
        }


@dataclass
class BurstStudent(Student):
    """A student of the burst: reads its question pages, waits for everyone, POSTs its answers back to back
    (`go=next`, the last `go=review` as its page's button: the attempt stays open), waits for everyone again,
    then finishes the attempt and reads the results."""

    burst: Burst = field(kw_only=True)

    def _take_test(self, session: requests.Session, rng: random.Random) -> None:
        pages: list[tuple[str, FormReader, Fields]] = []
        try:
            first = self.start_test(session)
            for position in range(1, self.count + 1):
                path = f"{first.removesuffix('/1')}/{position}"
                form = read_form(self.request(session, "question_get", "GET", path).text)
                pages.append((form.action or path, form, choose_answer(form, rng)))
        finally:  # a student that failed still arrives, so the others are not kept waiting for it
            released = self.arrive(self.burst.start)
        if not released:
            raise StepFailed("burst: the barrier broke (a student never came: --timeout)")
        try:
            for position, (path, form, fields) in enumerate(pages, 1):
                go, want = ("next", f"/{position + 1}") if position < self.count else ("review", "/finish")
                location = self.post_answer(session, "burst_answer", path, position, form, fields, go, want)
        finally:
            self.arrive(self.burst.end)
        finished = self.request(session, "finish", "POST", location, data={"csrf_token": form.csrf})
        self.request(session, "results", "GET", expect_redirect(finished, "finish", "/results"))

    def arrive(self, barrier: threading.Barrier) -> bool:
        """Wait at `barrier` until everyone is there (False when it broke: the run's deadline passed)."""
        try:
            barrier.wait(max(0.0, self.deadline - time.monotonic()))
        except threading.BrokenBarrierError:
            return False
        return True


def run_students(
    server: Server, args: argparse.Namespace, burst: Burst | None = None
) -> tuple[list[Student], float, float]:
    """Every student's test, `concurrency` at a time; returns them, wall time and this client's CPU time."""
    deadline = time.monotonic() + args.timeout
    students = [
        BurstStudent(n, server.url, deadline, QUESTIONS, burst=burst)
        if burst
        else Student(n, server.url, deadline, QUESTIONS, args.think)
        for n in range(args.students)
    ]
    started, cpu = time.perf_counter(), time.process_time()
    pool = ThreadPoolExecutor(max_workers=args.concurrency)
    try:
        done = list(pool.map(Student.run, students))
    finally:  # on Ctrl-C, drop the students not yet started (the server is stopped next)
        pool.shutdown(wait=False, cancel_futures=True)
    return done, time.perf_counter() - started, time.process_time() - cpu


def figures(
    args: argparse.Namespace,
    students: list[Student],
    wall: float,
    client_cpu: float,
    server: Server,
    verdict: Verdict,
    burst: Burst | None = None,
) -> dict[str, Any]:
    """Everything measured, as printed and as written by --json."""
    steps = step_figures(students, BURST_STEPS if burst else STEPS)
    requests_made = sum(int(f["n"]) for f in steps.values())
    errors = [f"student {s.number}: {s.error}" for s in students if s.error]
    if burst:
        burst_figures = burst.figures(students)
        answers_per_s = burst_figures["burst_answer_posts_per_s"]
    else:
        burst_figures = {}
        answers = int(steps["answer_post"]["n"] + steps["finish"]["n"])  # every answer POST, the last one too
        answers_per_s = round(answers / wall, 1) if wall else 0.0
    return {
        "engine": engine_name(args.database_url),
        "students": args.students,
        "concurrency": args.concurrency,
        "worker_class": server.worker_class,
        "workers": args.workers,
        "threads": args.threads,
        "think_s": args.think,
        "burst": bool(burst),
        "wall_s": round(wall, 2),
        "requests": requests_made,
        "requests_per_s": round(requests_made / wall, 1),
        "server_cpu_s": round(server.cpu_seconds, 2),
        "server_cpu_ms_per_request": round(1000 * server.cpu_seconds / max(1, requests_made), 1),
        "client_cpu_s": round(client_cpu, 2),
        "cpus": os.cpu_count(),
        "answer_posts_per_s": answers_per_s,  # with --burst: the burst's
        **burst_figures,
        "steps": steps,
        "errors": len(errors),
        "get_retries": sum(s.retries for s in students),
        "error_samples": errors[:10],
        "server_log": server.log_problems(),
        "verdict": asdict(verdict),
        "first_traceback": server.first_traceback(),
    }


def report(f: dict[str, Any], verdict: Verdict) -> None:
    """Print the figures."""
    print(
        f"students {f['students']}, concurrency {f['concurrency']}, "
        + ("burst, " if f["burst"] else f"think time {f['think_s']:g} s, ")
        + f"gunicorn {f['workers']} {f['worker_class']} workers x {f['threads']} threads"
        + ("" if f["engine"] == "sqlite" else f", {f['engine']}")
    )
    print(f"wall time {f['wall_s']:.1f} s, {f['requests']} requests, {f['requests_per_s']:.0f} requests/s")
    print(
        f"CPU: server {f['server_cpu_s']:.1f} s ({f['server_cpu_ms_per_request']:.1f} ms/request), "
        f"this client {f['client_cpu_s']:.1f} s, on {f['cpus']} CPUs"
    )
    cpu_ms = f["server_cpu_ms_per_request"]
    if f["burst"]:
        cpu_ms = f["burst_server_cpu_ms_per_request"]
        b = f["steps"]["burst_answer"]
        print(
            f"burst: {f['burst_answers']} answer POSTs in {f['burst_s']:.1f} s after the barrier: "
            f"{f['burst_answer_posts_per_s']:.1f} burst answer POSTs/s, "
            f"p50 {b['p50']:.1f} / p95 {b['p95']:.1f} ms, "
            f"server CPU {f['burst_server_cpu_s']:.1f} s ({cpu_ms:.2f} ms/request)"
        )
    if f.get("limit"):
        print(line(f["limit"]))
        print(
            ratio_line(f["answer_posts_per_s"], f["limit"]) + f"; server CPU per request {cpu_ms:.1f} ms, "
            f"limit {f['limit']['server_cpu_ms_per_request']:.2f} ms"
        )
    print(f"{'step':<13}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for step, s in f["steps"].items():
        print(f"{step:<13}{s['n']:>7}{s['p50']:>9.1f}{s['p95']:>9.1f}{s['p99']:>9.1f}{s['max']:>9.1f}")
    print(f"errors {f['errors']}", *f["error_samples"], sep="\n  ")
    print(f"GETs sent again after a dropped idle connection: {f['get_retries']}")
    print(
        f"server log: {f['server_log']['tracebacks']} tracebacks, "
        f"{f['server_log']['database is locked']} 'database is locked'"
    )
    if f["first_traceback"]:
        print("first traceback in the server log:", f["first_traceback"], sep="\n")
    print(verdict.line())
    if f["burst"]:  # all of them at once: the latency is the queue, the figure is the throughput above
        return
    p95 = f["steps"]["answer_post"]["p95"]
    print(
        f"target answer_post p95 < {TARGET_P95_MS:g} ms: {'met' if p95 < TARGET_P95_MS else 'MISSED'} "
        f"({p95:.1f} ms)"
    )


def load_average() -> str:
    """The 1-minute load average (other work on the machine skews the figures)."""
    return f"{os.getloadavg()[0]:.2f}"


def interrupt_on_term() -> None:
    """Make `kill` (SIGTERM) stop the run as Ctrl-C does, so the server is stopped too."""
    signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Serve, load, verify, report; 0 only when nothing failed and nothing is lost or wrong."""
    args = parse_args(argv)
    interrupt_on_term()
    limit = measure_before(args)
    with Server(
        args.workers, args.threads, keep=args.keep, port=args.port, database_url=args.database_url
    ) as server:
        print(f"serving {server.url} on {server.database}; load average before: {load_average()}")
        burst = Burst(args.students, server) if args.burst else None
        students, wall, client_cpu = run_students(server, args, burst)
        print(f"load average after: {load_average()}")
        verdict = verify(server.db.read_only_url(), students, QUESTIONS)
        server.stop()
        result = figures(args, students, wall, client_cpu, server, verdict, burst)
        if limit:
            result["limit"] = limit
    report(result, verdict)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))
    failed = result["errors"] or not verdict.ok or any(result["server_log"].values())
    print("FAIL" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
