"""Whether a page gives a question's answer away, for the web tests."""

from __future__ import annotations

import re

from quizapp.domain.questions import Question, QuestionType

TYPED = (QuestionType.FILL_BLANK, QuestionType.NUMERIC)


_TAGS = re.compile(r"<[^>]+>")


def form_text(text: str, question: Question) -> str:
    """The words of the page's answer form, without its prompt and without any markup."""
    form = text[text.index('<form method="post"') : text.index("</form>")]
    return _TAGS.sub(" ", form.replace(question.prompt.replace("___", "_____"), " "))


def accepted_texts(question: Question) -> list[str]:
    """What a typed answer accepts: every spelling of a fill-in, the number of a numeric question."""
    if question.type is QuestionType.FILL_BLANK:
        return list(question.answer)  # type: ignore[arg-type]
    return [f"{float(question.answer):g}"]  # type: ignore[arg-type]


def shows(words: str, accepted: str) -> bool:
    """Whether `accepted` stands as a word (or words) of `words`, in any case."""
    return re.search(rf"(?<!\w){re.escape(accepted)}(?!\w)", words, re.I) is not None


def assert_no_key(text: str, question: Question) -> None:
    """Nothing on the page gives the answer away."""
    assert question.explanation not in text, question.id
    if question.type is QuestionType.EVIDENCE:  # its sentences are offered, none marked: look outside them
        text = re.sub(r'<fieldset class="evidence".*?</fieldset>', "", text, flags=re.S)
    assert question.source not in text, question.id
    assert "Correct answer" not in text, question.id
    assert 'class="verdict"' not in text, question.id
    if question.type in TYPED:
        words = form_text(text, question)
        assert not any(shows(words, accepted) for accepted in accepted_texts(question)), question.id
