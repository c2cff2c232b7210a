"""Use cases: load rows, call the domain, save. The only layer that commits."""


class NotFound(Exception):
    """The thing asked for does not exist, or is not the asker's to see (both answer 404)."""
