"""The supervision screens (督查督办), one module a mechanism, each with its views and
its `urlpatterns`; urls.py joins them under /supervision/ (namespace "supervision")."""
