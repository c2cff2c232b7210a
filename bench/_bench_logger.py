"""gunicorn's logger with one more access-log atom for the benches: `%(E)s`, the time (seconds since the
epoch, to the microsecond) the response was written, so a request's time from the phone's sending it (its
`X-Bench-Sent` header) to the server's answer can be told without the simulated phones' own delays (they
share the machine's CPUs, at a lower priority). Loaded by bench/_server.py with `--logger-class`."""

from __future__ import annotations

import time
from typing import Any

from gunicorn.glogging import Logger


class TimedLogger(Logger):
    """Access-log atoms plus `E`: now, when gunicorn logs the request (after its response was written)."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        atoms["E"] = f"{time.time():.6f}"
        return atoms
