"""Template filters every template has (settings: TEMPLATES builtins): a service
message ("中文 / English", xinfang/lib/errors.py) in one language, as pages show it.

    {{ message|zh }}        the Chinese half (staff pages are in Chinese)
    {{ message|one_language }}  the half in the request's language (the public site)"""

from django import template

from .errors import for_page

register = template.Library()


@register.filter
def zh(message):
    return for_page(message, "zh-hans")


@register.filter
def one_language(message):
    return for_page(message)
