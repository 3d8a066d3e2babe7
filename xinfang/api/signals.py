"""API tokens end with the password they were taken with.

Every way a password changes — one's own change and the first-login change
(`org.services.change_password`), an administrator setting it in the admin, Django's
`changepassword` command, any code calling `set_password()` — ends in `User.save()`
with the new hash; `AbstractBaseUser` keeps the raw password in `_password` until that
save is done. One receiver here, so that no path can forget it."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from xinfang.audit.services import record as audit
from xinfang.audit.signals import request_ip
from xinfang.org.models import User
from xinfang.org.services import revoke_all_tokens


@receiver(post_save, sender=User, dispatch_uid="api_tokens_end_with_the_password")
def password_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or getattr(instance, "_password", None) is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return  # set_password() ran, but this save does not store the new hash
    revoked = revoke_all_tokens(user=instance)
    if revoked:
        audit(actor=None, action="api.token_revoke_all", obj=instance,
              detail={"reason": "password_change", "tokens_revoked": revoked}, ip=request_ip.get())
