"""Per-process memories, bounded: the one helper behind every cache a worker keeps.

Each worker (and each server) has its own; docs/deployment.md ("Several app servers") lists them, their keys
and what each may serve stale and for how long.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_MISSING = object()
_ALL: weakref.WeakSet[Cache[Any, Any]] = weakref.WeakSet()


class Cache(Generic[K, V]):
    """At most `max_size` values by key, the least recently used dropped first; with `seconds`, a value is
    served for that long after it was read (0: never). Safe to share between a worker's threads."""

    def __init__(self, max_size: int, seconds: float | None = None) -> None:
        if max_size < 1:
            raise ValueError(f"max_size must be at least 1, not {max_size}")
        self.max_size, self.seconds = max_size, seconds
        self._values: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()
        self._makers: dict[
            K, tuple[threading.Lock, list[int]]
        ] = {}  # key -> (its maker's lock, waiting count)
        _ALL.add(self)

    def get(self, key: K) -> V | None:
        """The value kept for `key`, or None (never kept, dropped, or older than `seconds`)."""
        with self._lock:
            kept = self._values.get(key)
            if kept is None:
                return None
            if self.seconds is not None and time.monotonic() - kept[0] >= self.seconds:
                del self._values[key]
                return None
            self._values.move_to_end(key)
            return kept[1]

    def put(self, key: K, value: V | None, read_at: float | None = None) -> None:
        """Keep `value` for `key` (`read_at`: the `time.monotonic()` it was read at, default now; its age is
        counted from then). A None value is not kept: nothing found is looked for again next time."""
        if value is None or self.seconds == 0:
            return
        with self._lock:
            self._values[key] = (time.monotonic() if read_at is None else read_at, value)
            self._values.move_to_end(key)
            while len(self._values) > self.max_size:
                self._values.popitem(last=False)

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        """The value kept for `key`, else `make()`'s, kept (None: nothing to keep). One thread (or greenlet)
        at a time makes a key's value; the others asking meanwhile wait for it instead of making it again:
        when a class's stamp runs out, the hundred requests of that moment read the database once, not a
        hundred times. Different keys are made side by side."""
        value = self.get(key)
        if value is not None:
            return value
        with self._lock:
            maker, waiting = self._makers.setdefault(key, (threading.Lock(), [0]))
            waiting[0] += 1
        try:
            with maker:
                kept = self.get(key)
                if kept is not None:
                    return kept
                read_at = time.monotonic()
                made = make()
                self.put(key, made, read_at)
                return made
        finally:
            with self._lock:
                waiting[0] -= 1
                if not waiting[0]:
                    del self._makers[key]

    def forget(self, key: K) -> None:
        """Drop the value kept for `key`, if any."""
        with self._lock:
            self._values.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None  # type: ignore[arg-type]


def clear_all() -> None:
    """Empty every cache of this process (tests: nothing read by an earlier test is served)."""
    for cache in list(_ALL):
        cache.clear()
