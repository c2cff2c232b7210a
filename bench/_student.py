"""One simulated student: a browser session taking a 10-question test, as a person would click through it."""

from __future__ import annotations

import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import requests

# The time a request is sent (seconds since the epoch): the server's access log then tells how long it took
# to answer it as a phone would see it, without this client's own delays (bench/_bench_logger.py).
SENT_HEADER = "X-Bench-Sent"

WORDS = ("Tuesday", "China Daily", "the far side", "samples", "Xi Jinping", "moon", "2030", "flag")
Fields = list[tuple[str, str]]
PROBLEMS = ("database is locked", "Traceback")  # in a response body: the server broke, whatever the status


class FormReader(HTMLParser):
    """The first POST form of a page: its action, CSRF token, answer inputs, selects and `go` buttons."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.action: str | None = None
        self.done = False
        self.csrf = ""
        self.choices: dict[str, list[str]] = defaultdict(list)  # radio/checkbox name -> values
        self.choice_type: dict[str, str] = {}
        self.texts: dict[str, bool] = {}  # text input name -> wants a number
        self.selects: dict[str, list[str]] = {}  # select name -> non-empty option values
        self.buttons: list[str] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if self.done:
            return
        if tag == "form" and a.get("method", "").lower() == "post" and self.action is None:
            self.action = a.get("action", "")
        elif self.action is None:
            return
        elif tag == "input":
            self._input(a)
        elif tag == "select":
            self._select = a.get("name")
            self.selects[self._select or ""] = []
        elif tag == "option" and self._select and a.get("value"):
            self.selects[self._select].append(a["value"])
        elif tag == "button" and a.get("name") == "go":
            self.buttons.append(a.get("value", ""))

    def _input(self, a: dict[str, str]) -> None:
        kind, name = a.get("type", "text"), a.get("name", "")
        if name == "csrf_token":
            self.csrf = a.get("value", "")
        elif kind in ("radio", "checkbox") and name != "mark":  # "check again": not part of an answer
            self.choices[name].append(a.get("value", ""))
            self.choice_type[name] = kind
        elif kind == "text":
            self.texts[name] = a.get("inputmode") == "decimal"

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form" and self.action is not None:
            self.done = True


def read_form(html: str) -> FormReader:
    """The first POST form of `html`."""
    reader = FormReader()
    reader.feed(html)
    return reader


def choose_answer(form: FormReader, rng: random.Random) -> Fields:
    """Fields a student might send: some answer for every input of the question (right or wrong)."""
    fields: Fields = []
    for name, values in form.choices.items():
        if form.choice_type[name] == "checkbox":
            fields += [(name, v) for v in rng.sample(values, rng.randint(1, len(values)))]
        else:
            fields.append((name, rng.choice(values)))
    for name, numeric in form.texts.items():
        fields.append((name, str(rng.randint(1, 2030)) if numeric else rng.choice(WORDS)))
    ordering = [n for n in form.selects if n.startswith("position-")]
    for name, place in zip(ordering, rng.sample(range(1, len(ordering) + 1), len(ordering)), strict=True):
        fields.append((name, str(place)))
    fields += [(n, rng.choice(v)) for n, v in form.selects.items() if n.startswith("match-")]
    return fields


class StepFailed(Exception):
    """A request failed: bad status, an error in the body, an unexpected redirect, or a network error."""


@dataclass
class Student:
    """A browser: its own cookie jar, the latencies it saw and the answers the server acknowledged."""

    number: int
    base: str
    deadline: float
    count: int = 10
    think: float = 0.0  # mean pause before each request, in seconds (a person reading and clicking)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    public_id: str | None = None
    sent: dict[int, Fields] = field(default_factory=dict)  # position -> fields, once acknowledged
    error: str | None = None
    retries: int = 0  # GETs sent again after the server closed an idle kept-alive connection

    def __post_init__(self) -> None:
        self.rng = random.Random(self.number)  # the same answers on every run
        self.pauses = random.Random(-1 - self.number)

    def request(
        self, session: requests.Session, step: str, method: str, path: str, **kw: object
    ) -> requests.Response:
        """A pause (the think time), then one timed request; raises StepFailed as `timed` does."""
        self.pause()
        return self.timed(session, step, method, path, **kw)

    def pause(self) -> None:
        """A person reading and clicking: a random 0..2x`think` seconds (none when `think` is 0)."""
        if self.think:
            time.sleep(self.pauses.uniform(0, 2 * self.think))

    def timed(
        self, session: requests.Session, step: str, method: str, path: str, **kw: object
    ) -> requests.Response:
        """One request, its latency recorded under `step`; raises StepFailed on anything a student would
        see as broken (a status >= 400, an error in the body, a network error or timeout)."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise StepFailed(f"{step}: bench timeout")
        started = time.perf_counter()
        kw["headers"] = {**kw.get("headers", {}), SENT_HEADER: f"{time.time():.6f}"}  # type: ignore[dict-item]
        try:
            response = self._send(session, method, path, min(30.0, remaining), **kw)
        except requests.RequestException as exc:
            raise StepFailed(f"{step}: {type(exc).__name__}: {exc}") from exc
        self.latencies[step].append((time.perf_counter() - started) * 1000)
        if response.status_code >= 400 or any(problem in response.text for problem in PROBLEMS):
            raise StepFailed(f"{step} {path}: HTTP {response.status_code} {response.text[:200]!r}")
        return response

    def _send(
        self, session: requests.Session, method: str, path: str, timeout: float, **kw: object
    ) -> requests.Response:
        """Send once; a GET whose kept-alive connection the server closed meanwhile is sent again, as a
        browser does (gunicorn drops connections idle longer than its keep-alive). A POST is never re-sent."""
        url = urljoin(self.base, path)
        try:
            return session.request(method, url, allow_redirects=False, timeout=timeout, **kw)  # type: ignore[arg-type]
        except requests.ConnectionError:
            if method != "GET":
                raise
            self.retries += 1
            return session.request(method, url, allow_redirects=False, timeout=timeout, **kw)  # type: ignore[arg-type]

    def run(self) -> Student:
        """Home, start a test, answer every question, finish, read the results; stops at the first failure."""
        with requests.Session() as session:
            session.trust_env = False  # never a proxy: the bench talks to 127.0.0.1 only
            try:
                self._take_test(session, self.rng)
            except StepFailed as exc:
                self.error = str(exc)
        return self

    def _take_test(self, session: requests.Session, rng: random.Random) -> None:
        self.answer_questions(session, rng, self.start_test(session), self.count)

    def start_test(self, session: requests.Session) -> str:
        """`GET /`, then `POST /quiz` (count, mode test, the page's CSRF token); question 1's address."""
        home = read_form(self.request(session, "home", "GET", "/").text)
        started = self.request(
            session,
            "start",
            "POST",
            "/quiz",
            data={"csrf_token": home.csrf, "count": self.count, "mode": "test"},
        )
        location = expect_redirect(started, "start", "/1")
        self.public_id = location.split("/")[-2]
        return location

    def answer_questions(
        self, session: requests.Session, rng: random.Random, location: str, last: int
    ) -> str:
        """From question 1's page, answer questions 1..`last` (the test's last one finishes it and the
        results are read); returns the page reached after the last answer."""
        for position in range(1, last + 1):
            form = read_form(self.request(session, "question_get", "GET", location).text)
            fields = choose_answer(form, rng)
            # the last answer finishes the test (every question answered: quizapp grades it at once)
            step, go = ("finish", "next") if position == self.count else ("answer_post", "next")
            want = "/results" if position == self.count else f"/{position + 1}"
            path = form.action or location
            location = self.post_answer(session, step, path, position, form, fields, go, want)
        if last == self.count:
            self.request(session, "results", "GET", location)
        return location

    def post_answer(
        self,
        session: requests.Session,
        step: str,
        path: str,
        position: int,
        form: FormReader,
        fields: Fields,
        go: str,
        want: str,
    ) -> str:
        """POST the answer `fields` to question `position`'s `form` at `path` with the button `go`; kept in
        `sent` once acknowledged; returns the redirect's target, which must end with `want`."""
        data = [("csrf_token", form.csrf), *fields, ("go", go)]
        posted = self.request(session, step, "POST", path, data=data)
        self.sent[position] = fields
        return expect_redirect(posted, step, want)


def expect_redirect(response: requests.Response, step: str, suffix: str) -> str:
    """The redirect target, which must end with `suffix`."""
    location = response.headers.get("Location", "")
    if response.status_code not in (302, 303) or not location.endswith(suffix):
        raise StepFailed(f"{step}: expected a redirect to …{suffix}, got {response.status_code} {location!r}")
    return location
