"""gunicorn settings, read from this folder by `make run` (and by the tests and benches that start gunicorn
here); the command line gives the rest."""

import signal


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    """Before a worker's first request: compile every page template, so that the first student to join (or the
    first teacher's live view) does not wait for it; and let a stop answer the waiting stamp polls."""
    from quizapp.factory import warm_up

    warm_up(worker.wsgi)
    _answer_waiting_polls_on_stop(worker)


def _answer_waiting_polls_on_stop(worker):  # type: ignore[no-untyped-def]
    """A worker told to stop (SIGTERM: a restart, an upgrade, `kill`) finishes its requests first, and a
    phone's stamp poll may wait 20 s for a change (quizapp/web/student_stamps.py): answer those at once (the
    phones ask again, on a running worker) instead of holding the stop for them."""
    stamps = worker.wsgi.extensions["student_stamps"]
    stop = worker.handle_exit

    def handle_exit(sig, frame):  # type: ignore[no-untyped-def]
        stamps.release()
        stop(sig, frame)

    signal.signal(signal.SIGTERM, handle_exit)
