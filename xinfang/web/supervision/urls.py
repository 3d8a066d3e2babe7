"""The supervision screens (督查督办), one module a mechanism, each with its views and
its `urlpatterns`; urls.py joins them under /supervision/ (namespace "supervision")."""

from . import bulletins
from . import campaigns

app_name = "supervision"

# Each screen module adds its own patterns here.
urlpatterns = []
urlpatterns += bulletins.urlpatterns  # 通报
urlpatterns += campaigns.urlpatterns
