from datetime import date

from copbot.school_calendar import Break, do_meeting_due_dates, is_school_day, next_school_day
from copbot.vocabulary import DoMeetingKind

THANKSGIVING = Break(date(2025, 11, 24), date(2025, 11, 28), "Thanksgiving break")


def test_weekends_and_breaks_are_not_school_days():
    assert is_school_day(date(2025, 11, 21))  # Friday
    assert not is_school_day(date(2025, 11, 22))  # Saturday
    assert not is_school_day(date(2025, 11, 25), [THANKSGIVING])
    assert next_school_day(date(2025, 11, 22), [THANKSGIVING]) == date(2025, 12, 1)


def test_do_meeting_due_dates_skip_breaks():
    plain = do_meeting_due_dates(date(2025, 11, 15), date(2026, 1, 23))
    assert plain[DoMeetingKind.MID_STREAM] == date(2025, 12, 19)
    winter = Break(date(2025, 12, 19), date(2026, 1, 2), "Winter break")
    moved = do_meeting_due_dates(date(2025, 11, 15), date(2026, 1, 23), [winter])
    assert moved[DoMeetingKind.MID_STREAM] == date(2026, 1, 5)
    assert moved[DoMeetingKind.GAME_PLAN] == plain[DoMeetingKind.GAME_PLAN]
