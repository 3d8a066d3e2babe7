"""A deployment's own templates: uploaded per kind and unit, checked, versioned, used by
the unit and those below it, previewed and rolled back; every refusal saves nothing."""

import io
import zipfile

import pytest

from xinfang.audit.models import AuditEntry
from xinfang.documents.kinds import DocKind
from xinfang.documents.models import Template
from xinfang.documents.services import activate_template, active_template, preview, render, upload_template, use_default
from xinfang.lib.errors import Invalid, NotAllowed, halves
from xinfang.org.models import User

from .conftest import text_of

pytestmark = pytest.mark.django_db
K = DocKind
LETTERHEAD = ("安宁县信访局（红头）", "{{ doc_number }}", "{{ petitioner_name }}：您的事项已受理，期限{{ handle_due_cn }}。", "{{ issue_date_cn }}")


@pytest.fixture
def root(units):
    return User.objects.create_superuser("root", password="x", unit=units["bureau"])


def test_an_administrator_uploads_a_letterhead_that_the_unit_and_units_below_it_then_use(people, units, upload):
    template = upload_template(K.ACCEPT_NOTICE, upload(*LETTERHEAD), unit=units["county"], actor=people["guanli"], note="县政府红头")
    assert (template.version, template.is_active, template.unit) == (1, True, units["county"])
    assert "petitioner_name" in template.placeholders and "handle_due_cn" in template.placeholders
    assert active_template(K.ACCEPT_NOTICE, units["chengguan"]) == template  # below the county
    assert active_template(K.ACCEPT_NOTICE, units["city"]) is None  # above it: the shipped default
    text = text_of(render(K.ACCEPT_NOTICE, {"petitioner_name": "刘某", "doc_number": "X〔2026〕1号"}, unit=units["bureau"]))
    assert text.startswith("安宁县信访局（红头）\nX〔2026〕1号\n刘某：您的事项已受理")
    assert AuditEntry.objects.filter(action="document.template_upload", object_id=str(template.pk)).exists()


def test_the_nearest_unit_up_the_tree_wins_over_the_deployment(people, units, upload, root):
    deployment = upload_template(K.ACCEPT_NOTICE, upload("全系统模板"), unit=None, actor=root)
    county = upload_template(K.ACCEPT_NOTICE, upload("县模板"), unit=units["county"], actor=people["guanli"])
    assert active_template(K.ACCEPT_NOTICE, units["chengguan"]) == county
    assert active_template(K.ACCEPT_NOTICE, units["city"]) == deployment
    assert active_template(K.DECLINE_NOTICE, units["chengguan"]) is None  # other kinds keep the default


def test_a_second_upload_is_version_two_and_rolling_back_makes_the_first_active_again(people, units, upload):
    first = upload_template(K.ACCEPT_NOTICE, upload("第一版 {{ petitioner_name }}"), unit=units["county"], actor=people["guanli"])
    second = upload_template(K.ACCEPT_NOTICE, upload("第二版 {{ petitioner_name }}"), unit=units["county"], actor=people["guanli"])
    first.refresh_from_db()
    assert second.version == 2 and second.is_active and not first.is_active
    assert text_of(render(K.ACCEPT_NOTICE, {"petitioner_name": "刘某"}, unit=units["county"])) == "第二版 刘某"

    activate_template(first, people["guanli"])
    second.refresh_from_db()
    assert not second.is_active and Template.objects.get(pk=first.pk).is_active
    assert text_of(render(K.ACCEPT_NOTICE, {"petitioner_name": "刘某"}, unit=units["county"])) == "第一版 刘某"
    assert Template.objects.filter(kind=K.ACCEPT_NOTICE).count() == 2  # nothing deleted
    assert AuditEntry.objects.filter(action="document.template_activate", object_id=str(first.pk)).exists()


def test_going_back_to_the_default_keeps_the_versions(people, units, upload):
    upload_template(K.ACCEPT_NOTICE, upload("县模板"), unit=units["county"], actor=people["guanli"])
    use_default(K.ACCEPT_NOTICE, unit=units["county"], actor=people["guanli"])
    assert active_template(K.ACCEPT_NOTICE, units["county"]) is None
    assert Template.objects.filter(kind=K.ACCEPT_NOTICE).count() == 1


def test_preview_fills_a_template_with_the_sample_case(people, units, upload):
    template = upload_template(K.DECLINE_NOTICE, upload("{{ petitioner_name }}：{{ proper_channel }}"), unit=units["county"],
                               actor=people["guanli"])
    assert text_of(preview(K.DECLINE_NOTICE, template)) == "刘某某：向安宁县人民法院提起诉讼"
    assert "不予受理告知书" in text_of(preview(K.DECLINE_NOTICE))  # the shipped default


def _refused(kind, file, *, unit, actor, code):
    before = Template.objects.count()
    with pytest.raises((Invalid, NotAllowed)) as caught:
        upload_template(kind, file, unit=unit, actor=actor)
    assert caught.value.code == code
    assert all(halves(caught.value.message))  # Chinese, then English
    assert Template.objects.count() == before
    return caught.value


def test_a_file_that_is_not_a_docx_is_refused_whatever_its_name(people, units, upload):
    error = _refused(K.ACCEPT_NOTICE, upload(name="模板.docx", body=b"%PDF-1.4 not a word file"), unit=units["county"],
                     actor=people["guanli"], code="not_docx")
    assert "Word" in error.message and "file" in error.fields
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("content.xml", "<x/>")  # an OpenDocument-like zip: no word/document.xml
    _refused(K.ACCEPT_NOTICE, upload(name="模板.docx", body=zipped.getvalue()), unit=units["county"], actor=people["guanli"],
             code="not_docx")


def test_a_template_larger_than_the_limit_is_refused(people, units, upload, settings):
    settings.DOCUMENT_TEMPLATE_MAX_BYTES = 1000
    error = _refused(K.ACCEPT_NOTICE, upload(*LETTERHEAD), unit=units["county"], actor=people["guanli"], code="too_large")
    assert "大小限制" in error.message


def test_broken_jinja_syntax_is_refused_with_the_message(people, units, upload):
    error = _refused(K.ACCEPT_NOTICE, upload("{{ petitioner_name }", "{% if x %}没有结束"), unit=units["county"],
                     actor=people["guanli"], code="template_syntax")
    assert "模板语法错误" in error.message and "行" in error.fields["file"]


def test_an_unknown_placeholder_is_refused_with_the_list_of_those_allowed(people, units, upload):
    error = _refused(K.ACCEPT_NOTICE, upload("{{ petitioner_name }}", "{{ id_number }}{{ boss_phone }}"), unit=units["county"],
                     actor=people["guanli"], code="unknown_placeholders")
    assert "boss_phone" in error.fields["file"] and "id_number" in error.fields["file"]
    assert "petitioner_name：信访人姓名" in error.fields["allowed"] and "handle_due_cn" in error.fields["allowed"]
    assert "proper_channel" not in error.fields["allowed"]  # a field of another kind


def test_a_template_reaching_into_python_is_refused(people, units, upload):
    _refused(K.ACCEPT_NOTICE, upload("{{ petitioner_name.__class__.__mro__ }}"), unit=units["county"], actor=people["guanli"],
             code="template_error")


def test_an_unknown_kind_is_refused(people, units, upload):
    _refused("poster", upload(*LETTERHEAD), unit=units["county"], actor=people["guanli"], code="unknown_kind")


def test_a_unit_administrator_may_not_upload_outside_their_scope_nor_for_the_deployment(people, units, upload):
    _refused(K.ACCEPT_NOTICE, upload(*LETTERHEAD), unit=units["city"], actor=people["guanli"], code="not_allowed")
    _refused(K.ACCEPT_NOTICE, upload(*LETTERHEAD), unit=None, actor=people["guanli"], code="not_allowed")


def test_staff_without_the_administrator_role_may_not_upload(people, units, upload):
    _refused(K.ACCEPT_NOTICE, upload(*LETTERHEAD), unit=units["bureau"], actor=people["fuzeren"], code="not_allowed")


def test_a_superuser_uploads_for_the_deployment_and_a_unit_administrator_may_not_roll_it_back(people, units, upload, root):
    template = upload_template(K.ACCEPT_NOTICE, upload(*LETTERHEAD), unit=None, actor=root)
    with pytest.raises(NotAllowed):
        activate_template(template, people["guanli"])
    with pytest.raises(NotAllowed):
        use_default(K.ACCEPT_NOTICE, unit=None, actor=people["guanli"])
    template.refresh_from_db()
    assert template.is_active
