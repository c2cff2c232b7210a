"""Question files in Moodle's formats (GIFT, Aiken, Moodle XML): readers and writers, Moodle 4.5 as reference.

Readers give a `ParseReport` of `MoodleQuestion`s in Moodle's own terms, with what Moodle would refuse
(errors) or silently change (warnings), located by line; writers give files Moodle reads back as the same
questions.
"""

from quizapp.domain.formats.aiken import read_aiken, write_aiken
from quizapp.domain.formats.detect import decode_upload, detect_format, read_upload
from quizapp.domain.formats.gift import read_gift, write_gift
from quizapp.domain.formats.model import FormatError, Located, MoodleAnswer, MoodleQuestion, ParseReport
from quizapp.domain.formats.moodle_xml import read_moodle_xml, write_moodle_xml

__all__ = [
    "FormatError",
    "Located",
    "MoodleAnswer",
    "MoodleQuestion",
    "ParseReport",
    "decode_upload",
    "detect_format",
    "read_aiken",
    "read_gift",
    "read_moodle_xml",
    "read_upload",
    "write_aiken",
    "write_gift",
    "write_moodle_xml",
]
