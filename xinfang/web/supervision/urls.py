"""The supervision screens (督查督办), one module a mechanism, each with its views and
its `urlpatterns`; urls.py joins them under /supervision/ (namespace "supervision")."""

from . import bulletins
from . import campaigns
from . import items

app_name = "supervision"

# Each screen module adds its own patterns here.
urlpatterns = []
urlpatterns += bulletins.urlpatterns  # 通报
urlpatterns += campaigns.urlpatterns
urlpatterns = [
    *items.urlpatterns,  # the desk, the unit's side (督办待办), an obligation's page, opening an item on a case
]
