from django import template

from xinfang.notify.services import unread_count

register = template.Library()


@register.inclusion_tag("notify/_bell.html", takes_context=True)
def notify_bell(context):
    """The bell with the unread count, for the navigation bar (then polled by htmx)."""
    user = context["request"].user
    return {"unread": unread_count(user) if user.is_authenticated else 0}
