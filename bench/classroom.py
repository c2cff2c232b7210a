"""Classroom benchmark: a teacher-paced and a student-paced session, N students each, through real HTTP.

    .venv/bin/python bench/classroom.py [--students 300 --concurrency 50 --think 0 --questions 10] [--json F]

Serves the app as `make run` does (bench/_server.py), signs a teacher up, and runs two sessions while the
teacher's live view is requested every 2 seconds. Every student is a browser of its own (cookies, CSRF
tokens). Then checks in the database that every answer the server accepted is stored exactly once and that
nothing was stored after a question was revealed or the session closed. Exits 1 if anything failed, was lost
or is wrong; missing a latency target is printed, not failed (it depends on the machine)."""

from __future__ import annotations

import sys

if __name__ == "__main__" and "--client=threads" not in sys.argv:
    # The simulated students as greenlets of one thread (see --client): patched before anything imports
    # threading, sockets or ssl.
    from gevent import monkey

    monkey.patch_all()

import argparse
import bisect
import contextlib
import html
import http.client
import itertools
import json
import math
import os
import random
import re
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from _server import Server, engine_name
from _student import (
    PROBLEMS,
    Fields,
    FormReader,
    StepFailed,
    Student,
    choose_answer,
    expect_redirect,
    read_form,
)
from _verify import Verdict, read_only, rows, stored_time, verify
from gevent.monkey import is_module_patched
from limit import line as limit_line
from limit import measure_before, ratio_line
from load import add_server_arguments, interrupt_on_term, latency_figures, load_average
from sqlalchemy.engine import Connection

PASSWORD = "bench lander 7 orbit Tianwen"  # passes the password policy (not a well-known passphrase)
TARGET_ANSWER_P95_MS = 150.0
TARGET_LIVE_P95_MS = 200.0
LIVE_EVERY_S = 2.0
HEAR_WITHIN_S = (
    30.0  # a long-polling phone that hears of no change in this long after the teacher's step failed
)
BURST_S = 3.0  # the live view is also reported for the first seconds after each step of the teacher's
FLASH = re.compile(r'<p class="flash (\w+)" role="status">(.*?)</p>', re.S)
JOIN_CODE = re.compile(r'aria-label="Join code: ([^"]+)"')
TEACHER_STEPS = ("state_change", "projector", "live")
TEACHER_PACED_STEPS = (
    "join_form",
    "join",
    "lobby",
    "stamp",
    "question_page",
    "answer_post",
    "answer_page",
    "revealed_page",
    "late_answer",
    "results",
    *TEACHER_STEPS,
)
STUDENT_PACED_STEPS = (
    "join_form",
    "join",
    "lobby",
    "play_redirect",
    "question_get",
    "answer_post",
    "finish",
    "results",
    "late_answer",
    *TEACHER_STEPS,
)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line (server options shared with load.py)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300, help="students in each session (default 300)")
    parser.add_argument("--concurrency", type=int, default=50, help="students acting at once (default 50)")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean pause in s before each answer (teacher-paced) or request (student-paced); also spreads "
        "the joins, and phones take up to a poll interval to see a change (default 0: a stress test)",
    )
    parser.add_argument("--questions", type=int, default=10, help="questions per session (default 10)")
    parser.add_argument(
        "--poll-share",
        type=float,
        default=1.0,
        help="share of the students' phones asking for the stamp (--poll) while they wait (default 1); a "
        "long-polling phone moves on when its poll hears of a change, the others up to --poll-every s later",
    )
    parser.add_argument(
        "--poll",
        choices=("long", "every"),
        default="long",
        help="how the phones ask for the stamp: 'long' (default, as static/js/live.js does with `make run`'s "
        "gevent workers: a poll waits for a change) or 'every' --poll-every s (other worker classes)",
    )
    parser.add_argument(
        "--poll-every",
        type=float,
        help="stamp poll interval in s (default: the play page's data-every, as static/js/live.js reads it)",
    )
    parser.add_argument(
        "--late", type=int, help="students answering too late at each step (default: 2%% of them, at least 2)"
    )
    parser.add_argument(
        "--only", choices=("teacher", "student"), help="run only the teacher- or the student-paced session"
    )
    parser.add_argument(
        "--client-nice",
        type=int,
        default=10,
        help="niceness of the simulated students once the server is up (default 10): phones are other "
        "devices, so on a shared machine the server goes first; 0 lets them compete for the CPUs",
    )
    parser.add_argument(
        "--client",
        choices=("gevent", "threads"),
        default="gevent",
        help="how the simulated students run (default gevent: greenlets of one thread; 'threads' is the "
        "client of sessions 4-9, one thread per student, whose 1,000 threads fought for the interpreter "
        "lock and sometimes burned more CPU than the server; give it as --client=threads)",
    )
    add_server_arguments(parser)
    args = parser.parse_args(argv)
    if args.client == "threads" and is_module_patched("threading"):
        parser.error("give the threads client as --client=threads (read before anything is imported)")
    if args.late is None:
        args.late = max(2, args.students // 50)
    if args.students < 3 * args.late + 1 or args.questions < 2:
        parser.error("need at least 2 questions and more students than 3 x --late")
    return args


def utc_text(moment: datetime | None = None) -> str:
    """A UTC time as the app's SQLite columns store it (comparable as text)."""
    return (moment or datetime.now(UTC)).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def flashes(page: str) -> list[tuple[str, str]]:
    """The (category, message) of every flash message on a page."""
    return [(kind, html.unescape(text.strip())) for kind, text in FLASH.findall(page)]


@dataclass
class Late:
    """An answer sent on purpose after the question was revealed or the session closed."""

    session: str  # "teacher" or "student"
    position: int
    when: str  # "after reveal", "change after reveal", "after close"
    accepted: bool | None = None  # what the server said (None: the request failed)


@dataclass
class Pupil(Student):
    """A student's browser in a session: its cookies, the latencies it saw, what the server accepted.

    `sent` (position -> fields) holds only the answers the server acknowledged ("Answer saved" or the next
    page); `errors` every failed step (a pupil carries on with the next question after one).
    """

    name: str = ""
    play: str = ""  # /play/<session public id>
    poll_every: float = 1.5  # the play page's data-every: how often its script asks for the stamp
    long_poll: bool = True  # the phone's poll waits for a change (and then the page waits up to its spread)
    polling: bool = False  # this phone keeps a long poll out (Phones): its page moves on when the poll hears
    stamp: str = ""  # the stamp the phone last heard of
    spread: float = 0.0  # and the spread (s) that answer gave: the page waits a random moment up to it
    page_stamp: str = ""  # the stamp of the page the student has in front of them
    polls: int = 0  # long polls answered
    errors: list[str] = field(default_factory=list)
    refused_on_time: int = 0
    late: list[Late] = field(default_factory=list)
    joined: bool = False

    def __post_init__(self) -> None:
        super().__post_init__()
        self.browser = requests.Session()
        self.browser.trust_env = False  # never a proxy: the bench talks to 127.0.0.1 only
        self.phone = Phone(self.base)  # the page's script polling the stamp (same cookies, own connection)
        self.forms: dict[int, FormReader] = {}  # question pages left open, to send a late answer from
        self.news = threading.Event()  # set: the phone heard a stamp other than the page's

    def attempt(self, action: Callable[[], None], joining: bool = False) -> None:
        """Run one step of this student's; a failure is recorded and the student goes on (a student who
        could not join does nothing more)."""
        if self.joined or joining:
            try:
                action()
            except StepFailed as exc:
                self.errors.append(str(exc))

    def close(self) -> None:
        """The phone is put away: its connections are closed (gunicorn keeps idle ones for 30 s)."""
        self.browser.close()
        self.phone.close()

    def follow(self, step: str, path: str) -> tuple[str, str]:
        """GET `path` and follow local redirects as a browser does; returns the final path and page."""
        for _ in range(5):
            response = self.timed(self.browser, step, "GET", path)
            if response.status_code not in (301, 302, 303):
                return path, response.text
            path = response.headers["Location"]
        raise StepFailed(f"{step}: too many redirects from {path}")

    def join(self, code: str) -> None:
        """The QR code's link, then the join form: name and code, as a phone would send them (with a think
        time, students arrive over 2 x think seconds, not all in the same instant)."""
        self.pause()
        form = read_form(self.timed(self.browser, "join_form", "GET", f"/join/{code}").text)
        response = self.timed(
            self.browser,
            "join",
            "POST",
            "/join",
            data={"csrf_token": form.csrf, "code": code, "name": self.name},
        )
        self.play = expect_redirect(response, "join", "")
        if "/play/" not in self.play:
            raise StepFailed(f"join: redirected to {self.play!r}")
        page = self.timed(self.browser, "lobby", "GET", self.play).text
        if "Wait for your teacher" not in page:
            raise StepFailed("lobby: no 'Wait for your teacher' on the page")
        every = re.search(r'data-every="(\d+)"', page)
        self.poll_every = int(every.group(1)) / 1000 if every else 1.5
        stamp = re.search(r'data-stamp="([^"]*)"', page)
        self.stamp = self.page_stamp = html.unescape(stamp.group(1)) if stamp else ""
        self.phone.cookie = "; ".join(f"{c.name}={c.value}" for c in self.browser.cookies)
        self.joined = True

    def poll(self) -> None:
        """The page's script asking whether anything changed: a long poll (`?after=` the stamp it knows,
        answered when the stamp changes: no latency to record) or a plain one."""
        if time.monotonic() > self.deadline:
            raise StepFailed("stamp: bench timeout")
        started = time.perf_counter()
        after = f"?after={urllib.parse.quote(self.stamp)}" if self.long_poll else ""
        status, body = self.phone.get(f"{self.play}/stamp{after}")
        if status != 200 or any(problem in body for problem in PROBLEMS) or '"stamp"' not in body:
            raise StepFailed(f"stamp: HTTP {status} {body[:200]!r}")
        if self.long_poll:
            answer = json.loads(body)
            self.stamp, self.spread, self.polls = (
                answer["stamp"],
                answer.get("spread", 0) / 1000,
                self.polls + 1,
            )
            if self.stamp != self.page_stamp:
                self.news.set()
        else:
            self.latencies["stamp"].append((time.perf_counter() - started) * 1000)

    # Teacher-paced

    def notice(self) -> None:
        """With a think time (a class, not a stress test): the page's script notices a change of the session.
        A phone keeping a long poll out (`polling`) moves on when its poll hears of the change, after a random
        wait of up to the spread the server's answer gave, as static/js/live.js does; any other phone at its
        next stamp poll, up to `poll_every` seconds later."""
        if not self.think:
            return
        if not self.polling:
            time.sleep(self.pauses.uniform(0, self.poll_every))
            return
        if not self.news.wait(HEAR_WITHIN_S):
            raise StepFailed(f"stamp: no change heard in {HEAR_WITHIN_S:g} s after {self.page_stamp!r}")
        time.sleep(self.pauses.uniform(0, self.spread))
        self.page_stamp = self.stamp
        self.news.clear()

    def answer_open(self, position: int, skip: bool) -> None:
        """Read the open question, think, send an answer, read the "Answer saved" page (unless skipping it:
        the page stays open, to send a late answer from)."""
        self.notice()
        page = self.timed(self.browser, "question_page", "GET", self.play).text
        form = read_form(page)
        if f'name="position" value="{position}"' not in page or not form.action:
            raise StepFailed(f"question_page: question {position} is not open on {self.play}")
        self.forms[position] = form
        if skip:
            return
        self.pause()
        fields = choose_answer(form, self.rng)
        if self._send_play_answer("answer_post", form, position, fields):
            self.sent[position] = fields
        else:
            self.refused_on_time += 1

    def _send_play_answer(self, step: str, form: FormReader, position: int, fields: Fields) -> bool:
        """POST an answer to the board's question and read the page it leads to; True when it was saved."""
        data = [("csrf_token", form.csrf), ("position", str(position)), *fields]
        response = self.timed(self.browser, step, "POST", form.action or "", data=data)
        location = expect_redirect(response, step, "")
        _, page = self.follow("answer_page" if step == "answer_post" else "late_page", location)
        # saved: the page says "Answer saved" (the flash and the waiting line); refused: an error flash
        return "Answer saved" in page and not any(kind == "error" for kind, _ in flashes(page))

    def late_answer(self, position: int, when: str) -> None:
        """Send an answer from the question page left open (or change one) after the question closed."""
        if position not in self.forms:  # its question page failed (an error already counted): nothing to send
            raise StepFailed(f"late_answer: question {position}'s page was never read")
        late = Late("teacher", position, when)
        self.late.append(late)
        late.accepted = self._send_play_answer(
            "late_answer", self.forms[position], position, choose_answer(self.forms[position], self.rng)
        )

    def see_revealed(self) -> None:
        """The page after the reveal: the verdict, the answer and the quote."""
        self.notice()
        page = self.timed(self.browser, "revealed_page", "GET", self.play).text
        if "Wait for the next question" not in page:
            raise StepFailed("revealed_page: the answer is not shown")

    def see_results(self) -> None:
        """After the close, the play page leads to the student's results (the link names their attempt)."""
        self.notice()
        path, page = self.follow("results", self.play)
        if "/results" not in path:
            raise StepFailed(f"results: the closed session led to {path!r}")
        self.public_id = path.split("/")[-2]

    # Student-paced

    def take_quiz(self, stop_before_last: bool) -> None:
        """From the play page to the quiz pages; answer every question (the last one finishes the quiz), or
        all but the last, leaving its page open to send a late answer from."""
        self.notice()  # the lobby's script sees the start
        path = self.play
        for _ in range(3):  # /play/<pid> -> /attempts/<id> -> /attempts/<id>/1
            response = self.timed(self.browser, "play_redirect", "GET", path)
            path = expect_redirect(response, "play_redirect", "")
            if re.search(r"/attempts/[^/]+/1$", path):
                break
        else:
            raise StepFailed(f"play_redirect: never reached question 1 (at {path!r})")
        self.public_id = path.split("/")[-2]
        last = self.count - 1 if stop_before_last else self.count
        location = self.answer_questions(self.browser, self.rng, path, last)
        if stop_before_last:
            self.forms[self.count] = read_form(
                self.request(self.browser, "question_get", "GET", location).text
            )

    def late_quiz_answer(self) -> None:
        """Send the last question's answer after the teacher closed the session: it must be refused."""
        if self.count not in self.forms:  # the quiz failed before its last page (an error already counted)
            raise StepFailed("late_answer: the last question's page was never read")
        late = Late("student", self.count, "after close")
        self.late.append(late)
        form = self.forms[self.count]
        data = [("csrf_token", form.csrf), *choose_answer(form, self.rng), ("go", "finish")]
        response = self.timed(self.browser, "late_answer", "POST", form.action or "", data=data)
        path, page = self.follow("results", expect_redirect(response, "late_answer", ""))
        refused = any("can no longer change" in text for _, text in flashes(page))
        late.accepted = not refused


class Phone:
    """The play page's script: a kept-alive connection asking for the stamp with the browser's cookie.

    Plain http.client rather than requests: a class of phones polls far more often than anything else, and
    this client shares the machine's CPUs with the server, so the cheaper each poll is here the better."""

    def __init__(self, base: str):
        host, port = base.removeprefix("http://").split(":")
        self.host, self.port, self.cookie = host, int(port), ""
        self.connection: http.client.HTTPConnection | None = None

    def get(self, path: str) -> tuple[int, str]:
        """GET `path`; a kept-alive connection the server closed meanwhile is opened again once (counted as
        a network error if that fails too: StepFailed)."""
        for again in (False, True):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.connection.request(
                    "GET", path, headers={"Cookie": self.cookie, "Accept": "application/json"}
                )
                response = self.connection.getresponse()
                return response.status, response.read().decode(errors="replace")
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                if again:
                    raise StepFailed(f"stamp: {type(exc).__name__}: {exc}") from exc
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Close the kept-alive connection."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class Teacher(Student):
    """The teacher's browser: signs up, creates sessions, moves them on (always by its own buttons)."""

    def __init__(self, base: str, deadline: float):
        super().__init__(-1, base, deadline)
        self.browser = requests.Session()
        self.browser.trust_env = False
        self.csrf = ""

    def sign_up(self, email: str) -> None:
        """Open an account, then sign in with it (registering leads to the sign-in page)."""
        form = read_form(self.timed(self.browser, "sign_up", "GET", "/teacher/register").text)
        data = {"csrf_token": form.csrf, "name": "Bench Teacher", "email": email}
        response = self.timed(
            self.browser,
            "sign_up",
            "POST",
            "/teacher/register",
            data={**data, "password": PASSWORD, "confirm": PASSWORD},
        )
        expect_redirect(response, "sign_up", "")
        form = read_form(self.timed(self.browser, "sign_up", "GET", "/teacher/login").text)
        data = {"csrf_token": form.csrf, "email": email, "password": PASSWORD}
        signed_in = self.timed(self.browser, "sign_up", "POST", "/teacher/login", data=data)
        expect_redirect(signed_in, "sign_up", "")

    def create(self, pacing: str, questions: int) -> tuple[str, str]:
        """A session on the article's bank; returns its public id and join code."""
        path = "/teacher/sessions/new?set=bank"
        form = read_form(self.timed(self.browser, "create", "GET", path).text)
        data = {
            "csrf_token": form.csrf,
            "title": f"Bench, {pacing}-paced",
            "count": questions,
            "pacing": pacing,
            "shuffle": "y",
            "show_answers": "y",
            "late_join": "y",
        }
        location = expect_redirect(self.timed(self.browser, "create", "POST", path, data=data), "create", "")
        page = self.projector(location)
        match = JOIN_CODE.search(page)
        if not match:
            raise StepFailed("projector: no join code on the page")
        return location.rsplit("/", 1)[1], match.group(1).replace(" ", "")

    def projector(self, path: str) -> str:
        """The projector page (a fresh CSRF token for the next button)."""
        page = self.timed(self.browser, "projector", "GET", path).text
        self.csrf = read_form(page).csrf or self.csrf
        return page

    def step(self, public_id: str, change: str, position: int) -> str:
        """Press start / reveal / next / close; the projector page it leads to must not say it had moved on.
        Returns the UTC time just after the change was confirmed."""
        data = {"csrf_token": self.csrf, "position": position, "confirmed": "yes"}  # a close asks first
        path = f"/teacher/sessions/{public_id}/{change}"
        response = self.timed(self.browser, "state_change", "POST", path, data=data)
        done = utc_text()
        page = self.projector(expect_redirect(response, change, f"/teacher/sessions/{public_id}"))
        if "already moved on" in page:
            raise StepFailed(f"{change} {position}: the session had already moved on")
        return done


def cpu_reference() -> float:
    """Milliseconds this machine takes for a fixed piece of pure Python (best of 5): the same machine can be
    slower from one hour to the next (a virtual machine's host is shared), so compare runs with it."""
    best = math.inf
    for _ in range(5):
        started = time.perf_counter()
        json.loads(json.dumps([{"n": n, "s": str(n) * 3, "l": list(range(n % 7))} for n in range(20_000)]))
        best = min(best, time.perf_counter() - started)
    return round(1000 * best, 1)


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy since boot (Linux /proc/stat; 0 elsewhere)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """Wall time and CPU seconds of the server, of this client and of the whole machine over a session."""

    def __init__(self, server: Server):
        self.server = server
        self.start = (time.perf_counter(), server.cpu_now(), time.process_time(), machine_busy())

    def read(self) -> tuple[float, float, float, float]:
        """Wall seconds, then CPU seconds of the server, of this client and of the machine, since created."""
        now = (time.perf_counter(), self.server.cpu_now(), time.process_time(), machine_busy())
        wall, server, client, machine = (b - a for a, b in zip(self.start, now, strict=True))
        return wall, server, client, machine


class Watcher:
    """The teacher's laptop: the live view requested every 2 s (one after another if one takes longer), from a
    process of its own (bench/_watch.py). Its latencies are also kept per phase of the class, split into the
    first BURST_S seconds after the teacher's step and the rest."""

    def __init__(self, teacher: Teacher, public_id: str):
        self.browser = Student(-2, teacher.base, teacher.deadline)  # holds the "live" latencies
        self.cookies = "; ".join(f"{c.name}={c.value}" for c in teacher.browser.cookies)
        self.path = f"/teacher/sessions/{public_id}/live"
        self.errors: list[str] = []
        self.phases: list[tuple[float, str]] = [(time.monotonic(), "join")]
        self.by_phase: dict[str, list[float]] = {}
        self.process: subprocess.Popen[str] | None = None

    def enter(self, phase: str) -> None:
        """The teacher's step starts a phase of the class."""
        self.phases.append((time.monotonic(), phase))

    def __enter__(self) -> Watcher:
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("_watch.py")), self.browser.base, self.path]
            + [str(LIVE_EVERY_S)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "WATCH_COOKIES": self.cookies},
            preexec_fn=normal_priority,  # a laptop of its own: not as nice as the simulated students
        )
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self.process is not None
        out, _ = self.process.communicate(timeout=60)  # closes its input: it stops after its next request
        starts = [at for at, _ in self.phases]
        for line in out.splitlines():
            record = json.loads(line)
            if record["error"]:
                self.errors.append(record["error"])
                continue
            self.browser.latencies["live"].append(record["ms"])
            since, phase = self.phases[max(0, bisect.bisect_right(starts, record["at"]) - 1)]
            burst = "burst" if record["at"] - since < BURST_S else "after"
            self.by_phase.setdefault(f"{phase}, {burst}", []).append(record["ms"])


def normal_priority() -> None:
    """Run at the default niceness (0), if this user may raise a priority again; else as inherited."""
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, 0, 0)


class Phones:
    """The students' pages waiting for the next step, as static/js/live.js asks: `share` of the phones.

    Long polling: each phone (a greenlet of its own) keeps one poll out, sent again as soon as it is answered,
    until it hears that the session closed (its page goes to the results then). Otherwise each phone asks
    every `every` seconds: each thread takes its own phones in turn, so a phone has one request out at a
    time, as the script skips a tick while its last request is still out."""

    def __init__(self, pupils: Sequence[Pupil], share: float, every: float | None, long_poll: bool):
        joined = [p for p in pupils if p.joined]
        self.pupils = random.Random(0).sample(joined, min(len(joined), round(share * len(joined))))
        self.every = every or (self.pupils[0].poll_every if self.pupils else 1.5)
        self.done = threading.Event()
        if long_poll:
            for pupil in self.pupils:
                pupil.polling = True
            self.workers = [threading.Thread(target=self._hold, args=(p,), daemon=True) for p in self.pupils]
            return
        rate = len(self.pupils) / self.every  # requests per second, all phones together
        threads = min(len(self.pupils), math.ceil(rate / 2))  # each thread: two polls a second
        self.gap = threads / rate if rate else 0.0
        self.workers = [
            threading.Thread(target=self._run, args=(self.pupils[n::threads],), daemon=True)
            for n in range(threads)
        ]

    def _hold(self, pupil: Pupil) -> None:
        while not self.done.is_set() and not pupil.stamp.startswith("closed"):
            failed = len(pupil.errors)
            pupil.attempt(pupil.poll)
            if len(pupil.errors) > failed:  # the script asks again after a tick
                self.done.wait(pupil.poll_every)

    def _run(self, phones: Sequence[Pupil]) -> None:
        for pupil in itertools.cycle(phones):
            started = time.monotonic()
            pupil.attempt(pupil.poll)
            if self.done.wait(max(0.0, self.gap - (time.monotonic() - started))):
                return

    def __enter__(self) -> Phones:
        for worker in self.workers:
            worker.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.done.set()
        for worker in self.workers:
            worker.join()


@dataclass
class SessionRun:
    """One session's run: who took part, when each question was revealed and the session closed."""

    pacing: str
    public_id: str = ""
    code: str = ""
    phones: int = 0  # phones asking for the stamp while waiting
    poll_every: float = 0.0  # 0: long polling
    pupils: list[Pupil] = field(default_factory=list)
    teacher_latencies: dict[str, list[float]] = field(default_factory=dict)
    live_by_phase: dict[str, list[float]] = field(default_factory=dict)
    revealed_at: dict[int, str] = field(default_factory=dict)  # position -> UTC, just after the reveal
    closed_at: str = ""
    wall: float = 0.0
    server_cpu: float = 0.0  # CPU seconds: gunicorn and its workers
    client_cpu: float = 0.0  # this benchmark (it shares the machine's CPUs with the server)
    machine_cpu: float = 0.0  # every process of the machine (from /proc/stat): the rest is other work
    errors: list[str] = field(default_factory=list)


def in_pool(
    pool: ThreadPoolExecutor, pupils: Iterable[Pupil], action: Callable[[Pupil], None], joining: bool = False
) -> None:
    """`action` for every pupil, `concurrency` at a time; returns when all are done."""
    list(pool.map(lambda p: p.attempt(lambda: action(p), joining), pupils))


def late_groups(pupils: Sequence[Pupil], late: int, questions: int) -> dict[int, list[Pupil]]:
    """Per question, the `late` students who leave it open and answer only after the reveal (a different
    group each time); key 0 is those who leave the last question open until after the close."""
    count = len(pupils)
    groups = {q: [pupils[(q * late + i) % count] for i in range(late)] for q in range(1, questions + 1)}
    groups[0] = [pupils[(count // 2 + i) % count] for i in range(late)]
    return groups


def start_session(teacher: Teacher, pacing: str, args: argparse.Namespace, deadline: float) -> SessionRun:
    """The teacher creates the session; its students, not joined yet."""
    run = SessionRun(pacing)
    run.public_id, run.code = teacher.create(pacing, args.questions)
    run.pupils = [
        Pupil(
            n,
            teacher.base,
            deadline,
            args.questions,
            args.think,
            name=f"Student {n + 1:04d}",
            long_poll=args.poll == "long",
        )
        for n in range(args.students)
    ]
    return run


def teacher_paced(
    teacher: Teacher, server: Server, pool: ThreadPoolExecutor, args: argparse.Namespace, deadline: float
) -> SessionRun:
    """Join, then per question: open, everyone answers (some on purpose not), reveal, the late ones try,
    everyone reads the answer; close, the late ones try again, everyone reads their results."""
    run = start_session(teacher, "teacher", args, deadline)
    project = f"/teacher/sessions/{run.public_id}"
    groups = late_groups(run.pupils, args.late, args.questions)
    Q = args.questions
    skips = {q: {p.number for p in groups[q]} for q in groups}
    skips[Q] = skips[Q] | skips[0]
    meter = CpuMeter(server)
    with Watcher(teacher, run.public_id) as watcher:
        in_pool(pool, run.pupils, lambda p: p.join(run.code), joining=True)
        if args.poll_every:
            for pupil in run.pupils:
                pupil.poll_every = args.poll_every
        with Phones(run.pupils, args.poll_share, args.poll_every, args.poll == "long") as phones:
            run.phones, run.poll_every = len(phones.pupils), 0.0 if args.poll == "long" else phones.every
            teacher.projector(project)
            teacher.step(run.public_id, "start", 0)
            watcher.enter("open")
            for q in range(1, Q + 1):
                if q > 1:
                    teacher.step(run.public_id, "next", q - 1)
                    watcher.enter("open")
                in_pool(pool, run.pupils, lambda p, q=q: p.answer_open(q, p.number in skips[q]))
                run.revealed_at[q] = teacher.step(run.public_id, "reveal", q)
                watcher.enter("reveal")
                changers = [p for p in run.pupils if q in p.sent][: args.late]
                in_pool(pool, groups[q], lambda p, q=q: p.late_answer(q, "after reveal"))
                in_pool(pool, changers, lambda p, q=q: p.late_answer(q, "change after reveal"))
                in_pool(pool, run.pupils, Pupil.see_revealed)
            run.closed_at = teacher.step(run.public_id, "close", Q)
            watcher.enter("close")
            in_pool(pool, groups[0], lambda p: p.late_answer(Q, "after close"))
            in_pool(pool, run.pupils, Pupil.see_results)
    for pupil in run.pupils:
        pupil.close()
    run.errors += watcher.errors
    run.live_by_phase = watcher.by_phase
    run.wall, run.server_cpu, run.client_cpu, run.machine_cpu = meter.read()
    run.teacher_latencies = merge_latencies([teacher, watcher.browser])
    return run


def student_paced(
    teacher: Teacher, server: Server, pool: ThreadPoolExecutor, args: argparse.Namespace, deadline: float
) -> SessionRun:
    """Join, start, everyone takes the quiz at their own speed (a few leave the last question open), close,
    the late ones send their last answer."""
    run = start_session(teacher, "student", args, deadline)
    late = {p.number for p in late_groups(run.pupils, args.late, args.questions)[0]}
    meter = CpuMeter(server)
    with Watcher(teacher, run.public_id) as watcher:
        in_pool(pool, run.pupils, lambda p: p.join(run.code), joining=True)
        if args.poll_every:
            for pupil in run.pupils:
                pupil.poll_every = args.poll_every
        teacher.step(run.public_id, "start", 0)
        watcher.enter("open")
        in_pool(pool, run.pupils, lambda p: p.take_quiz(p.number in late))
        run.closed_at = teacher.step(run.public_id, "close", 0)
        watcher.enter("close")
        in_pool(pool, [p for p in run.pupils if p.number in late], Pupil.late_quiz_answer)
    for pupil in run.pupils:
        pupil.close()
    run.errors += watcher.errors
    run.live_by_phase = watcher.by_phase
    run.wall, run.server_cpu, run.client_cpu, run.machine_cpu = meter.read()
    run.teacher_latencies = merge_latencies([teacher, watcher.browser])
    return run


def merge_latencies(browsers: Iterable[Student]) -> dict[str, list[float]]:
    """The teacher's latencies of one session, per step (and the browsers' counts start afresh)."""
    merged: dict[str, list[float]] = {}
    for browser in browsers:
        for step, values in browser.latencies.items():
            merged.setdefault(step, []).extend(values)
        browser.latencies.clear()  # the next session starts counting afresh
    return merged


# Checks in the database


@dataclass
class Checks:
    """What the database says beyond load.py's verdict (all zero when correct)."""

    late_sent: int = 0
    late_accepted: int = 0  # the server said "saved" to a late answer
    late_stored: int = 0  # a late answer's question has a response the student never had acknowledged
    stored_after_reveal: int = 0  # response.answered_at later than the reveal of its question
    stored_after_close: int = 0  # response.answered_at later than class_session.closed_at
    refused_on_time: int = 0  # an answer sent while the question was open was refused
    duplicate_questions: int = 0  # two responses for the same question of an attempt
    participants_missing: int = 0  # joined students the session does not list
    not_finished: int = 0  # attempts still open after the close
    attempt_mismatch: int = 0  # the results page a student reached is not their participant's attempt

    @property
    def ok(self) -> bool:
        return not any(v for k, v in asdict(self).items() if k != "late_sent")


def check_database(url: str, runs: Sequence[SessionRun], questions: int) -> tuple[Verdict, Checks]:
    """load.py's verdict on every acknowledged answer, plus the classroom's own rules (`url`: the database's
    Database.read_only_url(), SQLite or PostgreSQL)."""
    pupils = [p for run in runs for p in run.pupils]
    with read_only(url) as conn:
        attempts = {
            (session, name): attempt
            for session, name, attempt in rows(
                conn,
                "SELECT class_session.public_id, participant.display_name, attempt.public_id "
                "FROM participant JOIN class_session ON class_session.id = participant.session_id "
                "JOIN attempt ON attempt.id = participant.attempt_id",
            )
        }
    mismatched = 0
    for run in runs:  # a student whose last page failed still has their answers checked
        for pupil in run.pupils:
            stored = attempts.get((run.public_id, pupil.name))
            mismatched += pupil.public_id is not None and stored != pupil.public_id
            pupil.public_id = pupil.public_id or stored
    verdict = verify(url, pupils, questions)
    checks = Checks(refused_on_time=sum(p.refused_on_time for p in pupils), attempt_mismatch=mismatched)
    with read_only(url) as conn:
        for run in runs:
            _check_run(conn, run, checks)
        checks.duplicate_questions = rows(
            conn,
            "SELECT COUNT(*) FROM (SELECT 1 FROM response GROUP BY attempt_id, question_version_id "
            "HAVING COUNT(*) > 1) AS twice",
        )[0][0]
    return verdict, checks


def _check_run(conn: Connection, run: SessionRun, checks: Checks) -> None:
    session_id, closed_at = rows(
        conn, "SELECT id, closed_at FROM class_session WHERE public_id = :pid", pid=run.public_id
    )[0]
    names = {
        row[0]
        for row in rows(conn, "SELECT display_name FROM participant WHERE session_id = :s", s=session_id)
    }
    checks.participants_missing += sum(1 for p in run.pupils if p.joined and p.name not in names)
    checks.not_finished += rows(
        conn, "SELECT COUNT(*) FROM attempt WHERE session_id = :s AND state != 'finished'", s=session_id
    )[0][0]
    checks.stored_after_close += rows(
        conn,
        "SELECT COUNT(*) FROM response JOIN attempt ON attempt.id = response.attempt_id "
        "WHERE attempt.session_id = :s AND response.answered_at > :closed",
        s=session_id,
        closed=closed_at,
    )[0][0]
    slots = {
        (public_id, position): (stored_time(answered_at), given)
        for public_id, position, answered_at, given in rows(
            conn,
            "SELECT attempt.public_id, attempt_question.position, response.answered_at, response.given "
            "FROM response JOIN attempt_question ON attempt_question.id = response.slot_id "
            "JOIN attempt ON attempt.id = response.attempt_id WHERE attempt.session_id = :s",
            s=session_id,
        )
    }
    for (_, position), (answered_at, _) in slots.items():
        revealed = stored_time(run.revealed_at.get(position))
        checks.stored_after_reveal += bool(revealed and answered_at and answered_at > revealed)
    for pupil in run.pupils:
        for late in pupil.late:
            checks.late_sent += 1
            checks.late_accepted += late.accepted is True
            acknowledged = late.position in pupil.sent
            checks.late_stored += not acknowledged and (pupil.public_id, late.position) in slots


# Figures and report


SERVER_STEPS = (  # (method, path pattern, step): what gunicorn's access log can tell apart
    ("GET", re.compile(r"/play/([^/?]+)/stamp"), "stamp"),
    ("POST", re.compile(r"/play/([^/?]+)/answer"), "answer_post"),
    ("GET", re.compile(r"/play/([^/?]+)(?:\?.*)?$"), "play_page"),
    ("GET", re.compile(r"/teacher/sessions/([^/?]+)/live"), "live"),
    ("POST", re.compile(r"/teacher/sessions/([^/?]+)/(?:start|reveal|next|close)"), "state_change"),
    ("GET", re.compile(r"/attempts/([^/?]+)/\d+$"), "question_get"),
    ("POST", re.compile(r"/attempts/([^/?]+)/\d+$"), "answer_post"),
)


Times = dict[str, dict[str, list[float]]]  # session's pacing -> step -> ms


def server_times(server: Server, runs: Sequence[SessionRun]) -> tuple[Times, Times]:
    """Per session, per step, from the access log: gunicorn's own time for each request, which leaves out the
    client (it shares the CPUs) and the wait in gunicorn's queue; and the time from the phone's sending the
    request to the server's writing its response, which has the wait and not the client's own delays."""
    owner = {run.public_id: run.pacing for run in runs}
    owner |= {p.public_id: run.pacing for run in runs for p in run.pupils if p.public_id}
    own: Times = {run.pacing: {} for run in runs}
    served: Times = {run.pacing: {} for run in runs}
    for method, path, _status, ms, served_ms in server.request_times():
        for want, pattern, step in SERVER_STEPS:
            match = pattern.fullmatch(path) if method == want else None
            if match and match.group(1) in owner:
                own[owner[match.group(1)]].setdefault(step, []).append(float(ms))
                if served_ms is not None:
                    served[owner[match.group(1)]].setdefault(step, []).append(served_ms)
                break
    return own, served


def session_figures(
    run: SessionRun, steps: Sequence[str], own: dict[str, list[float]], served: dict[str, list[float]]
) -> dict[str, Any]:
    """Everything measured in one session, as printed and as written by --json."""
    latencies: dict[str, list[float]] = {}
    for pupil in run.pupils:
        for step, values in pupil.latencies.items():
            latencies.setdefault(step, []).extend(values)
    for step, values in run.teacher_latencies.items():
        latencies.setdefault(step, []).extend(values)
    polls = sum(p.polls for p in run.pupils)  # long polls (no latency: each waited for a change)
    requests_made = sum(len(v) for v in latencies.values()) + polls
    errors = [f"{p.name}: {e}" for p in run.pupils for e in p.errors] + run.errors
    answers = len(latencies.get("answer_post", [])) + len(latencies.get("finish", []))  # in time, not late
    return {
        "pacing": run.pacing,
        "polling_phones": run.phones,
        "poll_every_s": run.poll_every,
        "long_polls": polls,
        "wall_s": round(run.wall, 1),
        "requests": requests_made,
        "requests_per_s": round(requests_made / run.wall, 1) if run.wall else 0.0,
        "server_cpu_s": round(run.server_cpu, 1),
        "server_cpu_ms_per_request": round(1000 * run.server_cpu / max(1, requests_made), 1),
        "answer_posts_per_s": round(answers / run.wall, 1) if run.wall else 0.0,
        "client_cpu_s": round(run.client_cpu, 1),
        "other_cpu_s": round(max(0.0, run.machine_cpu - run.server_cpu - run.client_cpu), 1),
        "joined": sum(p.joined for p in run.pupils),
        "answers_acknowledged": sum(len(p.sent) for p in run.pupils),
        "get_retries": sum(p.retries for p in run.pupils),
        "steps": {s: latency_figures(latencies[s]) for s in steps if s in latencies},
        "server_steps": {s: latency_figures(v) for s, v in own.items()},
        "served_steps": {s: latency_figures(v) for s, v in served.items()},
        "live_by_phase": {phase: latency_figures(v) for phase, v in run.live_by_phase.items()},
        "errors": len(errors),
        "error_samples": errors[:10],
    }


def targets(f: dict[str, Any]) -> dict[str, tuple[bool, str]]:
    """Each target of the issue at 300 students: met?, and the figure."""
    out: dict[str, tuple[bool, str]] = {
        "0 errors": (f["errors"] == 0 and not any(f["server_log"].values()), f"{f['errors']} errors"),
        "0 lost (nor duplicated, nor stored late)": (
            f["verdict"]["lost"] == 0 and f["ok"],
            f"{f['verdict']['lost']} lost, database checks {'passed' if f['ok'] else 'FAILED'}",
        ),
    }
    for s in f["sessions"]:
        p95 = s["steps"].get("answer_post", {}).get("p95", 0.0)
        out[f"answer POST p95 < {TARGET_ANSWER_P95_MS:g} ms ({s['pacing']}-paced)"] = (
            p95 < TARGET_ANSWER_P95_MS,
            f"{p95:.0f} ms",
        )
        live = s["steps"].get("live", {}).get("p95", 0.0)
        out[f"live view p95 < {TARGET_LIVE_P95_MS:g} ms ({s['pacing']}-paced)"] = (
            live < TARGET_LIVE_P95_MS,
            f"{live:.0f} ms",
        )
    return out


def report(f: dict[str, Any]) -> None:
    """Print the figures, the checks and the targets."""
    print(
        f"\n{f['students']} students per session, concurrency {f['concurrency']}, think {f['think_s']:g} s, "
        f"{f['questions']} questions, "
        f"gunicorn {f['workers']} {f['worker_class']} workers x {f['threads']} threads, {f['cpus']} CPUs, "
        f"students' niceness {f['client_nice']} ({f['client']} client), "
        f"load average {f['load_before']} -> {f['load_after']}, CPU reference {f['cpu_reference_ms']} ms"
        + ("" if f["engine"] == "sqlite" else f", {f['engine']}")
    )
    if f.get("limit"):
        print(limit_line(f["limit"]))
    for s in f["sessions"]:
        print(
            f"\n{s['pacing']}-paced: {s['joined']} joined, {s['answers_acknowledged']} answers saved, "
            f"{s['requests']} requests in {s['wall_s']:.1f} s = {s['requests_per_s']:.0f}/s; "
            f"server CPU {s['server_cpu_s']:.1f} s ({s['server_cpu_ms_per_request']:.1f} ms/request)"
        )
        print(
            f"  CPU seconds: server {s['server_cpu_s']:.0f}, this client {s['client_cpu_s']:.0f}, "
            f"other processes {s['other_cpu_s']:.0f}, of {s['wall_s'] * (os.cpu_count() or 1):.0f} available"
        )
        if s["polling_phones"] and s["poll_every_s"]:
            print(f"  {s['polling_phones']} phones ask for the stamp every {s['poll_every_s']:g} s")
        elif s["polling_phones"]:
            print(
                f"  {s['polling_phones']} phones keep a stamp poll out (long polling): "
                f"{s.get('long_polls', 0)} polls answered"
            )
        if f.get("limit"):
            limit = f["limit"]
            print(
                f"  {ratio_line(s['answer_posts_per_s'], limit)}; server CPU per request "
                f"{s['server_cpu_ms_per_request']:.1f} ms, limit {limit['server_cpu_ms_per_request']:.2f} ms"
            )
        print(f"  {'step':<15}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
        for step, v in s["steps"].items():
            print(f"  {step:<15}{v['n']:>7}{v['p50']:>9.1f}{v['p95']:>9.1f}{v['p99']:>9.1f}{v['max']:>9.1f}")
        print(f"  live view by phase (burst: the first {BURST_S:g} s after the teacher's step):")
        for phase, v in s["live_by_phase"].items():
            print(f"  {phase:<15}{v['n']:>7}{v['p50']:>9.1f}{v['p95']:>9.1f}{v['p99']:>9.1f}{v['max']:>9.1f}")
        print("  gunicorn's own time (access log: no client, no queue):")
        for step, v in s["server_steps"].items():
            print(f"  {step:<15}{v['n']:>7}{v['p50']:>9.1f}{v['p95']:>9.1f}{v['p99']:>9.1f}{v['max']:>9.1f}")
        print("  sent by the phone -> answered by the server (the queue included, this client's delays not):")
        for step, v in s["served_steps"].items():
            print(f"  {step:<15}{v['n']:>7}{v['p50']:>9.1f}{v['p95']:>9.1f}{v['p99']:>9.1f}{v['max']:>9.1f}")
        print(f"  errors {s['errors']}", *s["error_samples"], sep="\n    ")
        print(f"  GETs sent again after a dropped idle connection: {s['get_retries']}")
    print(f"\nclient CPU {f['client_cpu_s']:.1f} s; server log: {f['server_log']}")
    if f["first_traceback"]:
        print("first traceback in the server log:", f["first_traceback"], sep="\n")
    print("database:", ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in f["verdict"].items()))
    print("classroom rules:", ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in f["checks"].items()))
    print("\ntargets (issue 5, at 300 students):")
    for name, (met, figure) in targets(f).items():
        print(f"  {'met   ' if met else 'MISSED'} {name}: {figure}")


def main(argv: Sequence[str] | None = None) -> int:
    """Serve, run both sessions, verify, report; 0 only when nothing failed and nothing is lost or wrong."""
    args = parse_args(argv)
    interrupt_on_term()
    runs: list[SessionRun] = []
    limit = measure_before(args)
    with Server(
        args.workers,
        args.threads,
        keep=args.keep,
        port=args.port,
        timed_log=True,
        database_url=args.database_url,
    ) as server:
        load_before, reference = load_average(), cpu_reference()
        print(
            f"serving {server.url} on {server.database}; load average before: {load_before}; "
            f"CPU reference {reference} ms",
            flush=True,
        )
        deadline = time.monotonic() + args.timeout
        if args.client_nice:  # this thread and those it starts from now on: the simulated students
            os.nice(args.client_nice)
        teacher = Teacher(server.url, deadline)
        cpu = time.process_time()
        pool = ThreadPoolExecutor(max_workers=args.concurrency)
        fatal = []
        try:
            teacher.sign_up("bench.teacher@school.org")
            for pacing, run_session in (("teacher", teacher_paced), ("student", student_paced)):
                if args.only in (None, pacing):
                    runs.append(run_session(teacher, server, pool, args, deadline))
                    print(f"{pacing}-paced session done in {runs[-1].wall:.1f} s", flush=True)
        except StepFailed as exc:  # the teacher could not go on: report what was done, and fail
            fatal.append(f"teacher: {exc}")
            print(f"stopped: the teacher's step failed: {exc}", flush=True)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        client_cpu = time.process_time() - cpu
        load_after = load_average()
        server.stop()
        verdict, checks = check_database(server.db.read_only_url(), runs, args.questions)
        own_times, served = server_times(server, runs)
        result = {
            "engine": engine_name(args.database_url),
            "students": args.students,
            "concurrency": args.concurrency,
            "think_s": args.think,
            "questions": args.questions,
            "poll_share": args.poll_share,
            "poll": args.poll,
            "worker_class": server.worker_class,
            "workers": args.workers,
            "threads": args.threads,
            "client_nice": args.client_nice,
            "client": args.client,
            "cpus": os.cpu_count(),
            "load_before": load_before,
            "cpu_reference_ms": reference,
            "load_after": load_after,
            "client_cpu_s": round(client_cpu, 1),
            "sessions": [
                session_figures(
                    r,
                    TEACHER_PACED_STEPS if r.pacing == "teacher" else STUDENT_PACED_STEPS,
                    own_times[r.pacing],
                    served[r.pacing],
                )
                for r in runs
            ],
            "server_log": server.log_problems(),
            "first_traceback": server.first_traceback(),
            "verdict": asdict(verdict),
            "checks": asdict(checks),
            "ok": verdict.ok and checks.ok,
        }
        if limit:
            result["limit"] = limit
        result["errors"] = sum(s["errors"] for s in result["sessions"]) + len(fatal)
        result["fatal"] = fatal
    report(result)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))
    failed = result["errors"] or not result["ok"] or any(result["server_log"].values())
    print("FAIL" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
