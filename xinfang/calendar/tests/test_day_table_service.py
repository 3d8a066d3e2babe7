"""The admin table in the database reaches period_end_for at once."""

from datetime import date

import pytest

from xinfang.calendar import services
from xinfang.calendar.models import CalendarYear, OfficialDay


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The cache outlives the test transaction's rollback, so a table cached by one test
    # would leak into the next without this.
    services.invalidate()
    yield
    services.invalidate()


@pytest.mark.django_db
def test_entering_a_2027_holiday_changes_the_deadline_immediately():
    before = services.period_end_for(date(2026, 12, 17), 15)
    assert before.date == date(2027, 1, 1)
    assert before.warnings

    OfficialDay.objects.create(date=date(2027, 1, 1), kind=OfficialDay.Kind.HOLIDAY, name="元旦")
    after = services.period_end_for(date(2026, 12, 17), 15)
    assert after.date == date(2027, 1, 4)
    assert after.rolled_from == date(2027, 1, 1)
    assert after.warnings  # 2027 not yet marked complete


@pytest.mark.django_db
def test_marking_the_year_complete_removes_the_warning_and_unmarking_restores_it():
    OfficialDay.objects.create(date=date(2027, 1, 1), kind=OfficialDay.Kind.HOLIDAY, name="元旦")
    services.period_end_for(date(2026, 12, 17), 15)  # fill the cache

    year = CalendarYear.objects.create(year=2027, note="国办发明电〔2026〕")
    assert services.period_end_for(date(2026, 12, 17), 15).warnings == ()

    year.complete = False
    year.save()
    assert services.period_end_for(date(2026, 12, 17), 15).warnings


@pytest.mark.django_db
def test_a_make_up_working_day_overrides_a_package_holiday_and_deleting_it_restores_the_package():
    assert services.period_end_for(date(2025, 9, 23), 15).date == date(2025, 10, 9)

    day = OfficialDay.objects.create(date=date(2025, 10, 8), kind=OfficialDay.Kind.WORKDAY)
    assert services.period_end_for(date(2025, 9, 23), 15).date == date(2025, 10, 8)

    day.delete()
    assert services.period_end_for(date(2025, 9, 23), 15).date == date(2025, 10, 9)


@pytest.mark.django_db
def test_working_day_periods_use_the_admin_table_too():
    # 5 working days after Fri 2025-09-26 end on Fri 2025-10-10; a holiday on 10-09 pushes it.
    assert services.period_end_for(date(2025, 9, 26), 5, working_days=True).date == date(2025, 10, 10)
    OfficialDay.objects.create(date=date(2025, 10, 9), kind=OfficialDay.Kind.HOLIDAY)
    assert services.period_end_for(date(2025, 9, 26), 5, working_days=True).date == date(2025, 10, 11)


@pytest.mark.django_db
def test_the_table_is_cached_between_calls(django_assert_num_queries):
    services.current_table()
    with django_assert_num_queries(0):
        services.current_table()
