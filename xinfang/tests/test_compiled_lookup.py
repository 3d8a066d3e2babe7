"""lib.queries.CompiledLookup: SQL compiled once, rows turned into the same instances the
ORM would give (the API token lookup and the audit chain head run on it)."""

import threading

import pytest
from django.db import connection

from xinfang.api.models import ApiToken
from xinfang.api.services import digest, find_token, issue_token
from xinfang.lib.queries import CompiledLookup, unique_row
from xinfang.org.models import User

pytestmark = pytest.mark.django_db(transaction=True)

BUILD = lambda key_hash: ApiToken.objects.filter(key_hash=key_hash).select_related("user", "user__unit", "user__unit__parent")  # noqa: E731


def fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_a_token_row_and_its_user_and_units_equal_what_the_orm_reads(people, units, django_assert_num_queries):
    lookup = CompiledLookup(BUILD)
    bare = User.objects.create_user("bare", password="x-long-password-1", unit=None)  # no unit at all
    for user in (people["dengji"], people["lingdao"], bare):
        token, _ = issue_token(user=user)
        mine, orm = lookup.get(digest(token)), unique_row(BUILD(digest(token)))
        assert fields(mine) == fields(orm) and fields(mine.user) == fields(orm.user)
        assert type(mine.expires_at) is type(orm.expires_at) and mine.user.is_active is True  # converters ran (SQLite)
        if user.unit_id is None:
            assert mine.user.unit is None
        else:
            assert fields(mine.user.unit) == fields(orm.user.unit)
            assert (mine.user.unit.parent is None) == (orm.user.unit.parent is None)
        with django_assert_num_queries(0):
            assert mine.user.unit is None or mine.user.unit.parent_id is None or mine.user.unit.parent.pk  # loaded with the row
    assert lookup.get(digest("xf_nobody")) is None


def test_threads_each_get_their_own_rows(people):
    lookup = CompiledLookup(BUILD)
    tokens = {name: issue_token(user=people[name])[0] for name in ("dengji", "chengban", "cg_dengji")}
    seen, errors = {}, []

    def read(name):
        try:
            for _ in range(20):
                seen.setdefault(name, set()).add(lookup.get(digest(tokens[name])).user.username)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=read, args=(name,)) for name in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and seen == {name: {name} for name in tokens}


def test_revoked_expired_and_deactivated_tokens_still_open_nothing(people):
    from django.utils import timezone

    revoked, _ = issue_token(user=people["dengji"])
    ApiToken.objects.filter(key_hash=digest(revoked)).update(revoked_at=timezone.now())
    expired, _ = issue_token(user=people["chengban"])
    ApiToken.objects.filter(key_hash=digest(expired)).update(expires_at=timezone.now())
    inactive, _ = issue_token(user=people["tongji"])
    User.objects.filter(username="tongji").update(is_active=False)
    live, _ = issue_token(user=people["ducha"])
    assert [find_token(t) for t in (revoked, expired, inactive)] == [None, None, None]
    assert find_token(live).user.username == "ducha"
