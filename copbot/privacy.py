"""Spotting student personal data in text people type (evidence, notes) before it is stored.

copbot stores what people type. Evidence should describe practice and aggregate results
("14 of 27 students cited text"), never identify a student. ``personal_data_warnings`` finds
the common slips: a student's name with an ID number, ID numbers, social security numbers,
phone numbers, email addresses and dates of birth. It warns; it never rewrites. Forms that store
such text call ``require_checked`` so a person either removes it or confirms, with a checkbox, that
what was spotted is not student personal data.
"""

from __future__ import annotations

import re

from copbot.errors import UserError

CHECKED_LABEL = "I checked: no student names, ids or other personal data"

NAME = r"[A-ZÀ-Þ](?:'[A-ZÀ-Þ])?[a-zß-ÿ]+(?:-[A-ZÀ-Þ][a-zß-ÿ]+)?"  # Maria, O'Neil, María, Smith-Jones
ID_LABEL = r"(?i:#|no\.?|num(?:ber)?\.?|id\b\.?|ssid\b|student\s+(?:id|number|no\.?)\b)"
ID_DIGITS = r"\d{5,12}\b"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("a student's name with an ID number", re.compile(
        rf"\b{NAME}(?:\s+{NAME}){{1,2}}\s*[,(\[]?\s*{ID_LABEL}\s*[:#=]?\s*{ID_DIGITS}")),
    ("a student's name with an ID number", re.compile(
        rf"\b{NAME},\s*{NAME}\s*[(\[]?\s*(?:{ID_LABEL}\s*[:#=]?\s*)?{ID_DIGITS}")),
    ("a student ID number", re.compile(
        rf"(?i)(?<![\w.])(?:student\s+)?(?:id|ssid|student\s+(?:number|no\.?))\s*(?:number|no\.?|#)?\s*[:#=]?\s*{ID_DIGITS}")),
    ("a social security number", re.compile(r"\b(?!000|666|9\d\d)\d{3}[- ](?!00)\d{2}[- ](?!0000)\d{4}\b")),
    ("a phone number", re.compile(r"(?<![\w/.-])(?:\+?1[-. ]?)?(?:\(\d{3}\)\s?|\d{3}[-. ])\d{3}[-. ]\d{4}\b")),
    # Starts only where a run of address characters starts, so a long run without "@" is read once.
    ("an email address", re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.[A-Za-z]{2,24}\b")),
    ("a date of birth", re.compile(
        r"(?i)\b(?:dob|d\.o\.b\.?|date\s+of\s+birth|birth\s*date|birthday|born(?:\s+on)?)\b\s*[:=-]?\s*"
        r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4})")),
]


def personal_data_warnings(text: str | None) -> list[str]:
    """What kinds of student personal data ``text`` seems to contain, each named once, in order found.

    >>> personal_data_warnings("Maria Lopez #123456 did not turn in the exit ticket")
    ["a student's name with an ID number"]
    >>> personal_data_warnings("14 of 27 students cited text evidence on 10/06/2025")
    []
    """
    if not text:
        return []
    found: list[str] = []
    for kind, pattern in PATTERNS:
        if kind not in found and pattern.search(text):
            found.append(kind)
    if "a student's name with an ID number" in found and "a student ID number" in found:
        found.remove("a student ID number")
    return found


def kinds_named(warnings: list[str]) -> str:
    """The kinds spotted as one phrase: "a phone number and an email address"."""
    return warnings[0] if len(warnings) == 1 else ", ".join(warnings[:-1]) + " and " + warnings[-1]


def require_checked(text: str | None, *, checked: bool, field: str = "description") -> None:
    """Refuse ``text`` that seems to hold student personal data unless the person ticked that they checked it.

    The error names the kind of data spotted, never the data itself.
    """
    warnings = personal_data_warnings(text)
    if warnings and not checked:
        raise UserError(
            f"This looks like it contains {kinds_named(warnings)}. Remove it (describe students without names "
            f"or identifiers), or tick \"{CHECKED_LABEL}\" if it is not student personal data.",
            field=field,
        )
