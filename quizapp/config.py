"""Configuration: safe defaults, overridden by environment variables, and the test configuration."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else a key generated once into instance/secret_key."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_path / "secret_key"
    instance_path.mkdir(mode=0o700, parents=True, exist_ok=True)  # the database and the key live here
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def _public_url(text: str) -> str:
    """PUBLIC_URL checked: a scheme, a host and maybe a port ('http://192.168.1.20:5000'), else ValueError."""
    url = text.strip().rstrip("/")
    parts = urlsplit(url)
    if url and (parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query):
        raise ValueError(f"PUBLIC_URL must look like http://192.168.1.20:5000 (no path), not {text!r}")
    return url


def _host_list(text: str) -> list[str] | None:
    """TRUSTED_HOSTS: host names separated by commas or spaces; None (any host) when empty."""
    return text.replace(",", " ").split() or None


# A PostgreSQL connection pool per worker process. Under gevent workers every request in flight (a greenlet)
# holds a connection from its first query to its end; past pool + overflow it waits for one (up to
# SQLAlchemy's pool_timeout, 30 s). 4 workers x 10 = 40 connections per app server: two servers stay under
# PostgreSQL's default max_connections (100) with room for psql, pg_dump and `flask` commands. All ten are
# kept open: with 5 + 5 overflow, a class's bursts closed and opened connections all the time (a new server
# process each, and psycopg's prepared statements lost): PostgreSQL's CPU fell by a third without it
# (bench/README.md, "Session 9").
DEFAULT_POOL_SIZE = 10
DEFAULT_MAX_OVERFLOW = 0
# Pages each worker draws at once (web/answers_first.py): with 4, answers went first and the question pages
# came no later than without a limit (2 made the question pages wait seconds longer: bench/README.md).
DEFAULT_PAGE_SLOTS = 4
# SQLite's pool (not a setting): connections to a file are cheap; the benchmarks ran with these figures.
SQLITE_ENGINE_OPTIONS = {"pool_size": 10, "max_overflow": 20}


def _count(name: str, default: int, least: int) -> int:
    """A whole-number setting of the environment, at least `least`; ValueError naming it otherwise."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = least - 1
    if value < least:
        raise ValueError(f"{name} must be a whole number, {least} or more (default {default}), not {text!r}")
    return value


def _hold_seconds(name: str, most: int) -> float | None:
    """A number of seconds from 0 to `most` in the environment, or None when unset; ValueError naming it."""
    text = os.environ.get(name, "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= most:
        raise ValueError(
            f"{name} must be a number of seconds from 0 to {most} (unset: automatic), not {text!r}"
        )
    return value


def engine_options(config: Mapping[str, object]) -> dict[str, object]:
    """SQLALCHEMY_ENGINE_OPTIONS for the configured database: SQLite's fixed pool, or for any other database
    (PostgreSQL) a pool of DATABASE_POOL_SIZE + DATABASE_MAX_OVERFLOW (quizapp/database.py checks a connection
    left idle before use: `_ping_when_idle`)."""
    url = str(config["SQLALCHEMY_DATABASE_URI"])
    if url.startswith("sqlite"):
        return dict(SQLITE_ENGINE_OPTIONS)
    return {
        "pool_size": config.get("DATABASE_POOL_SIZE", DEFAULT_POOL_SIZE),
        "max_overflow": config.get("DATABASE_MAX_OVERFLOW", DEFAULT_MAX_OVERFLOW),
    }


def load_config(instance_path: Path) -> dict[str, object]:
    """The settings of a running app; every one can be overridden through the environment."""
    config = _settings(instance_path)
    config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(config)
    return config


def _settings(instance_path: Path) -> dict[str, object]:
    https = os.environ.get("HTTPS", "").lower() in ("1", "true", "yes")
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance_path / 'quizapp.sqlite3'}"
        ),
        # PostgreSQL: connections each worker process keeps open, and how many more it may open in a burst
        # (engine_options below; docs/deployment.md says how to size them).
        "DATABASE_POOL_SIZE": _count("DATABASE_POOL_SIZE", DEFAULT_POOL_SIZE, least=1),
        "DATABASE_MAX_OVERFLOW": _count("DATABASE_MAX_OVERFLOW", DEFAULT_MAX_OVERFLOW, least=0),
        # Pages (GET) each worker process draws at once; answers and other POSTs never wait for one
        # (web/answers_first.py). 0: no limit.
        "PAGE_SLOTS": _count("PAGE_SLOTS", DEFAULT_PAGE_SLOTS, least=0),
        # Under HTTPS the cookies carry the __Host- prefix: browsers then keep them only if Secure, with
        # Path=/ and no Domain, so no other site on the domain (nor plain HTTP) can set or overwrite them.
        "SESSION_COOKIE_NAME": "__Host-session" if https else "session",
        "SESSION_COOKIE_PATH": "/",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        # The session cookie names an anonymous learner (their quiz history) for a year. A teacher's sign-in
        # inside it lasts far less (web/sign_in.py): it ends after TEACHER_SESSION_IDLE without a page
        # opened and TEACHER_SESSION_MAX after signing in, whatever happens.
        "PERMANENT_SESSION_LIFETIME": timedelta(days=365),
        "TEACHER_SESSION_IDLE": timedelta(hours=float(os.environ.get("TEACHER_SESSION_IDLE_HOURS", "12"))),
        "TEACHER_SESSION_MAX": timedelta(days=float(os.environ.get("TEACHER_SESSION_MAX_DAYS", "7"))),
        # The cookie is re-signed only when it changes, not on every request (a class polling live pages
        # would otherwise pay an HMAC and a Set-Cookie each time).
        "SESSION_REFRESH_EACH_REQUEST": False,
        "WTF_CSRF_TIME_LIMIT": None,  # a quiz may stay open for hours; the token is tied to the session
        "MAX_CONTENT_LENGTH": 1024 * 1024,  # the import's upload page alone takes up to IMPORT_MAX_BYTES more
        "IMPORT_MAX_BYTES": int(os.environ.get("IMPORT_MAX_BYTES", str(10 * 1024 * 1024))),
        "IMPORT_MAX_QUESTIONS": int(os.environ.get("IMPORT_MAX_QUESTIONS", "5000")),
        "SQLITE_BUSY_TIMEOUT_MS": int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "15000")),
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
        # The address students' phones use (http://192.168.1.20:5000): the projector's join link and QR code
        # and the share links are built from it rather than from the request's Host header.
        "PUBLIC_URL": _public_url(os.environ.get("PUBLIC_URL", "")),
        # The host names the server answers to; a request naming another Host gets 400 (Flask checks it).
        "TRUSTED_HOSTS": _host_list(os.environ.get("TRUSTED_HOSTS", "")),
        "REGISTRATION": os.environ.get("REGISTRATION", "open").lower(),
        # Failed sign-ins: 5 per 15 minutes at one account from one address (or from one browser that signed
        # in to it before), 30 from one address, 100 an hour at one account from everywhere.
        "LOGIN_LIMIT_ACCOUNT": os.environ.get("LOGIN_LIMIT_ACCOUNT", "5/900"),
        "LOGIN_LIMIT_ADDRESS": os.environ.get("LOGIN_LIMIT_ADDRESS", "30/900"),
        "LOGIN_LIMIT_ACCOUNT_TOTAL": os.environ.get("LOGIN_LIMIT_ACCOUNT_TOTAL", "100/3600"),
        # Registrations per address (a staff training room shares one: raise it, or create accounts with
        # `flask users create-teacher`).
        "REGISTER_LIMIT": os.environ.get("REGISTER_LIMIT", "10/3600"),
        # Wrong join codes per address (a whole class may share one address, so only failures count).
        "JOIN_LIMIT": os.environ.get("JOIN_LIMIT", "20/300"),
        # An open class session with no activity for this many hours is closed (0: never).
        "SESSION_IDLE_HOURS": int(os.environ.get("SESSION_IDLE_HOURS", "12")),
        # How long a worker answers the phones' stamp polls from memory (services/stamp_cache.py).
        "STAMP_CACHE_SECONDS": 0.5,
        # How long a phone's stamp poll may wait for a change (long polling, web/student_stamps.py); unset:
        # 20 s in gunicorn's gevent workers, 0 (answer at once) elsewhere. Keep it under the proxy's timeout.
        "STAMP_HOLD_SECONDS": _hold_seconds("STAMP_HOLD_SECONDS", most=60),
        "ARGON2_MEMORY_KIB": int(os.environ.get("ARGON2_MEMORY_KIB", "65536")),
        "REMEMBER_COOKIE_NAME": "__Host-remember_token" if https else "remember_token",  # (not used today)
        "REMEMBER_COOKIE_PATH": "/",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
    }
