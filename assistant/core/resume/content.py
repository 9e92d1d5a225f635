"""Which lines of a résumé say what the person did, knows or uses: the only lines skills are read from.

Everything else is left out, because a skill linked from it would be a guess about a name, not a claim
the person made: section headings, the name and contact lines, the title/employer/place/date lines of
roles and the degree/school/year lines of studies (also when a role has no dates, as in exports that put
the title and the employer on lines of their own), personal fields ("Date of birth:", "Designation:",
"Company:"), links, and any line with special-category personal data (:mod:`assistant.core.sensitive`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from assistant.core.resume.header import has_degree_word, has_institution_word
from assistant.core.resume.models import Line, ResumeDocument, SectionKind
from assistant.core.resume.vocabulary import ORGANISATION_WORDS, TITLE_WORDS
from assistant.core.sensitive import has_special_category

#: personal and administrative fields: their value is a name, a place, a date or a number, not a skill
_FIELD = re.compile(
    r"(?i)^[\s\-•*·]*(?:name|full name|father'?s name|mother'?s name|husband'?s name|spouse|d\.?o\.?b\.?|"
    r"date of birth|birth ?date|age|gender|sex|marital status|nationality|citizenship|passport(?: no\.?| number)?|"
    r"pan(?: no\.?| number| card)?|aadhaar|ssn|visa(?: status)?|address|permanent address|present address|"
    r"current address|location|current location|preferred location|city|state|country|pin(?: ?code)?|zip|"
    r"phone|mobile|cell|contact(?: no\.?| number)?|e-?mail|linkedin|github|website|portfolio|designation|"
    r"current designation|job title|title|role|position|company|employer|organi[sz]ation|client|customer|"
    r"project name|project title|project|duration|period|tenure|joining date|date of joining|from|to|"
    r"team size|notice period|current ctc|expected ctc|ctc|salary|hobbies|interests|languages known|"
    r"university|college|school|institute|institution|board|year of passing|passing year|percentage|cgpa|gpa|"
    r"grade|marks|degree|qualification|declaration|place|date|reference|references)"
    r"\s*(?::|-\s|–)"
)
#: "company - Foo Ltd" (Kaggle / Indeed exports): a field written with a spaced dash
_DASH_FIELD = re.compile(r"(?i)^[\s\-•*·]*(?:company|designation|location|duration|client|project)\s+-\s")
_CONTACT = re.compile(
    r"(?i)(?:\b[\w.+-]+@[\w-]+\.[\w.]+\b|https?://|www\.|\blinkedin\.com|\bgithub\.com|indeed\.com|"
    r"\bemail me on\b|\bwilling to relocate\b|\+?\d[\d ()-]{8,}\d)"
)
_WORDS = re.compile(r"[A-Za-z][A-Za-z&.'+#-]*")
#: a label over what follows ("Roles and responsibilities:", "Key Projects", "Project Details -")
_LABEL = re.compile(
    r"(?i)^[\s\-•*·]*(?:(?:key |main |major )?(?:roles?(?: and responsibilities)?|responsibilities|duties|"
    r"achievements|accomplishments|projects?(?: details| undertaken| handled)?|highlights|description|"
    r"job profile|work profile|summary)|[^:]{1,40}:)\s*[:\-–]?\s*$"
)
_HEADER_BLOCK_MIN_WORDS = 8


def _words(text: str) -> list[str]:
    return _WORDS.findall(text)


def _prose(text: str) -> bool:
    """A sentence about the person: enough words to say something."""
    return len(_words(text)) >= _HEADER_BLOCK_MIN_WORDS


def looks_like_role_line(text: str) -> bool:
    """A short line naming a job title, an employer or a place, with nothing done in it ("Associate
    consultant", "Sap labs", "Oracle Corporation - Bangalore")."""
    words = _words(text)
    if not words or len(words) > 6 or text.rstrip().endswith(".") or ":" in text:
        return False
    return text.count(",") < 2  # "Java, SQL, Oracle" is a list of tools, not a header


def looks_like_study_line(text: str) -> bool:
    """A degree, a school or a year of study, not a course's content."""
    words = _words(text)
    if len(words) > 14:
        return False
    if has_degree_word(text) or has_institution_word(text):
        return True
    return bool(re.fullmatch(r"[\s\d/().,:%–-]*(?:cgpa|gpa|percentage|marks|grade)?[\s\d/().,:%–-]*", text, re.I))


def title_like(phrase: str) -> bool:
    """A job title ("Technical Lead", "Software Test Engineer"): a designation, never a skill by itself."""
    words = [w.casefold().strip(".") for w in _words(phrase)]
    return 1 <= len(words) <= 4 and words[-1] in TITLE_WORDS


def organisation_like(phrase: str) -> bool:
    words = [w.casefold().strip(".") for w in _words(phrase)]
    return 1 <= len(words) <= 5 and any(w in ORGANISATION_WORDS for w in words[1:])


def content_lines(document: ResumeDocument) -> Iterator[Line]:
    """The lines skills may be read from, in order (see the module docstring)."""
    role_headers = {n for entry in document.experience for n in entry.header_lines}
    study_headers = {n for entry in document.education for n in entry.header_lines}
    first_heading = next((line.line_no for line in document.lines if line.heading), None)
    for line in document.lines:
        text = line.text
        if line.heading or line.line_no in role_headers or line.line_no in study_headers:
            continue
        if _FIELD.match(text) or _DASH_FIELD.match(text) or _CONTACT.search(text) or has_special_category(text):
            continue
        if _LABEL.match(text):
            continue  # a label over the lines that follow, not something done
        before_headings = first_heading is not None and line.line_no < first_heading
        if (before_headings or line.section is SectionKind.CONTACT) and not _prose(text):
            continue  # the name, the headline, the contact block: only a summary sentence there says anything
        if line.section is SectionKind.EXPERIENCE and not line.bullet and looks_like_role_line(text):
            continue
        if (
            line.section is SectionKind.EDUCATION
            and not line.bullet
            and (looks_like_study_line(text) or looks_like_role_line(text))
        ):
            continue  # a degree, a school, a field of study ("Computer Science") or a board
        yield line
