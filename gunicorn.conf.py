"""gunicorn settings, read from this folder by `make run` (and by the tests and benches that start gunicorn
here); the command line gives the rest."""


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    """Before a worker's first request: compile every page template, so that the first student to join (or the
    first teacher's live view) does not wait for it."""
    from quizapp.factory import warm_up

    warm_up(worker.wsgi)
