"""Keep `User.roles_stamp` in step with group membership, so that the per-process role
cache (models._RoleCache) misses as soon as a user's roles change. Every way the ORM
changes membership is covered: user.groups.add/remove/set/clear, group.user_set.…,
renaming a group (roles are group names) and deleting one.

The 系统管理员 role opens the admin: giving it sets `is_staff`, taking it away clears it
(a superuser keeps it), so that nobody has to hand out the staff flag by itself.
"""

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import receiver

from .choices import Role
from .models import User, new_roles_stamp


def _admin_group_ids():
    return set(Group.objects.filter(name=Role.ADMIN).values_list("pk", flat=True))


def _follow_admin_role(user_ids, added):
    users = User.objects.filter(pk__in=user_ids)
    if added:
        users.filter(is_staff=False).update(is_staff=True)
    else:
        users.filter(is_staff=True, is_superuser=False).exclude(groups__name=Role.ADMIN).update(is_staff=False)


def _restamp(users):
    users.update(roles_stamp=new_roles_stamp())


@receiver(m2m_changed, sender=User.groups.through)
def membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if isinstance(instance, User):
        if action in ("post_add", "post_remove", "post_clear"):
            instance.roles_stamp = new_roles_stamp()
            User.objects.filter(pk=instance.pk).update(roles_stamp=instance.roles_stamp)
            instance.__dict__.pop("roles", None)
            if action == "post_clear" or pk_set & _admin_group_ids():
                _follow_admin_role([instance.pk], added=action == "post_add")
                instance.is_staff = User.objects.filter(pk=instance.pk).values_list("is_staff", flat=True).first()
    elif action in ("post_add", "post_remove"):
        _restamp(User.objects.filter(pk__in=pk_set))
        if instance.name == Role.ADMIN:
            _follow_admin_role(pk_set, added=action == "post_add")
    elif action == "pre_clear":
        users = User.objects.filter(groups=instance)
        if instance.name == Role.ADMIN:
            instance._admins_cleared = list(users.values_list("pk", flat=True))
        _restamp(users)
    elif action == "post_clear" and getattr(instance, "_admins_cleared", None):
        _follow_admin_role(instance._admins_cleared, added=False)


@receiver(post_save, sender=Group)
def group_saved(sender, instance, created, **kwargs):
    if not created:
        _restamp(User.objects.filter(groups=instance))


@receiver(pre_delete, sender=Group)
def group_deleted(sender, instance, **kwargs):
    _restamp(User.objects.filter(groups=instance))
