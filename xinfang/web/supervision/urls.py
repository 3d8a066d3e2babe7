"""The supervision screens (督查督办), one module a mechanism, each with its views and
its `urlpatterns`; urls.py joins them under /supervision/ (namespace "supervision")."""

from . import bulletins, campaigns, items, reviews, sweeps

app_name = "supervision"

urlpatterns = [
    *items.urlpatterns,  # the desk, the unit's side (督办待办), an obligation's page, opening an item on a case
    *sweeps.urlpatterns,  # the overdue list (逾期未办) and the reminders (催办单)
    *bulletins.urlpatterns,  # 通报
    *campaigns.urlpatterns,  # 积案化解, 挂图作战
    *reviews.urlpatterns,  # 案件评查, 责任追究
]
