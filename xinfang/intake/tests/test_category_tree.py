"""Registration reads categories from a per-process copy of the tree
(intake/categories.py); a category added elsewhere must still be usable at once."""

import pytest

from xinfang.cases.models import Case
from xinfang.intake.categories import tree
from xinfang.intake.models import Category
from xinfang.intake.services import PetitionIn, register
from xinfang.lib.errors import Invalid

pytestmark = pytest.mark.django_db


def letter(units, category):
    return PetitionIn(channel="letter", receiving_unit=units["bureau"], title="路灯不亮", content="小区路灯坏了半年。",
                      kind="grievance", category=category)


def test_a_category_added_by_another_process_is_usable_in_the_next_registration(people, units):
    tree.active()  # this process has read the tree
    parent = Category.objects.get(code="05")
    # bulk_create sends no signal: as if another server process had added it.
    Category.objects.bulk_create([Category(code="0599", name="路灯照明", parent=parent)])
    petition, case = register(actor=people["dengji"], data=letter(units, "0599"))
    assert case.category.code == "0599" and case.category.parent_id == parent.pk
    petition, case = register(actor=people["dengji"], data=letter(units, "路灯照明"))  # by name too
    assert case.category.code == "0599"


def test_a_category_switched_off_here_is_refused_at_once_and_nothing_is_written(people, units):
    category = Category.objects.get(code="0501")
    assert tree.find("0501") == category
    category.is_active = False
    category.save()
    with pytest.raises(Invalid) as err:
        register(actor=people["dengji"], data=letter(units, "0501"))
    assert "category" in err.value.fields and "不存在" in err.value.fields["category"]
    assert not Case.objects.exists()
