"""is_working_day, next_working_day, working_days_between and year_covered."""

from datetime import date

from xinfang.calendar.periods import DayTable, is_working_day, next_working_day, working_days_between, year_covered


def test_package_holidays_and_make_up_days_decide_working_days():
    assert not is_working_day(date(2025, 10, 1))  # National Day
    assert is_working_day(date(2025, 9, 28))  # Sunday, 调休上班日
    assert not is_working_day(date(2026, 2, 23))  # last day of Spring Festival 2026
    assert is_working_day(date(2026, 2, 24))


def test_years_outside_the_package_fall_back_to_weekends():
    assert is_working_day(date(2027, 1, 1))  # Friday, no schedule known
    assert not is_working_day(date(2027, 1, 2))
    assert is_working_day(date(2003, 12, 31))


def test_a_complete_admin_year_ignores_the_package():
    # 2025 marked complete with no entries: National Day becomes an ordinary Wednesday.
    table = DayTable(holidays=frozenset(), workdays=frozenset(), complete_years=frozenset({2025}))
    assert is_working_day(date(2025, 10, 1), table)
    assert not is_working_day(date(2025, 9, 28), table)


def test_year_covered_by_package_or_by_a_complete_admin_year():
    assert year_covered(2004) and year_covered(2026)
    assert not year_covered(2003) and not year_covered(2027)
    assert year_covered(2027, DayTable(holidays=frozenset(), workdays=frozenset(), complete_years=frozenset({2027})))
    assert not year_covered(2027, DayTable.empty())


def test_next_working_day_is_the_day_itself_when_it_is_working():
    assert next_working_day(date(2025, 9, 30)) == date(2025, 9, 30)
    assert next_working_day(date(2025, 10, 1)) == date(2025, 10, 9)


def test_working_days_between_excludes_the_start_and_includes_the_end():
    # After Fri 2025-09-26: Sun 09-28, Mon 09-29, Tue 09-30, then holiday until Thu 10-09.
    assert working_days_between(date(2025, 9, 26), date(2025, 10, 9)) == 4
    assert working_days_between(date(2025, 9, 26), date(2025, 9, 26)) == 0
    assert working_days_between(date(2025, 9, 30), date(2025, 9, 26)) == 0


def test_an_objection_on_the_fifth_working_day_is_in_time_and_on_the_sixth_is_late():
    assigned = date(2025, 9, 26)
    assert working_days_between(assigned, date(2025, 10, 10)) == 5
    assert working_days_between(assigned, date(2025, 10, 11)) == 6  # Sat 10-11 is 调休上班日
