"""Moodle XML read as Moodle 4.5's `qformat_xml` reads it, parsed safely (defusedxml: no DTD, no entities).

Every `<question type=...>` is read, the types quizapp has no equivalent for too (the caller skips those, with
a reason). A type Moodle 4.5 itself does not know, a question without a type or without a name, and a grade
off Moodle's list are located errors, as they stop Moodle's import.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError, TreeBuilder, tostring

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from quizapp.domain.formats.model import (
    FormatError,
    Located,
    MoodleAnswer,
    MoodleFile,
    MoodleHint,
    MoodleQuestion,
    ParseReport,
)
from quizapp.domain.formats.moodle_rules import (
    apply_grade_list,
    clean_question_name,
    default_question_name,
    grade_list_text,
    is_numeric,
    not_utf8,
    php_empty,
    php_trim,
)
from quizapp.domain.formats.moodle_xml_writer import FILE_TYPES, write_moodle_xml

__all__ = ["read_moodle_xml", "write_moodle_xml"]

_TYPES = {file_type: moodle_type for moodle_type, file_type in FILE_TYPES.items()} | {
    "match": "match",
    "multianswer": "multianswer",
}
CORE_TYPES = (
    "multichoice",
    "truefalse",
    "shortanswer",
    "numerical",
    "description",
    "match",
    "multianswer",
    "essay",
    "calculated",
    "calculatedsimple",
    "calculatedmulti",
    "ddwtos",
    "gapselect",
    "ddmarker",
    "ddimageortext",
    "ordering",
    "randomsamatch",
)
_FORMATS = {"moodle_auto_format": "moodle", "html": "html", "plain_text": "plain", "markdown": "markdown"}
_ENCODING = re.compile(rb"""\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)""")
_WITH_TOLERANCE = ("numerical", "calculated", "calculatedsimple", "calculatedmulti")
COMBINED_FEEDBACK = ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")
OTHER_TEXTS = ("graderinfo", "responsetemplate")  # an essay's texts with their own format
# Elements read into their own fields; every other plain child of <question> is kept as a setting.
_READ_ELSEWHERE = {
    "name",
    "questiontext",
    "generalfeedback",
    "idnumber",
    "answer",
    "subquestion",
    "tags",
    "hint",
    "units",
    "image",
    "image_base64",
    *COMBINED_FEEDBACK,
    *OTHER_TEXTS,
}


class _LineTarget:
    """Builds the element tree and remembers where (line, column) each element starts."""

    def __init__(self) -> None:
        self.builder = TreeBuilder()
        self.positions: dict[Element, tuple[int, int]] = {}
        self.expat = None

    def start(self, tag: str, attributes: dict[str, str]) -> Element:
        element = self.builder.start(tag, attributes)
        if self.expat is not None:
            self.positions[element] = (self.expat.CurrentLineNumber, self.expat.CurrentColumnNumber + 1)
        return element

    def end(self, tag: str) -> Element:
        return self.builder.end(tag)

    def data(self, text: str) -> None:
        self.builder.data(text)

    def close(self) -> Element:
        return self.builder.close()


def read_moodle_xml(data: bytes) -> ParseReport:
    """Every question of a Moodle XML file; FormatError when the file is not safe, well-formed Moodle XML."""
    root, positions = _parse(data)
    if root.tag != "quiz":
        raise FormatError(
            f"This is not a Moodle XML question file: its outer element is <{root.tag}>, "
            "where Moodle expects <quiz>."
        )
    report = ParseReport("moodle-xml")
    for element in root.findall("question"):
        _QuestionXml(element, positions.get(element, (None, None)), report).read()
    return report


def _parse(data: bytes) -> tuple[Element, dict[Element, tuple[int, int]]]:
    """The root element and where each element starts; FormatError, in plain words, when unsafe or broken."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise FormatError(
            "The file is saved as UTF-16; Moodle reads UTF-8 only. Save it as UTF-8 and try again."
        )
    if b"\x00" in data:
        raise FormatError("The file holds binary data (NUL bytes), so it is not a Moodle XML text file.")
    if not data.strip():
        raise FormatError("The file is empty.")
    _check_utf8(data)
    target = _LineTarget()
    parser = DefusedXMLParser(target=target, forbid_dtd=True)
    target.expat = parser.parser
    try:
        parser.feed(data)
        return parser.close(), target.positions
    except DTDForbidden as exc:
        raise FormatError(
            "The file declares a DTD (<!DOCTYPE ...>). Moodle XML has none, and a DTD can hide an "
            "entity bomb or read files from the server, so it is refused."
        ) from exc
    except (EntitiesForbidden, ExternalReferenceForbidden) as exc:
        raise FormatError(
            "The file declares XML entities. Moodle XML uses none, and entities can blow up in "
            "memory or read files from the server, so it is refused."
        ) from exc
    except ParseError as exc:
        line, column = exc.position
        ending = (
            " (the file looks cut short)"
            if str(exc).startswith(("no element found", "unclosed token"))
            else ""
        )
        raise FormatError(
            f"The XML is broken at line {line}, column {column + 1}{ending}: "
            f"{str(exc).split(':')[0]}. Export the questions again, or fix the file."
        ) from exc


def _check_utf8(data: bytes) -> None:
    """Refuse, in plain words, a file that declares no other encoding and is not UTF-8."""
    declared = _ENCODING.match(data)
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        return  # the XML parser decodes what the file declares
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise not_utf8(data, exc) from exc


def trans_single(value: str) -> bool:
    """Moodle's reading of true/false settings: 'false', '' and '0' are false; anything else is true."""
    value = php_trim(value)
    return not (value == "false" or php_empty(value))


class _QuestionXml:
    """Reads one <question> element the way qformat_xml does."""

    def __init__(
        self, element: Element, position: tuple[int | None, int | None], report: ParseReport
    ) -> None:
        self.element, self.report = element, report
        self.line, self.column = position
        file_type = element.get("type")
        self.moodle_type = _TYPES.get(file_type, file_type) if file_type is not None else ""
        self.file_type = file_type
        self.label = ""

    def read(self) -> None:
        """Add the question (or, for type="category", the category) to the report."""
        if self.moodle_type == "category":
            self.report.categories.append(php_trim(self._text(self.element.find("category/text"))))
            return
        category = self.report.categories[-1] if self.report.categories else None
        question = MoodleQuestion(self.moodle_type, category=category, line=self.line)
        question.text, question.text_format = self._field(self.element.find("questiontext"), "html")
        self.label = question.text[:40]
        question.name = self._name(question)
        self.label = question.name
        question.general_feedback = self._field(self.element.find("generalfeedback"), question.text_format)[0]
        question.idnumber = php_trim(self.element.findtext("idnumber") or "")
        question.tags = [php_trim(self._text(tag.find("text"))) for tag in self.element.findall("tags/tag")]
        self._check_type()
        self._read_details(question)
        self._read_kept(question)
        if apply_grade_list(question):
            grades = ", ".join(f"{answer.fraction * 100:g}%" for answer in question.answers)
            self._error(
                "invalidgradequestion",
                f"Moodle refuses this question: its grades ({grades}) are not all on its list.",
                f"Use one of {grade_list_text()} (or their negatives).",
            )
            return
        self.report.questions.append(question)

    def _name(self, question: MoodleQuestion) -> str:
        """<name><text>: required, except for cloze questions (which take the start of their text)."""
        name = self.element.find("name/text")
        if name is not None:
            return clean_question_name(self._text(name))
        if self.moodle_type == "multianswer":
            return default_question_name(question.text)
        self._error(
            "xmlimportnoname",
            "This question has no <name>; Moodle stops the import.",
            "Add <name><text>...</text></name> to the question.",
        )
        return ""

    def _check_type(self) -> None:
        """A question needs a type that Moodle 4.5 knows."""
        if self.file_type is None:
            self._error(
                "xmltypeunsupported",
                "This <question> has no type attribute; Moodle cannot import it.",
                'Add type="multichoice" (or the right type) to the <question> tag.',
            )
        elif self.moodle_type not in CORE_TYPES:
            self._error(
                "xmltypeunsupported",
                f"Moodle 4.5 has no question type '{self.file_type}'.",
                "Use a core type, or install the plugin that defines it in Moodle.",
            )

    def _read_details(self, question: MoodleQuestion) -> None:
        """The parts particular to each type."""
        element, moodle_type = self.element, self.moodle_type
        if moodle_type in ("multichoice", "calculatedmulti"):
            question.single = trans_single(element.findtext("single", "true"))
        if moodle_type in ("multichoice", "calculatedmulti", "calculated", "calculatedsimple"):
            question.shuffle = trans_single(element.findtext("shuffleanswers", "false"))
        if moodle_type == "truefalse":
            self._read_truefalse(question)
        elif moodle_type == "match":
            question.shuffle = trans_single(element.findtext("shuffleanswers", "1"))
            question.subquestions = [
                (self._field(sub, question.text_format)[0], php_trim(self._text(sub.find("answer/text"))))
                for sub in element.findall("subquestion")
            ]
        else:
            question.answers = [
                self._answer(answer, question.text_format) for answer in element.findall("answer")
            ]

    def _read_kept(self, question: MoodleQuestion) -> None:
        """Settings, combined feedback, hints, units and embedded files: kept to be written back."""
        for child in self.element:
            if child.tag not in _READ_ELSEWHERE and not len(child) and not child.attrib:
                question.settings[child.tag] = php_trim(child.text or "")
        if self.moodle_type in ("multichoice", "match") and "shuffleanswers" not in question.settings:
            question.settings["shuffleanswers"] = "true" if question.shuffle else "false"  # Moodle's default
        for name in COMBINED_FEEDBACK:
            text, text_format = self._field(self.element.find(name), "html")
            if text:  # an empty feedback is no feedback
                question.combined[name] = (text, text_format)
        for (
            name
        ) in OTHER_TEXTS:  # kept even when empty, for its format (Moodle's default: the question text's)
            element = self.element.find(name)
            if element is not None:
                question.other_texts[name] = self._field(element, question.text_format)
        for hint in self.element.findall("hint"):
            text, text_format = self._field(hint, "html")
            question.hints.append(
                MoodleHint(
                    text,
                    text_format,
                    hint.find("shownumcorrect") is not None,
                    hint.find("clearwrong") is not None,
                    php_trim(hint.findtext("options") or ""),
                )
            )
        question.units = [
            (php_trim(unit.findtext("unit_name") or ""), php_trim(unit.findtext("multiplier") or "1"))
            for unit in self.element.findall("units/unit")
        ]
        question.files = [
            MoodleFile(file.get("name", ""), "".join((file.text or "").split()), file.get("path") or "/")
            for file in self.element.iter("file")
            if file.get("name")
        ]
        self._read_legacy_image(question)

    def _read_legacy_image(self, question: MoodleQuestion) -> None:
        """Moodle 1.x's <image> with <image_base64>: a file shown after the text, as Moodle imports it."""
        path = php_trim(self.element.findtext("image") or "")
        data = "".join((self.element.findtext("image_base64") or "").split())
        if not path or not data:
            return
        name = path.replace("\\", "/").rsplit("/", 1)[-1]
        question.files.append(MoodleFile(name, data, "/"))
        question.text += f' <img src="@@PLUGINFILE@@/{name}" alt="" />'
        if question.text_format in ("plain", "markdown"):
            question.text_format = "html"  # the text now holds markup

    def _answer(self, answer: Element, text_format: str) -> MoodleAnswer:
        """One <answer fraction="..."> with its text, feedback and (numerical) tolerance."""
        text_element = answer.find("text")
        text = self._text(text_element) if text_element is not None else (answer.text or "")
        feedback = self._field(answer.find("feedback"), text_format)[0]
        tolerance = None
        if self.moodle_type in _WITH_TOLERANCE:
            tolerance = self._number(answer.findtext("tolerance") or "0", "tolerance")
        fraction = self._number(answer.get("fraction", "0"), "fraction") / 100
        return MoodleAnswer(php_trim(text), fraction, feedback, tolerance)

    def _read_truefalse(self, question: MoodleQuestion) -> None:
        """Answers 'true' and 'false' (old files: true first); the one at 100 is right."""
        correct, feedback = True, {"true": "", "false": ""}
        for position, answer in enumerate(self.element.findall("answer")):
            text = php_trim(self._text(answer.find("text")))
            if text not in ("true", "false"):
                text = "true" if position == 0 else "false"
            full = self._number(answer.get("fraction", "0"), "fraction") == 100
            correct = full if text == "true" else not full
            feedback[text] = self._field(answer.find("feedback"), question.text_format)[0]
        question.truefalse_feedback = (feedback["true"], feedback["false"])
        question.answers = [
            MoodleAnswer("true", 1.0 if correct else 0.0, feedback["true"]),
            MoodleAnswer("false", 0.0 if correct else 1.0, feedback["false"]),
        ]

    def _field(self, parent: Element | None, default_format: str) -> tuple[str, str]:
        """(text, format) of an element holding <text> and a format attribute."""
        if parent is None:
            return "", default_format
        name = parent.get("format")
        text_format = default_format if name is None else _FORMATS.get(php_trim(name))
        if text_format is None:
            self._warn(
                "unknownformat",
                f"Unknown text format '{name}': Moodle reads the text as HTML.",
                "Use html, moodle_auto_format, plain_text or markdown.",
            )
            text_format = "html"
        return php_trim(self._text(parent.find("text"))), text_format

    def _text(self, element: Element | None) -> str:
        """The content of a <text> element; HTML written without CDATA is kept, with an error as in Moodle."""
        if element is None:
            return ""
        if len(element):
            self._error(
                "invalidxml",
                "HTML inside <text> is not wrapped in <![CDATA[...]]>; Moodle refuses it.",
                "Wrap the HTML: <text><![CDATA[<p>...</p>]]></text>.",
            )
            inner = "".join(tostring(child, encoding="unicode") for child in element)
            return (element.text or "") + inner
        return element.text or ""

    def _number(self, text: str, what: str) -> float:
        """A number attribute or element; an error (Moodle cannot compute with it) when it is not one."""
        if is_numeric(text):
            return float(text)
        self._error("invalidxml", f"The {what} '{text}' is not a number.", f"Write the {what} as a number.")
        return 0.0

    def _error(self, code: str, message: str, hint: str) -> None:
        self.report.errors.append(Located(self.line, self.column, self.label, message, hint, code))

    def _warn(self, code: str, message: str, hint: str) -> None:
        self.report.warnings.append(Located(self.line, self.column, self.label, message, hint, code))
