"""gunicorn's workers compile every template before their first request (gunicorn.conf.py)."""

from __future__ import annotations

import runpy
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
    hook(SimpleNamespace(wsgi=app))  # as gunicorn calls it, with the worker's loaded app
    names = set(app.jinja_env.list_templates())
    assert {"base.html", "classroom/live.html", "join/play.html", "attempts/result.html"} <= names
    assert names <= compiled(app)
