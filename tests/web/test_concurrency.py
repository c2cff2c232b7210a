"""30 learners answering at the same moment, over real HTTP, against gunicorn on a SQLite file.

The server is started the way `make run` starts it (init-db, then gunicorn with the Makefile's workers and
threads), and once more with 2 workers of 8 threads (writers of one process racing each other too). Each
learner starts a 10-question test, waits at a barrier with the others, then sends all its answers (right or
wrong, one skipped by some) and finishes. No request may fail with "database is locked", and the database
must hold every answer once and every score as the sum of its answers' points, as the scoring rules give.
Part of the normal suite (it takes a few seconds).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
import requests

from quizapp.domain.questions import Question, question_from_dict
from quizapp.services.attempt_views import slot_tokens
from tests.conftest import csrf_token
from tests.databases import json_value, query
from tests.web.live_gunicorn import MAKE_RUN, THREADED, Server, gunicorn
from tests.web.taking import How, answer_fields, expected_points, intended_answer

LEARNERS = 30
QUESTIONS = 10
TIMEOUT = 30


@pytest.fixture(scope="module", params=[MAKE_RUN, THREADED], ids=["make-run", "2x8"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """gunicorn serving quizapp on a fresh database file, stopped at the end."""
    folder = tmp_path_factory.mktemp("concurrency")
    with gunicorn(folder, shape=request.param, SECRET_KEY="concurrency-test") as running:
        yield running


def attempt_questions(database: str, public_id: str) -> list[tuple[int, Question]]:
    """The questions of an attempt in order with their slot ids, read straight from the database."""
    rows = query(
        database,
        "SELECT aq.id, qv.content FROM attempt_question aq JOIN attempt a ON a.id = aq.attempt_id "
        "JOIN question_version qv ON qv.id = aq.question_version_id "
        "WHERE a.public_id = :public_id ORDER BY aq.position",
        public_id=public_id,
    )
    return [(slot_id, question_from_dict(json_value(content))) for slot_id, content in rows]


@dataclass
class Learner:
    """One learner's browser and what happened to it."""

    server: Server
    skip: int | None
    session: requests.Session = field(default_factory=requests.Session)
    public_id: str = ""
    answered: int = 0
    expected_score: float = 0.0
    problems: list[str] = field(default_factory=list)

    def call(self, method: str, path: str, expected: int, **data: object) -> requests.Response:
        """One request; any unexpected status or a 'database is locked' body is recorded as a problem."""
        response = self.session.request(
            method, self.server.url + path, data=data or None, allow_redirects=False, timeout=TIMEOUT
        )
        if response.status_code != expected:
            self.problems.append(f"{method} {path}: {response.status_code}, expected {expected}")
        if "database is locked" in response.text:
            self.problems.append(f"{method} {path}: database is locked")
        return response

    def start(self) -> list[dict[str, object]]:
        """Open the home page, start a test, and prepare its answers: right at odd positions, else wrong."""
        token = csrf_token(self.call("GET", "/", 200).text)
        started = self.call("POST", "/quiz", 302, count=QUESTIONS, mode="test", csrf_token=token)
        self.public_id = started.headers["Location"].split("/")[2]
        answers = []
        secret = self.server.env["SECRET_KEY"]
        questions = attempt_questions(self.server.database, self.public_id)
        for position, (slot_id, question) in enumerate(questions, start=1):
            how: How = "right" if position % 2 else "wrong"
            if position != self.skip:
                self.expected_score += expected_points(question, how)
            fields = answer_fields(
                question, intended_answer(question, how), slot_tokens(secret, slot_id, question)
            )
            answers.append({**fields, "csrf_token": token})
        return answers

    def answer_and_finish(self, answers: list[dict[str, object]]) -> None:
        """Send every answer (but the skipped one), then finish."""
        for position, answer in enumerate(answers, start=1):
            if position != self.skip:
                self.call("POST", f"/attempts/{self.public_id}/{position}", 302, go="next", **answer)
                self.answered += 1
        finished = self.call(
            "POST", f"/attempts/{self.public_id}/finish", 302, csrf_token=answers[0]["csrf_token"]
        )
        if finished.headers.get("Location") != f"/attempts/{self.public_id}/results":
            self.problems.append(f"finish led to {finished.headers.get('Location')}")


def take_quiz(learner: Learner, barrier: threading.Barrier) -> Learner:
    """Start, wait for everyone, then answer all at once (the barrier is broken if this learner fails)."""
    with learner.session:
        try:
            answers = learner.start()
            barrier.wait(timeout=60)
            learner.answer_and_finish(answers)
        except BaseException:
            barrier.abort()
            raise
    return learner


def stored_attempts(database: str) -> dict[str, tuple[str, float, int, float]]:
    """Per attempt id: its state, score, number of stored answers and their points' sum."""
    rows = query(
        database,
        "SELECT a.public_id, a.state, a.score, COUNT(r.id), COALESCE(SUM(r.points), 0) "
        "FROM attempt a LEFT JOIN response r ON r.attempt_id = a.id GROUP BY a.id",
    )
    return {row[0]: row[1:] for row in rows}


def test_thirty_learners_answering_at_once(server: Server) -> None:
    """Every request succeeds, every answer is stored once, every attempt is finished with the right score."""
    barrier = threading.Barrier(LEARNERS)
    learners = [Learner(server, skip=n % QUESTIONS + 1 if n % 3 == 0 else None) for n in range(LEARNERS)]
    with ThreadPoolExecutor(max_workers=LEARNERS) as pool:
        done = [f.result() for f in [pool.submit(take_quiz, learner, barrier) for learner in learners]]
    assert [p for learner in done for p in learner.problems] == []
    log = server.log.read_text()
    assert "database is locked" not in log and "Traceback" not in log, log
    stored = stored_attempts(server.database)
    assert len(stored) == LEARNERS
    for learner in done:
        state, score, responses, points = stored[learner.public_id]
        assert (state, responses) == ("finished", learner.answered)
        assert score == pytest.approx(points, abs=1e-6)
        assert score == pytest.approx(learner.expected_score, abs=1e-3)
    assert sum(learner.answered for learner in done) == LEARNERS * QUESTIONS - LEARNERS // 3
