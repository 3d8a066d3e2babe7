import pytest
from django.core.exceptions import ValidationError

from xinfang.org.models import Unit


def test_a_unit_path_lists_its_ancestors(units):
    village = units["dongjie"]
    assert village.path == f"/{units['city'].pk}/{units['county'].pk}/{units['chengguan'].pk}/{village.pk}/"
    assert set(Unit.objects.subtree(units["chengguan"])) == {units["chengguan"], units["chengguan_office"], units["dongjie"], units["xijie"]}


def test_moving_a_township_moves_its_villages_with_it(units):
    township = units["hekou"]
    township.parent = units["city"]
    township.save()
    for key in ("dukou", "xinhe", "hekou_office"):
        moved = Unit.objects.get(pk=units[key].pk)
        assert moved.path.startswith(f"/{units['city'].pk}/{township.pk}/")
    assert not Unit.objects.subtree(units["county"]).filter(pk=units["dukou"].pk).exists()


def test_a_unit_cannot_be_placed_below_itself(units):
    county = units["county"]
    county.parent = units["chengguan"]
    with pytest.raises(ValidationError):
        county.full_clean()


def test_reviews_go_to_the_nearest_government_above(units):
    assert units["housing"].review_unit == units["county"]
    assert units["bureau"].review_unit == units["county"]
    assert units["chengguan"].review_unit == units["county"]
    assert units["county"].review_unit == units["city"]
    assert units["city"].review_unit is None


def test_a_petition_office_sees_and_acts_for_its_government(units):
    assert units["bureau"].scope_root == units["county"]
    assert units["bureau"].acts_for == {units["bureau"].pk, units["county"].pk}
    assert units["housing"].scope_root == units["housing"]
    assert units["housing"].acts_for == {units["housing"].pk}


def test_roles_come_from_groups(people):
    assert people["fuzeren"].has_role("head") and not people["fuzeren"].has_role("registrar")
    assert sorted(people["qs_fuzeren"].role_labels) == sorted(["承办人", "单位负责人", "登记员"])
