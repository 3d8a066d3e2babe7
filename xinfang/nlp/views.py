"""The hot-topics board: recent petitions in the user's scope grouped by problem and
place, ranked by distinct petitioners, size and growth; each topic lists its petitions."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .conf import nlp_setting
from .services import hot_topics


@login_required
@require_GET
def topics(request):
    try:
        days = max(1, min(int(request.GET.get("days") or nlp_setting("topic_window_days")), 365))
    except ValueError:
        days = nlp_setting("topic_window_days")
    found = hot_topics(actor=request.user, days=days) if request.user.unit_id else []
    return render(request, "nlp/topics.html", {"topics": found, "days": days, "growth_days": nlp_setting("topic_growth_days")})
