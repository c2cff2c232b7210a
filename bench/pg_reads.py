"""A class's play page and answer POST on PostgreSQL, in-process: app CPU and wall time per request (wall
includes the round trips and the server's own work), for comparing two checkouts of the code.

    PYTHONPATH=<checkout> .venv/bin/python bench/pg_reads.py [--url postgresql+psycopg://...:5432/test]

Run it from each checkout in turn (e.g. a `git worktree` of the older commit), alternately, on a quiet
machine. It makes a database of its own on the server of `--url` and drops it at the end.
"""

from __future__ import annotations

import argparse
import resource
import secrets
import time
from collections.abc import Callable

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import load, make_app
from tests.databases import close_connections
from tests.web.classroom_steps import join_student, open_session, session_row, slot_at, step, token
from tests.web.taking import fields_for
from tests.web.teachers import ADA, sign_in_teacher


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rounds(label: str, requests: int, send: Callable[[], bool]) -> None:
    """Three rounds of `requests` calls of `send` (each returns True); prints app CPU and wall per call."""
    for _ in range(3):
        cpu, wall = _cpu(), time.perf_counter()
        for _ in range(requests):
            assert send()
        cpu, wall = _cpu() - cpu, time.perf_counter() - wall
        print(f"{label}: app CPU {1000 * cpu / requests:.2f} ms, wall {1000 * wall / requests:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--requests", type=int, default=1500, help="GETs per round (3 rounds)")
    args = parser.parse_args()
    name = f"quizapp_reads_{secrets.token_hex(4)}"
    admin = create_engine(args.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        app = make_app(load(make_url(args.url).set(database=name).render_as_string(hide_password=False)))
        teacher = sign_in_teacher(app, app.test_client(), ADA)
        run = open_session(teacher)
        student = join_student(app, app.test_client(), run.code, "Ana")
        step(teacher, run, "start")
        student.client.get(student.play)
        _rounds("play page", args.requests, lambda: student.client.get(student.play).status_code == 200)
        position = session_row(app, student.session_id).position
        answer = f"{student.play}/answer"
        data = {
            **fields_for(slot_at(app, student, position), "right"),
            "position": str(position),
            "csrf_token": token(student.client),
        }
        # the same answer again: an update of the stored one, as a change of mind is
        send = student.client.post
        _rounds("answer POST", args.requests, lambda: send(answer, data=data).status_code == 303)
        with app.app_context():
            close_connections()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


if __name__ == "__main__":
    main()
