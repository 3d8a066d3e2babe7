"""The staff of the demo: the sample people of xinfang.org.sample, plus one head for each
department or township that the sample leaves without staff, so that every unit a
demo case is routed to has someone who can answer it."""

from xinfang.org.choices import Role
from xinfang.org.sample import build_people, build_units, make_user

DEMO_PASSWORD = "Demo-2026-xf"

R = Role
# username, display name, unit key, roles: demo-only, next to org.sample.PEOPLE.
EXTRA_PEOPLE = [
    ("zr_fuzeren", "蒋局长", "land", [R.HEAD, R.HANDLER]),
    ("rs_fuzeren", "沈局长", "labour", [R.HEAD, R.HANDLER]),
    ("hb_fuzeren", "韩局长", "environment", [R.HEAD, R.HANDLER]),
    ("jy_fuzeren", "杨局长", "education", [R.HEAD, R.HANDLER]),
    ("ga_fuzeren", "朱局长", "police", [R.HEAD, R.HANDLER]),
    ("fy_fuzeren", "秦庭长", "court", [R.HEAD, R.HANDLER]),
    ("hk_fuzeren", "许镇长", "hekou", [R.HEAD, R.REGISTRAR, R.HANDLER]),
    ("qsjw_fuzeren", "何书记", "qingshan_discipline", [R.HEAD, R.HANDLER]),
]

# Who works for which unit key, in the order the demo asks them to act. A petition
# office's staff also act for its government (Unit.acts_for).
STAFF = {
    "bureau": ("dengji", "chengban", "fuzeren"),
    "county": ("fuzeren",),
    "city": ("city_fuzeren",),
    "city_office": ("city_fuzeren",),
    "chengguan": ("cg_chengban", "cg_fuzeren"),
    "chengguan_office": ("cg_dengji",),
    "qingshan": ("qs_fuzeren",),
    "hekou": ("hk_fuzeren",),
    "housing": ("zj_fuzeren",),
    "land": ("zr_fuzeren",),
    "labour": ("rs_fuzeren",),
    "environment": ("hb_fuzeren",),
    "education": ("jy_fuzeren",),
    "police": ("ga_fuzeren",),
    "court": ("fy_fuzeren",),
    "discipline": ("jw_fuzeren",),
    "qingshan_discipline": ("qsjw_fuzeren",),
}


def build(password=DEMO_PASSWORD):
    """Create (or find) the sample units and the demo staff. Returns (units, people),
    both dicts by key; existing users keep their passwords."""
    units = build_units()
    people = build_people(units, password=password)
    for username, display_name, key, roles in EXTRA_PEOPLE:
        people[username] = make_user(username, units[key], roles, password=password, display_name=display_name)
    return units, people
