"""period_end against the real schedule in chinese_calendar 1.11 (2004-2026).

Facts used, checked against the package:
* 2025 National Day + Mid-Autumn: holidays 2025-10-01..10-08; make-up working days
  Sun 2025-09-28 and Sat 2025-10-11.
* 2026 Spring Festival: holidays 2026-02-15..02-23; make-up working days Sat 2026-02-14
  and Sat 2026-02-28.
* 2027 is not in the package.
"""

from datetime import date

import pytest

from xinfang.calendar.periods import DayTable, PeriodEnd, period_end


def test_fifteen_days_ending_in_national_day_moves_to_the_first_working_day_after():
    result = period_end(date(2025, 9, 20), 15)
    assert result == PeriodEnd(date=date(2025, 10, 9), warnings=(), rolled_from=date(2025, 10, 5))


def test_a_period_ending_on_an_ordinary_weekday_stays_there():
    result = period_end(date(2025, 3, 3), 15)  # 2025-03-18 is a Tuesday
    assert result == PeriodEnd(date=date(2025, 3, 18), warnings=(), rolled_from=None)


def test_a_period_ending_on_an_ordinary_saturday_moves_to_monday():
    result = period_end(date(2025, 3, 7), 15)  # 2025-03-22 is a Saturday
    assert result.date == date(2025, 3, 24)
    assert result.rolled_from == date(2025, 3, 22)


def test_a_period_ending_on_a_make_up_working_sunday_stays_there():
    result = period_end(date(2025, 9, 13), 15)  # Sun 2025-09-28, 调休上班日
    assert result.date == date(2025, 9, 28)
    assert result.rolled_from is None


def test_a_period_ending_on_a_make_up_working_saturday_stays_there():
    result = period_end(date(2025, 9, 26), 15)  # Sat 2025-10-11, 调休上班日
    assert result.date == date(2025, 10, 11)
    assert result.rolled_from is None


def test_a_period_ending_inside_spring_festival_2026_moves_to_the_first_working_day_after():
    result = period_end(date(2026, 2, 5), 15)  # nominal Fri 2026-02-20
    assert result.date == date(2026, 2, 24)
    assert result.rolled_from == date(2026, 2, 20)
    assert result.warnings == ()


def test_a_period_ending_on_the_saturday_before_spring_festival_2026_stays_there():
    result = period_end(date(2026, 1, 30), 15)  # Sat 2026-02-14, 调休上班日
    assert result.date == date(2026, 2, 14)


def test_five_working_days_after_the_friday_before_national_day_skip_the_holiday():
    # Fri 2025-09-26; then Sun 09-28 (make-up), Mon 09-29, Tue 09-30, Thu 10-09, Fri 10-10.
    result = period_end(date(2025, 9, 26), 5, working_days=True)
    assert result == PeriodEnd(date=date(2025, 10, 10), warnings=(), rolled_from=None)


def test_working_days_do_not_count_the_start_day_even_when_it_is_a_working_day():
    result = period_end(date(2025, 3, 3), 1, working_days=True)  # Monday
    assert result.date == date(2025, 3, 4)


def test_a_zero_day_period_ends_on_its_start_day():
    assert period_end(date(2025, 3, 4), 0) == PeriodEnd(date=date(2025, 3, 4))


def test_a_zero_day_period_starting_on_a_holiday_ends_on_the_next_working_day():
    result = period_end(date(2025, 10, 1), 0)
    assert result.date == date(2025, 10, 9)
    assert result.rolled_from == date(2025, 10, 1)
    assert period_end(date(2025, 10, 1), 0, working_days=True).date == date(2025, 10, 9)


def test_a_negative_period_is_refused():
    with pytest.raises(ValueError):
        period_end(date(2025, 3, 4), -1)
    with pytest.raises(ValueError):
        period_end(date(2025, 3, 4), -1, working_days=True)


def test_a_datetime_start_is_refused_because_its_local_day_is_ambiguous():
    from datetime import datetime

    with pytest.raises(TypeError):
        period_end(datetime(2025, 3, 4, 10, 0), 15)


def test_a_period_running_into_2027_warns_once_and_assumes_weekends_only():
    # Nominal Sat 2027-01-02: the weekend fallback moves it to Mon 2027-01-04.
    result = period_end(date(2026, 12, 18), 15)
    assert result.date == date(2027, 1, 4)
    assert result.rolled_from == date(2027, 1, 2)
    assert len(result.warnings) == 1
    assert "2027年的法定节假日安排尚未录入" in result.warnings[0]
    assert "No official holiday schedule for 2027 yet" in result.warnings[0]


def test_without_a_2027_schedule_new_years_day_2027_counts_as_an_ordinary_friday():
    result = period_end(date(2026, 12, 17), 15)
    assert result.date == date(2027, 1, 1)
    assert result.warnings and "2027" in result.warnings[0]


def test_a_complete_admin_table_for_2027_removes_the_warning_and_moves_the_date():
    table = DayTable(holidays=frozenset({date(2027, 1, 1)}), workdays=frozenset(), complete_years=frozenset({2027}))
    result = period_end(date(2026, 12, 17), 15, table=table)
    assert result == PeriodEnd(date=date(2027, 1, 4), warnings=(), rolled_from=date(2027, 1, 1))


def test_an_incomplete_admin_table_still_moves_the_date_but_keeps_the_warning():
    table = DayTable(holidays=frozenset({date(2027, 1, 1)}), workdays=frozenset(), complete_years=frozenset())
    result = period_end(date(2026, 12, 17), 15, table=table)
    assert result.date == date(2027, 1, 4)
    assert len(result.warnings) == 1


def test_a_period_spanning_two_uncovered_years_warns_for_each_year_once():
    result = period_end(date(2027, 12, 1), 60)
    assert result.date.year == 2028
    assert [w[:4] for w in result.warnings] == ["2027", "2028"]


def test_the_admin_table_wins_over_the_package_when_it_makes_a_holiday_a_working_day():
    # 2025-10-08 is a package holiday; the administrator says it is a working day.
    table = DayTable(holidays=frozenset(), workdays=frozenset({date(2025, 10, 8)}), complete_years=frozenset())
    assert period_end(date(2025, 9, 23), 15).date == date(2025, 10, 9)
    result = period_end(date(2025, 9, 23), 15, table=table)
    assert result == PeriodEnd(date=date(2025, 10, 8), warnings=(), rolled_from=None)


def test_the_admin_table_wins_over_the_package_when_it_adds_a_holiday():
    table = DayTable(holidays=frozenset({date(2025, 3, 18)}), workdays=frozenset(), complete_years=frozenset())
    assert period_end(date(2025, 3, 3), 15, table=table).date == date(2025, 3, 19)


def test_a_day_marked_both_holiday_and_workday_is_a_data_error():
    with pytest.raises(ValueError):
        DayTable(holidays=frozenset({date(2027, 1, 1)}), workdays=frozenset({date(2027, 1, 1)}), complete_years=frozenset())


# What mutation testing found unheld (docs/mutation.md): the table keeps frozensets
# whatever it is given, and each refusal says what was wrong.


def test_a_table_given_lists_and_sets_keeps_frozensets_and_can_be_hashed():
    table = DayTable(holidays=[date(2027, 1, 1)], workdays={date(2027, 2, 6)}, complete_years=[2027])
    assert type(table.holidays) is frozenset and table.holidays == frozenset({date(2027, 1, 1)})
    assert type(table.workdays) is frozenset and table.workdays == frozenset({date(2027, 2, 6)})
    assert type(table.complete_years) is frozenset and table.complete_years == frozenset({2027})
    assert hash(table) == hash(DayTable(holidays={date(2027, 1, 1)}, workdays=[date(2027, 2, 6)], complete_years={2027}))


def test_the_clash_names_every_day_marked_twice_in_order():
    days = [date(2027, 1, 2), date(2027, 1, 1)]
    with pytest.raises(ValueError, match=r"^days marked both holiday and workday: 2027-01-01, 2027-01-02$"):
        DayTable(holidays=days, workdays=days)


@pytest.mark.parametrize("days, name", [(15.0, "float"), ("15", "str"), (True, "bool"), (None, "NoneType")])
def test_a_day_count_that_is_not_an_int_is_refused_by_its_type(days, name):
    with pytest.raises(TypeError, match=rf"^days must be an int, got {name}$"):
        period_end(date(2025, 3, 4), days)


def test_the_refusals_say_what_they_got():
    from datetime import datetime

    with pytest.raises(ValueError, match=r"^days must be >= 0, got -1$"):
        period_end(date(2025, 3, 4), -1)
    with pytest.raises(TypeError, match=r"^expected a datetime.date, got datetime$"):
        period_end(datetime(2025, 3, 4, 10, 0), 15)
    with pytest.raises(TypeError, match=r"^expected a datetime.date, got str$"):
        period_end("2025-03-04", 15)
