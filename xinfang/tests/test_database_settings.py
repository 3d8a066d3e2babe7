"""How the application's database connections are set up."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_connections_do_not_jit_compile_queries():
    """JIT compilation took 88 of 155 ms of a county's unfiltered case count at 100,000
    cases: the application's connections switch it off (PG_JIT=1 turns it back on)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_the_jit_switch_keeps_other_connection_options(monkeypatch):
    from xinfang import settings

    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example:5432/x?options=-c%20statement_timeout%3D5000")
    monkeypatch.delenv("PG_JIT", raising=False)
    options = settings._database()["OPTIONS"]["options"]
    assert "statement_timeout=5000" in options and options.endswith("-c jit=off")
    monkeypatch.setenv("PG_JIT", "1")
    assert "jit=off" not in settings._database().get("OPTIONS", {}).get("options", "")
