"""Keep `User.roles_stamp` in step with group membership, so that the per-process role
cache (models._RoleCache) misses as soon as a user's roles change. Every way the ORM
changes membership is covered: user.groups.add/remove/set/clear, group.user_set.…,
renaming a group (roles are group names) and deleting one."""

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import receiver

from .models import User, new_roles_stamp


def _restamp(users):
    users.update(roles_stamp=new_roles_stamp())


@receiver(m2m_changed, sender=User.groups.through)
def membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if isinstance(instance, User):
        if action in ("post_add", "post_remove", "post_clear"):
            instance.roles_stamp = new_roles_stamp()
            User.objects.filter(pk=instance.pk).update(roles_stamp=instance.roles_stamp)
            instance.__dict__.pop("roles", None)
    elif action in ("post_add", "post_remove"):
        _restamp(User.objects.filter(pk__in=pk_set))
    elif action == "pre_clear":
        _restamp(User.objects.filter(groups=instance))


@receiver(post_save, sender=Group)
def group_saved(sender, instance, created, **kwargs):
    if not created:
        _restamp(User.objects.filter(groups=instance))


@receiver(pre_delete, sender=Group)
def group_deleted(sender, instance, **kwargs):
    _restamp(User.objects.filter(groups=instance))
