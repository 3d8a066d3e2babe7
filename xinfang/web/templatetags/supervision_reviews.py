"""The case page's 评查 and 责任追究 entries, for those who may see them
(supervision/reviews.py entries_for_case): one tag, so the case page needs one line."""

from django import template

from xinfang.supervision.reviews import entries_for_case

register = template.Library()


@register.inclusion_tag("web/supervision/_case_reviews.html", takes_context=True)
def case_reviews(context, case):
    request = context.get("request")
    user = getattr(request, "user", None)
    entries = entries_for_case(user, case) if user is not None else {"reviews": [], "records": []}
    return {**entries, "case": case}
