"""Student personal data in typed text is spotted; ordinary evidence text is not."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copbot.errors import UserError
from copbot.privacy import PATTERNS, personal_data_warnings, require_checked
from messages.blocks import as_message_blocks
from messages.privacy import privacy_warning_blocks

NAME_ID = "a student's name with an ID number"


@pytest.mark.parametrize(("text", "kind"), [
    ("Maria Lopez #123456 did not finish the exit ticket", NAME_ID),
    ("Follow up with Jayden Smith (ID 20231187) about attendance", NAME_ID),
    ("Lopez, Maria 1234567 was absent for the observation", NAME_ID),
    ("Ana María O'Neil student id: 99887766 moved schools", NAME_ID),
    ("Kevin Nguyen, ID#4455667", NAME_ID),
    ("ID: 1234567 scored below basic", "a student ID number"),
    ("student number 5551234 needs an IEP review", "a student ID number"),
    ("SSID 1029384756 on the roster", "a student ID number"),
    ("Parent gave SSN 123-45-6789 by mistake", "a social security number"),
    ("Call the family at (559) 555-0142 after school", "a phone number"),
    ("Mom's cell is 559-555-0142", "a phone number"),
    ("Her number: +1 559.555.0142", "a phone number"),
    ("Email the guardian at jlopez.family@example.com", "an email address"),
    ("DOB 04/12/2012, reading at grade 3 level", "a date of birth"),
    ("date of birth: 2012-04-12", "a date of birth"),
    ("born on March 3, 2011 and new to the district", "a date of birth"),
])
def test_personal_data_is_spotted(text, kind):
    assert kind in personal_data_warnings(text)


@pytest.mark.parametrize("text", [
    "14 of 27 students cited text evidence during the partner talk",
    "Exit tickets from period 3 on 10/06/2025: 62% met the standard, up from 45%",
    "Observed Ms. Garcia's 7th grade ELA class in room 204 using sentence frames",
    "Cycle #2 strategy: structured academic talk with roles (facilitator, recorder)",
    "Standard RL.7.1; lesson 4.2; chapter 12 of Teaching Reading Sourcebook",
    "Attendance rate rose from 88.5% to 91.2% between Sep 1 and Oct 15, 2025",
    "Notes: https://docs.google.com/document/d/1AbCdEf123456/edit#heading=h.12345",
    "District assessment window 2025-11-03 to 2025-11-14, 1,250 students tested",
    "Lincoln Middle School and Roosevelt Middle School shared student work samples",
    "Reviewed 32 student work samples; 9 used the claim-evidence-reasoning frame",
    "We met on Tuesday at 3:15 for 45 minutes (game plan meeting)",
    "Suspensions fell from 23 to 11 this quarter among English learners",
    "",
])
def test_ordinary_evidence_text_does_not_warn(text):
    assert personal_data_warnings(text) == []


def test_each_kind_is_named_once():
    text = "Maria Lopez #123456 and Juan Perez #654321, call 559-555-0142 or 559-555-0143"
    assert personal_data_warnings(text) == [NAME_ID, "a phone number"]


def test_warning_blocks_are_valid_block_kit_and_do_not_repeat_the_data():
    warnings = personal_data_warnings("Maria Lopez #123456, DOB 04/12/2012")
    blocks = as_message_blocks(privacy_warning_blocks(warnings))
    text = json.dumps(blocks)
    assert "student's name with an ID number" in text and "date of birth" in text
    assert "123456" not in text and "Maria" not in text
    assert privacy_warning_blocks([]) == []


@settings(max_examples=200, deadline=None, database=None, derandomize=True)
@given(st.text(max_size=2000))
def test_any_text_gives_a_list_of_known_kinds(text):
    kinds = {kind for kind, _ in PATTERNS}
    assert set(personal_data_warnings(text)) <= kinds


def test_long_adversarial_text_is_scanned_in_one_pass():
    # Runs of names, digits and separators that a backtracking-prone pattern would choke on.
    for text in ["Maria Lopez " * 20000, "1-" * 50000, "a@" * 50000, "a@b." * 30000, "(555) " * 30000,
                 "DOB " * 30000 + "#"]:
        assert isinstance(personal_data_warnings(text), list)


def test_require_checked_refuses_unchecked_personal_data_without_repeating_it():
    require_checked("14 of 27 students cited text", checked=False)
    require_checked("Maria Lopez #123456", checked=True)
    with pytest.raises(UserError) as error:
        require_checked("Maria Lopez #123456, DOB 04/12/2012", checked=False)
    assert error.value.field == "description"
    assert "a student's name with an ID number and a date of birth" in error.value.message
    assert "Maria" not in error.value.message and "123456" not in error.value.message
