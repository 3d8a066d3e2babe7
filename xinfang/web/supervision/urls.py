"""The supervision screens (督查督办), one module a mechanism, each with its views and
its `urlpatterns`; urls.py joins them under /supervision/ (namespace "supervision")."""

from . import sweeps

app_name = "supervision"

# Each screen module adds its own patterns here.
urlpatterns = []
urlpatterns += sweeps.urlpatterns  # 逾期未办, 催办单
