"""Helpers of the public pages."""

import re

from django import forms, template
from django.utils.translation import get_language

register = template.Library()
# "中文 / English": the English half starts after a slash and a space, with a capital.
BILINGUAL = re.compile(r"\s*/\s+(?=[A-Z0-9\"'])")


@register.filter
def half(message):
    """The half of a service message ("中文 / English") in the page's language."""
    parts = BILINGUAL.split(str(message or ""), maxsplit=1)
    if len(parts) == 1:
        return parts[0]
    zh, en = parts
    return en.strip() if (get_language() or "").startswith("en") else zh.strip()


@register.filter
def css(field):
    """Bootstrap's class for a bound field's widget, with is-invalid when it has errors."""
    widget = field.field.widget
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):
        base = "form-check-input"
    elif isinstance(widget, forms.Select):
        base = "form-select"
    else:
        base = "form-control"
    return base + (" is-invalid" if field.errors else "")


@register.simple_tag
def widget(field, **attrs):
    """Render a field's widget with Bootstrap's class, aria-describedby for its help and
    error, and aria-invalid when it has errors."""
    described = [f"{field.auto_id}_help"] if field.help_text or attrs.pop("has_help", False) else []
    if field.errors:
        described.append(f"{field.auto_id}_error")
    extra = {"class": css(field), **attrs}
    if described:
        extra["aria-describedby"] = " ".join(described)
    if field.errors:
        extra["aria-invalid"] = "true"
    return field.as_widget(attrs=extra)
