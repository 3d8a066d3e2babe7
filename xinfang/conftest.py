"""Fixtures every app's tests share: the sample county and its named people.

The people are those of xinfang.org.sample.PEOPLE; `qs_fuzeren` (青山乡) is the one
who must be refused whenever a case never went near 青山乡.
"""

import base64
import hashlib
import os
from pathlib import Path

import pytest

from xinfang.intake.services import PetitionIn, register
from xinfang.org.sample import build_people, build_units, ensure_reference_data

PASSWORD = "Xf-test-pass-2026"

# Browser tests drive Debian's chromium (never a downloaded browser), in a Chinese locale,
# without the background connections this closed network refuses.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--lang=zh-CN", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


# Tests encrypt personal data with keys of their own, never a developer's key file. Not
# secret: they protect nothing but test rows.
TEST_DATA_KEYS = "test1:" + base64.b64encode(hashlib.sha256(b"xinfang test data key").digest()).decode()
TEST_LOOKUP_KEYS = "ltest1:" + base64.b64encode(hashlib.sha256(b"xinfang test lookup key").digest()).decode()


def pytest_configure(config):
    from django.conf import settings

    settings.XINFANG_DATA_KEYS = TEST_DATA_KEYS
    # Each test process counts in its own memory (tests clear it between tests); the
    # shared file cache of a deployment is tested with real processes in lib/tests.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.XINFANG_LOOKUP_KEYS = TEST_LOOKUP_KEYS


# What marks a browser test module: `pytestmark = BROWSER_TEST`.
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"Debian chromium is not installed at {CHROMIUM} (apt-get install chromium)"),
]

# Where browser tests leave their screenshots for a person to look at.
SCREENS = Path(__file__).resolve().parent.parent / "var" / "screens"


@pytest.fixture
def browser(monkeypatch):
    """A headless Debian chromium. Playwright's sync API runs an event loop in this
    thread; the ORM calls in the test are still plain synchronous code."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # The test's ORM calls ran in Playwright's context, on a connection of their own
        # that the database teardown would not see (it then cannot drop the test database).
        from django.db import connections

        connections.close_all()


@pytest.fixture
def staff_page(browser, live_server):
    """open_as(username, **page_options) -> (page, errors): a desktop page in Chinese,
    logged in on the live server and showing 我的工作; `errors` collects the page's
    JavaScript errors. Screenshots of it go to SCREENS."""
    from playwright.sync_api import expect

    SCREENS.mkdir(parents=True, exist_ok=True)

    def open_as(username, **options):
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai", **options)
        page.set_default_timeout(20_000)
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(live_server.url + "/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        expect(page.get_by_role("heading", name="我的工作")).to_be_visible()
        return page, errors

    return open_as


# Mutation testing (scripts/mutate.py, docs/mutation.md) runs the tests once per mutant,
# each run in a process forked by mutmut, several at once. They must not share the one
# SQLite test file, and migrating a new one for every mutant costs seconds: each run
# copies a database migrated once (XINFANG_TEST_DB_TEMPLATE) to a file of its own.
if os.environ.get("XINFANG_TEST_DB_TEMPLATE"):

    @pytest.fixture(scope="session")
    def django_db_setup(django_db_blocker):
        import shutil
        import tempfile

        from django.db import connections

        path = Path(tempfile.gettempdir()) / f"xinfang-mutant-{os.getpid()}.sqlite3"
        shutil.copyfile(os.environ["XINFANG_TEST_DB_TEMPLATE"], path)
        connection = connections["default"]
        connection.close()
        connection.settings_dict["NAME"] = str(path)
        yield
        connection.close()
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Argon2 is deliberately slow; the tests create a dozen users each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def reference_data(request):
    """Every database test starts with the roles and categories the migrations made,
    even after an earlier transactional test on the same worker flushed them."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        return
    transactional = (marker and marker.kwargs.get("transaction")) or {"transactional_db", "live_server"} & set(request.fixturenames)
    request.getfixturevalue("transactional_db" if transactional else "db")
    ensure_reference_data()
    # Per-process caches of database rows (the category tree, users' roles) must not
    # outlive the test whose rolled-back transaction made them.
    from xinfang.nlp import text
    from xinfang.nlp.services import MODELS
    from xinfang.org.models import ROLE_CACHE

    MODELS.stale()
    ROLE_CACHE.clear()
    # A streamed response an earlier test never closed leaves its request "open" on this
    # thread (no request_finished), and with it the dictionary version read for it; a
    # server always closes its responses.
    text.request_finished()


@pytest.fixture
def units(db):
    return build_units()


@pytest.fixture
def people(units):
    return build_people(units, password=PASSWORD)


@pytest.fixture
def login(client, people):
    """Log the test client in as one of the named people: login("dengji")."""

    def as_user(username):
        client.force_login(people[username])
        return client

    return as_user


@pytest.fixture
def register_case(people, units):
    """Register a petition at the county bureau as `dengji`; returns the case. Tests
    place receipts weeks back freely, so a late entry is confirmed unless a test says
    `confirm_late=False` (intake/tests/test_late_entry.py)."""

    def make(**overrides):
        actor = overrides.pop("actor", people["dengji"])
        overrides.setdefault("confirm_late", True)
        fields = dict(channel="letter", receiving_unit=units["bureau"], title="征地补偿款未发放",
                      content="本人承包地于去年被征收，补偿款至今未发放到位。", kind="grievance",
                      petitioners=[{"name": "刘某", "id_number": "11010519491231002X", "phone": "13800000001"}])
        fields.update(overrides)
        petition, case = register(actor=actor, data=PetitionIn(**fields))
        return case

    return make


@pytest.fixture
def deliver(people, settings, tmp_path):
    """deliver(case, who="fuzeren", on=None, **params) -> the case after the written answer
    of its latest reply was delivered (送达) on `on` (default today), online unless
    `channel` says otherwise. The answer document is the one the reply issued
    (cases/paperwork.py), found by documents/tests/factories.answer()."""
    from xinfang.cases.services import perform
    from xinfang.documents.tests.factories import answer

    settings.MEDIA_ROOT = tmp_path

    def run(case, who="fuzeren", *, on=None, channel="online", document=None, **params):
        from django.utils import timezone

        document = document or answer(case)
        return perform(case=case, action="deliver", actor=people[who], document=document.pk, channel=channel,
                       delivered_on=on or timezone.localdate(), **params)

    return run
