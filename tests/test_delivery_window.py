"""When a reminder may be delivered: school days, 7:30-19:00 local, outside quiet hours."""

from __future__ import annotations

from datetime import date

from copbot.delivery_window import DeliveryRules, in_quiet_hours, next_delivery_slot, quiet_hours_leave_a_slot
from copbot.school_calendar import Break
from tests.reminder_world import utc

LA = DeliveryRules(tz="America/Los_Angeles")


def test_early_morning_moves_to_730_local_and_daytime_stays():
    assert next_delivery_slot(utc("2025-09-08T07:00"), LA) == utc("2025-09-08T14:30")
    assert next_delivery_slot(utc("2025-09-08T18:05"), LA) == utc("2025-09-08T18:05")
    assert next_delivery_slot(utc("2025-09-09T02:30"), LA) == utc("2025-09-09T14:30")  # 19:30 Mon -> Tue 7:30


def test_weekends_and_breaks_are_skipped():
    assert next_delivery_slot(utc("2025-09-13T17:00"), LA) == utc("2025-09-15T14:30")  # Saturday -> Monday
    thanksgiving = DeliveryRules(tz="America/Los_Angeles", breaks=[Break(date(2025, 11, 24), date(2025, 11, 28))])
    assert next_delivery_slot(utc("2025-11-24T17:00"), thanksgiving) == utc("2025-12-01T15:30")


def test_quiet_hours_including_spans_past_midnight():
    assert in_quiet_hours(utc("2025-01-01T22:00").time(), 20, 7)
    assert not in_quiet_hours(utc("2025-01-01T12:00").time(), 20, 7)
    late_riser = DeliveryRules(tz="America/New_York", quiet_start_hour=20, quiet_end_hour=9)
    assert next_delivery_slot(utc("2025-09-08T11:30"), late_riser) == utc("2025-09-08T13:00")  # 9:00 EDT
    lunch = DeliveryRules(tz="America/New_York", quiet_start_hour=12, quiet_end_hour=13)
    assert next_delivery_slot(utc("2025-09-08T16:15"), lunch) == utc("2025-09-08T17:00")


def test_quiet_all_day_is_ignored_rather_than_never_delivering():
    assert not quiet_hours_leave_a_slot(6, 20)
    never = DeliveryRules(tz="America/Los_Angeles", quiet_start_hour=6, quiet_end_hour=20)
    assert next_delivery_slot(utc("2025-09-08T15:00"), never) == utc("2025-09-08T15:00")


def test_a_slot_is_its_own_next_slot():
    rules = DeliveryRules(tz="America/Chicago", quiet_start_hour=7, quiet_end_hour=10)
    slot = next_delivery_slot(utc("2025-03-08T10:00"), rules)  # Saturday before the DST change
    assert next_delivery_slot(slot, rules) == slot == utc("2025-03-10T15:00")  # Mon 10:00 CDT
