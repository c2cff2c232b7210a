"""How reading a GIFT file scales: CPU seconds to parse files of 12,500 to 100,000 questions.

    .venv/bin/python bench/imports.py

Prints the CPU time and microseconds per question for each size, and the ratio between the largest and the
smallest file; a parser that stays linear gives a ratio near the ratio of sizes (8), a quadratic one near 64.
Exits 1 when the ratio is over 20.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from quizapp.domain.formats import read_gift

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "unit" / "formats"))
from test_hostile_uploads import gift_file  # noqa: E402  (the test reads the same file whole)

SIZES = (12_500, 25_000, 50_000, 100_000)


def parse_seconds(text: str) -> float:
    """The best of two runs' CPU seconds for read_gift on `text`."""
    times = []
    for _ in range(2):
        started = time.process_time()
        report = read_gift(text)
        times.append(time.process_time() - started)
        assert report.errors == [], report.errors[:3]
    return min(times)


def main() -> int:
    seconds = {}
    for size in SIZES:
        seconds[size] = parse_seconds(gift_file(size))
        per_question = seconds[size] / size * 1e6
        print(f"{size:>8,} questions: {seconds[size]:6.2f} s CPU, {per_question:5.1f} µs per question")
    ratio = seconds[SIZES[-1]] / seconds[SIZES[0]]
    print(f"ratio {SIZES[-1] // SIZES[0]}x the questions: {ratio:.1f}x the time (linear: ~8, quadratic: ~64)")
    return 0 if ratio < 20 else 1


if __name__ == "__main__":
    sys.exit(main())
