"""The demo loads on every day of the year: holidays (National Day, New Year, the Spring
Festival) and year ends move every planned step to a working morning, and a step that
needs another story's case (a merged copy needs its original) must still come after it."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from xinfang.cases.choices import Status
from xinfang.cases.models import Case
from xinfang.demo.people import build
from xinfang.demo.story import Planner
from xinfang.intake.models import Petition

# Around the holidays and year ends; 2026-12-03 is the day a merge once came first.
DAYS = ["2026-10-03", "2026-12-03", "2027-01-01", "2027-02-10", "2026-06-30"]
SEEDS = [2, 3, 7]


def at(day, hour):
    return timezone.make_aware(dt.datetime.fromisoformat(day) + dt.timedelta(hours=hour))


def misplaced(stories, now):
    """Steps planned in the future, out of their story's order, or before a step they need."""
    wrong = []
    for story in stories:
        for step in story.steps:
            if step.at > now:
                wrong.append((story.index, step.action, "in the future"))
            if step.after is not None and step.at <= step.after.at:
                wrong.append((story.index, step.action, "before the step it needs"))
        for first, then in zip(story.steps, story.steps[1:]):
            if then.at <= first.at and then.action != "repeat":
                wrong.append((story.index, then.action, f"before {first.action}"))
    return wrong


@pytest.mark.django_db
@pytest.mark.parametrize("day", DAYS)
def test_every_planned_step_comes_after_what_it_needs(day):
    units, _ = build()
    for seed in SEEDS:
        for hour in (10, 19):
            with time_machine.travel(at(day, hour), tick=False):
                now = timezone.now()
                stories = Planner(units=units, seed=seed, now=now).plan(300)
            assert misplaced(stories, now) == [], (day, hour, seed)
            merges = [s for s in stories if s.target == Status.MERGED]
            assert merges and all(step.after is not None for s in merges for step in s.steps if step.action == "merge")


@pytest.mark.django_db
@pytest.mark.parametrize("day, seed", [(day, SEEDS[i % len(SEEDS)]) for i, day in enumerate(DAYS)])
def test_the_small_demo_loads(day, seed):
    with time_machine.travel(at(day, 19), tick=False):
        call_command("load_demo", cases=40, seed=seed, stdout=io.StringIO())
        assert Case.objects.count() == 40
        assert Case.objects.filter(status=Status.MERGED).exists()
        for repeat in Petition.objects.filter(is_repeat=True).select_related("case"):
            first = repeat.case.petitions.order_by("received_at", "id").first()
            assert first != repeat
