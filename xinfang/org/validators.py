from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLengthValidator


class MinimumLengthValidator(DjangoMinimumLengthValidator):
    """Django's, with its message in Chinese: Django 5.2's Chinese catalogue lacks the
    current wording of this one message, so it would show in English."""

    def get_error_message(self):
        return f"密码长度太短，至少需要{self.min_length}个字符。"

    def get_help_text(self):
        return f"密码至少需要{self.min_length}个字符。"
