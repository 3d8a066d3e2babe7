from django import forms
from django.contrib.auth.forms import PasswordChangeForm


class OwnPasswordChangeForm(PasswordChangeForm):
    """Change one's own password: the old one, then the new one twice, checked by
    settings.AUTH_PASSWORD_VALIDATORS (length ≥ 10, not common, not all digits, not like
    the user's name); the new one must differ from the old."""

    def clean(self):
        data = super().clean()
        password = data.get("new_password1")
        if password and not self.has_error("new_password2") and self.user.check_password(password):
            self.add_error("new_password2", forms.ValidationError("新密码不能与原密码相同。", code="password_unchanged"))
        return data


class TokenForm(forms.Form):
    token = forms.CharField(label="6位验证码", min_length=6, max_length=6,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                          "pattern": "[0-9]{6}", "autofocus": True}))

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("验证码是6位数字。")
        return token
