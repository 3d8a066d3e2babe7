"""A fictional county, used by the demo data and by the tests, so that both speak of
the same units and people."""

from django.contrib.auth.models import Group

from .choices import Level, Role, UnitKind
from .models import Unit, User
from .services import sync_role_permissions

L, K = Level, UnitKind

# key, code, name, parent key, level, kind
UNITS = [
    ("city", "341100", "江州市人民政府", None, L.CITY, K.GOVERNMENT),
    ("city_office", "341100-XFJ", "江州市信访局", "city", L.CITY, K.PETITION_OFFICE),
    ("county", "341122", "安宁县人民政府", "city", L.COUNTY, K.GOVERNMENT),
    ("bureau", "341122-XFJ", "安宁县信访局", "county", L.COUNTY, K.PETITION_OFFICE),
    ("land", "341122-ZRZY", "安宁县自然资源局", "county", L.COUNTY, K.DEPARTMENT),
    ("housing", "341122-ZJJ", "安宁县住房和城乡建设局", "county", L.COUNTY, K.DEPARTMENT),
    ("labour", "341122-RSJ", "安宁县人力资源和社会保障局", "county", L.COUNTY, K.DEPARTMENT),
    ("environment", "341122-HBJ", "安宁县生态环境分局", "county", L.COUNTY, K.DEPARTMENT),
    ("education", "341122-JYJ", "安宁县教育局", "county", L.COUNTY, K.DEPARTMENT),
    ("police", "341122-GAJ", "安宁县公安局", "county", L.COUNTY, K.DEPARTMENT),
    ("court", "341122-FY", "安宁县人民法院", "county", L.COUNTY, K.COURT),
    ("congress", "341122-RD", "安宁县人大常委会信访室", "county", L.COUNTY, K.CONGRESS),
    ("discipline", "341122-JW", "安宁县纪委监委", "county", L.COUNTY, K.DISCIPLINE),
    ("chengguan", "341122100", "城关镇人民政府", "county", L.TOWNSHIP, K.GOVERNMENT),
    ("chengguan_office", "341122100-XF", "城关镇信访办", "chengguan", L.TOWNSHIP, K.PETITION_OFFICE),
    ("dongjie", "341122100001", "东街社区", "chengguan", L.VILLAGE, K.COMMUNITY),
    ("xijie", "341122100002", "西街社区", "chengguan", L.VILLAGE, K.COMMUNITY),
    ("qingshan", "341122200", "青山乡人民政府", "county", L.TOWNSHIP, K.GOVERNMENT),
    ("qingshan_office", "341122200-XF", "青山乡信访办", "qingshan", L.TOWNSHIP, K.PETITION_OFFICE),
    ("qingshan_discipline", "341122200-JW", "青山乡纪委", "qingshan", L.TOWNSHIP, K.DISCIPLINE),
    ("shanxia", "341122200201", "山下村", "qingshan", L.VILLAGE, K.COMMUNITY),
    ("zhuling", "341122200202", "竹岭村", "qingshan", L.VILLAGE, K.COMMUNITY),
    ("hekou", "341122300", "河口镇人民政府", "county", L.TOWNSHIP, K.GOVERNMENT),
    ("hekou_office", "341122300-XF", "河口镇信访办", "hekou", L.TOWNSHIP, K.PETITION_OFFICE),
    ("dukou", "341122300201", "渡口村", "hekou", L.VILLAGE, K.COMMUNITY),
    ("xinhe", "341122300202", "新河村", "hekou", L.VILLAGE, K.COMMUNITY),
]

# username, display name, unit key, roles
PEOPLE = [
    ("dengji", "王登记", "bureau", [Role.REGISTRAR]),
    ("chengban", "李承办", "bureau", [Role.HANDLER]),
    ("fuzeren", "张局长", "bureau", [Role.HEAD]),
    ("lingdao", "赵县长", "county", [Role.LEADER]),
    ("ducha", "钱督查", "bureau", [Role.SUPERVISOR]),
    ("tongji", "孙统计", "bureau", [Role.STATISTICIAN]),
    ("guanli", "周管理", "bureau", [Role.ADMIN]),
    ("shenji", "吕审计", "bureau", [Role.AUDITOR]),
    ("cg_dengji", "吴登记", "chengguan_office", [Role.REGISTRAR]),
    ("cg_chengban", "郑承办", "chengguan", [Role.HANDLER]),
    ("cg_fuzeren", "陈镇长", "chengguan", [Role.HEAD]),
    ("qs_fuzeren", "冯乡长", "qingshan", [Role.HEAD, Role.REGISTRAR, Role.HANDLER]),
    ("zj_fuzeren", "褚局长", "housing", [Role.HEAD, Role.HANDLER]),
    ("city_fuzeren", "卫主任", "city_office", [Role.HEAD, Role.REGISTRAR]),
    ("jw_fuzeren", "蒋书记", "discipline", [Role.HEAD, Role.HANDLER]),
]


def build_units():
    """Create (or find) the sample units; returns {key: Unit}."""
    units = {}
    for i, (key, code, name, parent, level, kind) in enumerate(UNITS):
        unit, _ = Unit.objects.get_or_create(
            code=code,
            defaults={"name": name, "parent": units.get(parent), "level": level, "kind": kind,
                      "region_code": code[:6], "sort_order": i},
        )
        units[key] = unit
    return units


def make_user(username, unit, roles, *, password, display_name="", **extra):
    user, created = User.objects.get_or_create(username=username, defaults={"unit": unit, "display_name": display_name, **extra})
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
        # get_or_create: transactional tests flush the groups the migration created.
        user.groups.set([Group.objects.get_or_create(name=str(r))[0] for r in roles])
    return user


def build_people(units, *, password):
    return {u: make_user(u, units[key], roles, password=password, display_name=name) for u, name, key, roles in PEOPLE}


def ensure_reference_data():
    """Roles and the default category tree, as the migrations create them. Tests that
    flush the database (transactional ones, the browser walk) remove them; this puts
    them back."""
    import importlib

    from django.apps import apps

    if Group.objects.filter(name__in=Role.values).count() < len(Role.values):
        Group.objects.bulk_create([Group(name=r) for r in Role.values], ignore_conflicts=True)
        sync_role_permissions()
    Category = apps.get_model("intake", "Category")
    if not Category.objects.exists():
        importlib.import_module("xinfang.intake.migrations.0003_default_categories").seed(apps, None)
