"""Pure domain code: the article, questions, quiz generation and scoring.

Nothing here imports Flask, SQLAlchemy or WTForms; randomness and time come in as arguments.
"""


class DomainError(Exception):
    """A rule of the domain was broken; the message is written for the person who can fix it."""
