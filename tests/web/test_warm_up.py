"""gunicorn's workers compile every template before their first request, and answer their waiting stamp polls
when told to stop (gunicorn.conf.py)."""

from __future__ import annotations

import runpy
import signal
from pathlib import Path
from types import SimpleNamespace

from flask import Flask

ROOT = Path(__file__).resolve().parents[2]


def compiled(app: Flask) -> set[str]:
    """The names of the templates held compiled by the app's Jinja environment."""
    assert app.jinja_env.cache is not None
    return {name for _loader, name in app.jinja_env.cache}


def test_a_worker_compiles_every_template_before_serving(app: Flask) -> None:
    assert app.jinja_env.cache is not None
    app.jinja_env.cache.clear()
    assert compiled(app) == set()
    hook = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["post_worker_init"]
    exits: list[int] = []
    previous = signal.getsignal(signal.SIGTERM)
    try:  # as gunicorn calls it, with the worker's loaded app and its own exit handler
        hook(SimpleNamespace(wsgi=app, handle_exit=lambda sig, _frame: exits.append(sig)))
        names = set(app.jinja_env.list_templates())
        assert {"base.html", "classroom/live.html", "join/play.html", "attempts/result.html"} <= names
        assert names <= compiled(app)
        # told to stop, the worker answers its waiting stamp polls, then stops as gunicorn's handler does
        handler = signal.getsignal(signal.SIGTERM)
        assert callable(handler)
        handler(signal.SIGTERM, None)
        assert app.extensions["student_stamps"].released.is_set()
        assert exits == [signal.SIGTERM]
    finally:
        signal.signal(signal.SIGTERM, previous)
