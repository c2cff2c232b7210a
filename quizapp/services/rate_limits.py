"""Rate limits shared by every server worker: attempts are counted in the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func

from quizapp.database import lock_key, write_transaction
from quizapp.domain import DomainError
from quizapp.extensions import db
from quizapp.models import RateLimitHit, utc_now


@dataclass(frozen=True)
class Limit:
    """At most `count` attempts per `window` under one key."""

    count: int
    window: timedelta

    @classmethod
    def parse(cls, text: str) -> Limit:
        """Read '5/900' (5 attempts per 900 seconds)."""
        count, seconds = text.split("/")
        return cls(int(count), timedelta(seconds=int(seconds)))


class RateLimited(DomainError):
    """Too many attempts; `retry_after` is how long to wait, in seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"Too many attempts. Please wait {max(1, round(retry_after / 60))} minute(s).")
        self.retry_after = retry_after


def check(keys: Sequence[tuple[str, Limit]]) -> None:
    """Raise RateLimited if any key is at its limit, counting nothing (for limits that count failures)."""
    now = utc_now()
    for key, limit in keys:
        count, oldest = db.session.execute(
            db.select(func.count(RateLimitHit.id), func.min(RateLimitHit.at)).where(
                RateLimitHit.key == key, RateLimitHit.at > now - limit.window
            )
        ).one()
        if count >= limit.count:
            raise RateLimited(int((oldest + limit.window - now).total_seconds()) + 1)


def take(keys: Sequence[tuple[str, Limit]]) -> list[int]:
    """Count one attempt under every key, or raise RateLimited (counting nothing) if any key is at its limit.

    Returns the ids of the hits recorded, so a successful attempt can give them back with `give_back`.
    The check and the count happen in one write transaction, so concurrent attempts cannot overshoot (on
    PostgreSQL, whose transactions run side by side, the keys are locked first and `now` read after).
    """
    with write_transaction():
        lock_key(*(f"rate-limit:{key}" for key, _ in keys))
        now = utc_now()
        for key, limit in keys:
            since = now - limit.window
            count, oldest = db.session.execute(
                db.select(func.count(RateLimitHit.id), func.min(RateLimitHit.at)).where(
                    RateLimitHit.key == key, RateLimitHit.at > since
                )
            ).one()
            if count >= limit.count:
                raise RateLimited(int((oldest + limit.window - now).total_seconds()) + 1)
        hits = [RateLimitHit(key=key, at=now) for key, _ in keys]
        db.session.add_all(hits)
        db.session.flush()
        ids = [hit.id for hit in hits]
        db.session.execute(delete(RateLimitHit).where(RateLimitHit.at < now - timedelta(days=1)))
    return ids


def give_back(hit_ids: Sequence[int]) -> None:
    """Forget hits recorded by `take` (the attempt succeeded)."""
    if hit_ids:
        with write_transaction():
            db.session.execute(delete(RateLimitHit).where(RateLimitHit.id.in_(hit_ids)))
