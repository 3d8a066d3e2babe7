"""Helpers of the public pages."""

from django import forms, template

from xinfang.lib.errors import for_page

register = template.Library()


@register.filter
def half(message):
    """The half of a service message ("中文 / English") in the page's language."""
    return for_page(message)


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
