"""The one bounded cache (quizapp/caches.py): least recently used dropped past its size, values served for a
time when it has one, None never kept, every cache emptied by clear_all."""

from __future__ import annotations

import threading

import pytest

from quizapp import caches
from quizapp.caches import Cache, clear_all


def test_past_its_size_the_least_recently_used_is_dropped() -> None:
    cache: Cache[str, int] = Cache(max_size=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "b" is now the least recently used
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c"), len(cache)) == (1, None, 3, 2)


def test_get_or_make_makes_once() -> None:
    cache: Cache[int, str] = Cache(max_size=10)
    made: list[int] = []
    for _ in range(3):
        assert cache.get_or_make(7, lambda: made.append(7) or "seven") == "seven"
    assert made == [7]
    cache.forget(7)
    assert cache.get_or_make(7, lambda: "again") == "again"


def test_none_is_not_kept() -> None:
    cache: Cache[str, str] = Cache(max_size=10)
    cache.put("unknown", None)
    assert "unknown" not in cache and len(cache) == 0


def test_a_value_is_served_for_its_seconds_counted_from_its_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr(caches.time, "monotonic", lambda: now[0])
    cache: Cache[str, str] = Cache(max_size=10, seconds=0.5)
    cache.put("s", "lobby", read_at=99.7)  # read 0.3 s ago
    assert cache.get("s") == "lobby"
    now[0] = 100.2
    assert cache.get("s") is None and len(cache) == 0  # 0.5 s after it was read
    never: Cache[str, str] = Cache(max_size=10, seconds=0)
    never.put("s", "lobby")
    assert never.get("s") is None


def test_clear_all_empties_every_cache() -> None:
    one: Cache[str, int] = Cache(max_size=3)
    two: Cache[str, int] = Cache(max_size=3, seconds=60)
    one.put("a", 1)
    two.put("b", 2)
    clear_all()
    assert (len(one), len(two)) == (0, 0)


def test_a_size_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="max_size"):
        Cache(max_size=0)


def test_threads_share_it_within_its_size() -> None:
    cache: Cache[int, int] = Cache(max_size=50)

    def work(start: int) -> None:
        for n in range(start, start + 2_000):
            cache.get_or_make(n % 120, lambda n=n: n)  # type: ignore[misc]

    threads = [threading.Thread(target=work, args=(k * 1000,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) == 50


def test_those_asking_while_a_value_is_made_wait_for_it_instead_of_making_it_again() -> None:
    cache: Cache[str, str] = Cache(max_size=10, seconds=60)
    made: list[str] = []
    release = threading.Event()

    def make(key: str) -> str:
        made.append(key)
        release.wait(5)
        return key.upper()

    answers: list[str] = []
    askers = [
        threading.Thread(target=lambda: answers.append(cache.get_or_make("s", lambda: make("s"))))
        for _ in range(8)
    ]
    other = threading.Thread(target=lambda: answers.append(cache.get_or_make("t", lambda: "T")))
    for asker in askers:
        asker.start()
    other.start()
    other.join(5)
    assert answers == ["T"]  # another key is not held up by the one being made
    release.set()
    for asker in askers:
        asker.join(5)
    assert made == ["s"] and answers[1:] == ["S"] * 8
    assert cache._makers == {}  # nothing left behind once made


def test_a_failed_making_lets_the_next_asker_try_again() -> None:
    cache: Cache[str, str] = Cache(max_size=10)

    def fail() -> str:
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        cache.get_or_make("s", fail)
    assert cache.get_or_make("s", lambda: "S") == "S" and cache._makers == {}
