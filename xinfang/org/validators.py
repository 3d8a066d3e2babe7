from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLengthValidator
from django.core.exceptions import ValidationError


class MinimumLengthValidator(DjangoMinimumLengthValidator):
    """Django's, with its message in Chinese: Django 5.2's Chinese catalogue lacks the
    current wording of this one message, so it would show in English."""

    def get_error_message(self):
        return f"密码长度太短，至少需要{self.min_length}个字符。"

    def get_help_text(self):
        return f"密码至少需要{self.min_length}个字符。"


def _plain(text):
    """Lower case, letters, digits and Chinese characters only: `Du-Cha_12` → `ducha12`."""
    return "".join(ch for ch in str(text).casefold() if ch.isalnum())


class UserAttributeContainmentValidator:
    """Refuse a password that contains the username or the display name, forwards or
    backwards, whatever the case and whatever separators are put in (`ducha12345`,
    `duchaducha`, `Du.Cha-2026!`, `ahcud…`, `钱督查2026`).

    Django's UserAttributeSimilarityValidator compares the whole password with the
    attribute, so a name with a suffix passes it; a guesser tries exactly those first.
    Attributes shorter than `min_length` are not checked (two letters are in too many
    good passwords)."""

    ATTRIBUTES = ("username", "display_name", "email", "first_name", "last_name")

    def __init__(self, min_length=3):
        self.min_length = min_length

    def validate(self, password, user=None):
        if user is None:
            return
        plain = _plain(password)
        for name in self.ATTRIBUTES:
            value = _plain(getattr(user, name, "") or "")
            if name == "email":
                value = _plain(str(getattr(user, name, "") or "").partition("@")[0])
            if len(value) < self.min_length:
                continue
            if value in plain or value[::-1] in plain:
                label = {"username": "用户名", "display_name": "姓名"}.get(name, "账号信息")
                raise ValidationError(f"密码不能包含您的{label}（不区分大小写，倒写或加符号也不行），请换一个。",
                                      code="password_contains_user_attribute")

    def get_help_text(self):
        return "密码不能包含您的用户名或姓名。"
