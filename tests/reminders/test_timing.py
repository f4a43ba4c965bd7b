"""Delivery instants: the due day at 09:00 local, moved out of quiet hours, across daylight saving."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.reminders.timing import DeliveryWindow


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


NY = DeliveryWindow.of("America/New_York", "21:00", "09:30")


def test_send_hour_inside_quiet_hours_moves_to_their_end_across_dst() -> None:
    # 09:00 is inside 21:00-09:30, so 09:30 local: 14:30 UTC in winter (EST), 13:30 UTC in summer (EDT).
    assert NY.planned(date(2026, 3, 6), utc(2026, 1, 1)) == utc(2026, 3, 6, 14, 30)
    assert NY.planned(date(2026, 3, 9), utc(2026, 1, 1)) == utc(2026, 3, 9, 13, 30)  # DST began 8 March
    assert NY.planned(date(2026, 11, 2), utc(2026, 1, 1)) == utc(2026, 11, 2, 14, 30)  # and ended 1 November


def test_past_due_goes_now_unless_quiet() -> None:
    assert NY.planned(date(2026, 1, 1), utc(2026, 2, 1, 18)) == utc(2026, 2, 1, 18)  # 13:00 local: now
    assert NY.planned(date(2026, 1, 1), utc(2026, 2, 2, 3)) == utc(2026, 2, 2, 14, 30)  # 22:00 local: next 09:30


@pytest.mark.parametrize(
    ("hour", "minute", "quiet"),
    [(20, 59, False), (21, 0, True), (23, 0, True), (0, 0, True), (9, 29, True), (9, 30, False)],
)
def test_quiet_window_wraps_past_midnight(hour: int, minute: int, quiet: bool) -> None:
    instant = datetime(2026, 1, 15, hour, minute, tzinfo=NY.zone).astimezone(UTC)
    assert NY.is_quiet(instant) is quiet


def test_same_day_window_and_no_window() -> None:
    lunch = DeliveryWindow.of("Europe/Berlin", "12:00", "14:00")
    assert lunch.after_quiet(utc(2026, 1, 5, 11, 30)) == utc(2026, 1, 5, 13)  # 12:30 CET -> 14:00 CET
    assert lunch.after_quiet(utc(2026, 1, 5, 14)) == utc(2026, 1, 5, 14)
    always = DeliveryWindow.of("Asia/Tokyo", None, None)
    assert always.planned(date(2026, 1, 5), utc(2025, 1, 1)) == utc(2026, 1, 5, 0)  # 09:00 JST


def test_a_quiet_end_skipped_by_spring_forward() -> None:
    odd = DeliveryWindow.of("America/New_York", "01:00", "02:30")  # 02:30 does not exist on 8 March 2026
    inside = datetime(2026, 3, 8, 1, 30, tzinfo=odd.zone).astimezone(UTC)
    end = odd.after_quiet(inside)
    assert end > inside and not odd.is_quiet(end)
    assert end.astimezone(odd.zone).hour == 3  # the wall time after the jump


def test_local_today_and_midnight() -> None:
    assert NY.today(utc(2026, 1, 5, 3)) == date(2026, 1, 4)
    assert NY.next_local_midnight(date(2026, 7, 1)) == utc(2026, 7, 1, 4)


def test_the_users_send_time_replaces_nine_and_quiet_hours_still_win() -> None:
    evening = DeliveryWindow.of("America/New_York", None, None, "18:30")
    assert evening.planned(date(2026, 3, 6), utc(2026, 1, 1)) == utc(2026, 3, 6, 23, 30)  # 18:30 EST
    assert evening.planned(date(2026, 7, 6), utc(2026, 1, 1)) == utc(2026, 7, 6, 22, 30)  # 18:30 EDT
    inside = DeliveryWindow.of("America/New_York", "18:00", "07:00", "18:30")
    assert inside.planned(date(2026, 3, 6), utc(2026, 1, 1)) == utc(2026, 3, 7, 12)  # next morning, 07:00 EST
    assert DeliveryWindow.of("UTC", None, None).send_time.hour == 9  # the default
