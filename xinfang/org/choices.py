from django.db import models


class Level(models.TextChoices):
    """Administrative level of a unit; also the level at which a petition is received."""

    VILLAGE = "village", "村（社区）"
    TOWNSHIP = "township", "乡镇（街道）"
    COUNTY = "county", "县（区）"
    CITY = "city", "市"
    PROVINCE = "province", "省"
    NATIONAL = "national", "国家"


LEVEL_RANK = {Level.VILLAGE: 1, Level.TOWNSHIP: 2, Level.COUNTY: 3, Level.CITY: 4, Level.PROVINCE: 5, Level.NATIONAL: 6}


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", "党委政府"
    PETITION_OFFICE = "petition_office", "信访工作机构"
    DEPARTMENT = "department", "职能部门"
    COURT = "court", "人民法院"
    PROCURATORATE = "procuratorate", "人民检察院"
    CONGRESS = "congress", "人大信访机构"
    DISCIPLINE = "discipline", "纪检监察机关"
    COMMUNITY = "community", "村（居）委会"


class Role(models.TextChoices):
    """What a user may do; held through Django groups of the same code."""

    REGISTRAR = "registrar", "登记员"
    HANDLER = "handler", "承办人"
    HEAD = "head", "单位负责人"
    LEADER = "leader", "领导"
    SUPERVISOR = "supervisor", "督查员"
    STATISTICIAN = "statistician", "统计员"
    ADMIN = "admin", "系统管理员"
    AUDITOR = "auditor", "审计员"


# The roles a unit administrator hands out in the admin: the daily work of an office.
# Granting 系统管理员 or 审计员 (and the superuser flag) is left to a superuser, so that
# no administrator can make another administrator, or an auditor of their own work.
WORK_ROLES = (Role.REGISTRAR, Role.HANDLER, Role.HEAD, Role.LEADER, Role.SUPERVISOR, Role.STATISTICIAN)

# Model permissions each role's group carries (org.services.sync_role_permissions keeps
# the groups in step after every migrate), so a deployment gives a person a role, never
# raw permissions. The unit administrator manages its scope's people and units and
# enters the holiday schedule (节假日安排) when the State Council publishes it.
ROLE_PERMISSIONS = {
    Role.ADMIN: (
        "org.view_user", "org.add_user", "org.change_user",
        "org.view_unit", "org.add_unit", "org.change_unit",
        "legal_calendar.view_officialday", "legal_calendar.add_officialday",
        "legal_calendar.change_officialday", "legal_calendar.delete_officialday",
        "legal_calendar.view_calendaryear", "legal_calendar.add_calendaryear", "legal_calendar.change_calendaryear",
    ),
}
