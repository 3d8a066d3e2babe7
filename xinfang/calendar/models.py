from django.db import models


class OfficialDay(models.Model):
    """One day of the State Council's holiday schedule, entered by an administrator.

    A holiday (法定节假日) is a day off even on a weekday; a make-up working day (调休上班日)
    is a working day even on a weekend. Entries override the ``chinese_calendar`` package,
    which is how a new year's schedule or a correction reaches the deadline arithmetic.
    Ordinary weekends need no entry.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "法定节假日"
        WORKDAY = "workday", "调休上班日"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    name = models.CharField("节日名称", max_length=50, blank=True, help_text="例如：春节、国庆节")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "法定节假日与调休日"
        verbose_name_plural = "法定节假日与调休日"
        ordering = ["date"]

    def __str__(self):
        label = f"{self.date.isoformat()} {self.get_kind_display()}"
        return f"{label}（{self.name}）" if self.name else label


class CalendarYear(models.Model):
    """A year whose full holiday schedule the administrator has entered.

    While a year is marked complete, its official days come from ``OfficialDay`` alone
    (plus ordinary weekends) and deadlines falling in it carry no "schedule missing"
    warning. Untick ``complete`` while a year is only partly entered.
    """

    year = models.PositiveSmallIntegerField("年份", unique=True)
    complete = models.BooleanField(
        "已完整录入", default=True, help_text="勾选表示该年全部法定节假日和调休上班日均已录入"
    )
    note = models.CharField("备注", max_length=200, blank=True, help_text="例如：国务院办公厅通知文号")

    class Meta:
        verbose_name = "节假日安排年度"
        verbose_name_plural = "节假日安排年度"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年"
