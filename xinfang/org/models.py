import secrets
import threading
from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.crypto import salted_hmac

from .choices import LEVEL_RANK, Level, Role, UnitKind


class UnitQuerySet(models.QuerySet):
    def subtree(self, unit):
        """The unit and every unit below it: one indexed prefix scan on `path`."""
        return self.filter(path__startswith=unit.path)

    def active(self):
        return self.filter(is_active=True)

    def places(self):
        """Units that stand for a place people live in: governments (county, township)
        and village or residents' committees — the choices of a household registration."""
        return self.filter(kind__in=PLACE_KINDS)


PLACE_KINDS = (UnitKind.GOVERNMENT, UnitKind.COMMUNITY)


class Unit(models.Model):
    """An office that receives or handles petitions: a village committee, a township,
    a county petition bureau, a department, a court, a people's congress office.

    `path` is the chain of ids from the root ("/1/4/17/"), kept by save(), so that
    "this unit and everything below it" is a prefix match on an index.
    """

    code = models.CharField("单位代码", max_length=32, unique=True, help_text="行政区划代码或内部编码")
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    parent = models.ForeignKey("self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    kind = models.CharField("类别", max_length=24, choices=UnitKind.choices)
    region_code = models.CharField("行政区划代码", max_length=12, blank=True)
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["path"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def level_rank(self):
        return LEVEL_RANK[self.level]

    def clean(self):
        if self.parent_id and self.pk:
            node = self.parent
            while node is not None:
                if node.pk == self.pk:
                    raise ValidationError({"parent": "上级单位不能是本单位或其下级 / A unit cannot sit below itself."})
                node = node.parent

    def save(self, *args, **kwargs):
        old_path = self.path
        super().save(*args, **kwargs)
        new_path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
        if new_path == old_path:
            return
        self.path = new_path
        Unit.objects.filter(pk=self.pk).update(path=new_path)
        if old_path:
            # Moving a unit moves its whole subtree: rewrite the descendants' paths.
            for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).only("pk", "path"):
                Unit.objects.filter(pk=child.pk).update(path=new_path + child.path[len(old_path):])

    @property
    def place(self):
        """The unit's name as a place: 城关镇人民政府 → 城关镇."""
        return self.name.removesuffix("人民政府")

    @property
    def place_name(self):
        """The place this unit stands for, with the places above it: 安宁县城关镇东街社区
        (from the county down; one query for the chain)."""
        ids = [int(i) for i in self.path.strip("/").split("/") if i]
        chain = {u.pk: u for u in Unit.objects.filter(pk__in=ids, kind__in=PLACE_KINDS).only("pk", "name", "level")}
        names = [chain[i].place for i in ids if i in chain and LEVEL_RANK[chain[i].level] <= LEVEL_RANK[Level.COUNTY]]
        return "".join(names) or self.place

    def is_within(self, other):
        """True when self is `other` or below it."""
        return self.path.startswith(other.path)

    @property
    def scope_root(self):
        """The unit whose subtree this unit's staff may see.

        A petition office (信访局) coordinates for the government it belongs to, so its
        staff see that government's whole subtree; any other unit sees its own subtree.
        """
        if self.kind == UnitKind.PETITION_OFFICE and self.parent_id:
            return self.parent
        return self

    @property
    def acts_for(self):
        """Ids of the units whose work this unit's staff do: itself, and for a petition
        office the government it serves (reviews are addressed to that government)."""
        if self.kind == UnitKind.PETITION_OFFICE and self.parent_id:
            return {self.pk, self.parent_id}
        return {self.pk}

    def may_know_accuser(self, shield_unit_id):
        """Whether this unit's staff may know who brought accusation material shielded
        for the unit `shield_unit_id` (Art. 30): that unit (the one that registered it; a
        petition office acts for its government) and the discipline organs. Material
        with no shield (`None`) is not an accuser's."""
        return shield_unit_id is None or shield_unit_id in self.acts_for or self.kind == UnitKind.DISCIPLINE

    @property
    def review_unit(self):
        """The unit one level up that answers a review of this unit's reply (Art. 35).

        A department or court answers to the government of its level; the government
        answers to its parent government.
        """
        node = self.parent
        while node is not None and node.kind != UnitKind.GOVERNMENT:
            node = node.parent
        return node


def identity_shown(user, shield_unit_id):
    """Whether `user` may see who brought material (a petition, its petitioners, agent
    and files) shielded for `shield_unit_id` (Art. 30). The shield is stored on the
    material itself (`intake.Petition.shield_unit`), so it holds wherever a merge, split,
    forward or repeat moves it."""
    if shield_unit_id is None:
        return True
    unit = getattr(user, "unit", None)
    return unit is not None and unit.may_know_accuser(shield_unit_id)


class _RoleCache:
    """The role names of the users a process has served, keyed by (user id, roles_stamp).

    Every request needs its user's roles; the user row is read anyway (session or token)
    and carries `roles_stamp`, which changes, to a fresh random value, in the transaction
    that changes the user's groups (org/signals.py). A changed membership therefore
    misses here at once in every process, and a stamp rolled back with its transaction
    is never seen again. Saves a query on every request (docs/decisions.md)."""

    MAX = 10_000

    def __init__(self):
        self._lock = threading.Lock()
        self._roles = {}

    def get(self, user):
        if user.pk is None:
            return frozenset()
        key = (user.pk, user.roles_stamp)
        roles = self._roles.get(key)
        if roles is None:
            roles = frozenset(user.groups.values_list("name", flat=True))
            with self._lock:
                if len(self._roles) >= self.MAX:
                    self._roles.clear()
                self._roles[key] = roles
        return roles

    def clear(self):
        with self._lock:
            self._roles.clear()


ROLE_CACHE = _RoleCache()


def new_roles_stamp():
    return secrets.randbits(62)


class User(AbstractUser):
    """A member of staff. Belongs to one unit; roles come from groups named by Role codes."""

    unit = models.ForeignKey(Unit, verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    display_name = models.CharField("姓名", max_length=40, blank=True)
    phone = models.CharField("办公电话", max_length=20, blank=True)
    must_change_password = models.BooleanField(
        "首次登录须修改密码", default=False,
        help_text="管理员新建账号或重置密码后自动勾选；本人修改密码后清除。")
    session_epoch = models.PositiveIntegerField(
        "会话代次", default=0, editable=False,
        help_text="“退出所有设备”时加一：此前登录的会话全部失效。")
    roles_stamp = models.BigIntegerField(default=0, editable=False, help_text="changes with the user's groups (see _RoleCache)")

    objects = UserManager()

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"

    def __str__(self):
        return self.display_name or self.username

    def _get_session_auth_hash(self, secret=None):
        """Django keeps this hash in every session and logs the session out when it no
        longer matches: it covers the password, and here also `session_epoch`, so that
        bumping the epoch ("log out everywhere") ends every session of the user. Epoch 0
        keeps Django's own hash, so sessions made before the epoch existed stay valid."""
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "xinfang.org.User.session_auth_hash"
        return salted_hmac(key_salt, f"{self.password}#{self.session_epoch}", secret=secret, algorithm="sha256").hexdigest()

    @cached_property
    def roles(self):
        return ROLE_CACHE.get(self)

    def has_role(self, *roles):
        return any(str(r) in self.roles for r in roles)

    @property
    def is_auditor(self):
        return self.is_superuser or self.has_role(Role.AUDITOR)

    @property
    def role_labels(self):
        return [Role(r).label for r in sorted(self.roles) if r in Role.values]
