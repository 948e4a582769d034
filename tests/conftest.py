"""Personas used across the suite (who is looking decides what they see), and how tests share data."""

import functools
import hashlib
import io
import os
import sqlite3
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import ClassVar

import django
import pytest
from _pytest.nodeid import NodeId
from django.apps import apps
from django.core import management
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import transaction
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.models import Model
from django.test import override_settings
from django.utils import translation
from simple_history.manager import HistoryDescriptor

from secretariat.models import Party, Role, User
from tests.factories import OrganisationFactory, PartyFactory, UserFactory


def _history_managers_built_once() -> None:
    """django-simple-history builds a new manager class (0.15 ms) at every read of `record.history`,
    which it does at every save of a record with history: tens of thousands of times in a run of the
    suite. The class depends only on the descriptor's manager and queryset classes: the tests build
    each one once, and behave as before."""
    manager_class = functools.cache(lambda manager, queryset: manager.from_queryset(queryset))

    def __get__(self, instance, owner):
        return manager_class(self.manager_class, self.queryset_class)(self.model, instance)

    HistoryDescriptor.__get__ = __get__


_history_managers_built_once()


@pytest.fixture(scope="session", autouse=True)
def isolated_files_and_caches(tmp_path_factory):
    """Each test process (pytest-xdist worker) keeps its files and caches to itself, out of var/.

    Uploads (MEDIA_ROOT) and the progress of imports (keyed by job ids, which every worker's
    database hands out from 1) go to the process's own temporary folder; the default cache is this
    process's memory, whatever CACHE_URL says, so clearing it never touches a shared server.
    """
    folder = tmp_path_factory.mktemp("files")
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"},
        "progress": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(folder / "progress"),
        },
    }
    with override_settings(MEDIA_ROOT=folder / "media", CACHES=caches):
        yield folder


# --- the test database --------------------------------------------------------------------------

# Each process (each pytest-xdist worker) creates its SQLite test database by applying every
# migration: 80 of them, some 6 seconds. The migrated database is kept in var/test-databases/ under
# a hash of what `migrate` builds it from (Django's and SQLite's versions, every migration file of
# every installed app), and later processes copy it instead. Then the post_migrate signal is sent as
# `migrate` sends it: content types, permissions and role groups (secretariat/roles.py, code that
# no migration holds) follow the code of this run. PostgreSQL migrates as before.
MIGRATED_DATABASES = Path(__file__).resolve().parents[1] / "var" / "test-databases"


def _migrations_key() -> str:
    digest = hashlib.sha256(f"{django.get_version()} {sqlite3.sqlite_version}".encode())
    for app in apps.get_app_configs():
        folder = Path(app.path) / "migrations"
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
            digest.update(f"{app.label}/{path.name}".encode() + path.read_bytes())
    return digest.hexdigest()[:24]


def _migrate_or_copy(creation: BaseDatabaseCreation, real_call_command):
    """`call_command` for create_test_db: `migrate` copies the kept database when there is one."""
    connection = creation.connection
    kept = MIGRATED_DATABASES / f"{_migrations_key()}.sqlite3"

    def call(name, *args, **options):
        if name != "migrate":
            return real_call_command(name, *args, **options)
        connection.ensure_connection()
        if kept.exists():
            source = sqlite3.connect(f"file:{kept}?mode=ro", uri=True)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
            emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
            return None
        result = real_call_command(name, *args, **options)
        MIGRATED_DATABASES.mkdir(parents=True, exist_ok=True)
        partial = kept.with_suffix(f".{os.getpid()}.partial")
        target = sqlite3.connect(partial)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        partial.replace(kept)  # whole, or not at all: other workers may be reading or writing it
        return result

    return call


def _test_database_from_kept_migrations() -> None:
    create_test_db = BaseDatabaseCreation.create_test_db

    @functools.wraps(create_test_db)
    def create(self, *args, **kwargs):
        settings_dict = self.connection.settings_dict
        if self.connection.vendor != "sqlite" or settings_dict["TEST"].get("MIGRATE") is False:
            return create_test_db(self, *args, **kwargs)
        real_call_command = management.call_command
        management.call_command = _migrate_or_copy(self, real_call_command)
        try:
            return create_test_db(self, *args, **kwargs)
        finally:
            management.call_command = real_call_command

    BaseDatabaseCreation.create_test_db = create


_test_database_from_kept_migrations()


# --- parallel runs --------------------------------------------------------------------------------

# `make test` runs the suite on pytest-xdist workers with `--dist loadgroup`: the tests of a group run
# one after the other on one worker, the largest groups first, the other tests wherever a worker is
# free. The browser tests share one Chromium and one live server; the admin walk is the longest
# module. Started first, on different workers, they leave no long test for the end.
XDIST_GROUPS = {
    "browser/": "browser",
    "secretariat/test_admin_walk.py": "admin-walk",
    # gunicorn and the task workers on PostgreSQL and Redis (REQUIRE_MULTI_PROCESS): one run at a time
    "deployment/": "multi-process",
}
# The few tests taking these shared records (`shared_records` below), each seconds to build, also run
# one after the other on one worker, across modules: they build them once, not once per worker or
# each time another test came between them. (The API's `world` is taken by hundreds of tests that
# follow each other anyway, and costs less.)
SHARED_GROUPS = ("demo_loaded", "demo_data", "dataset_of_size_4")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        path = item.path.relative_to(here).as_posix() if here in item.path.parents else ""
        groups = [group for prefix, group in XDIST_GROUPS.items() if path.startswith(prefix)]
        groups = groups or [f"shared-{name}" for name in SHARED_GROUPS if name in item.fixturenames][:1]
        for group in groups:
            item.add_marker(pytest.mark.xdist_group(group))
            if getattr(config.option, "loadgroup", False):
                # What pytest-xdist 3.8 does to group the tests, through `item._nodeid`, which pytest 9
                # no longer reads (its node ids are `item._id`): without this, no group holds.
                item._id = NodeId.parse(f"{item.nodeid}@{group}")


# --- the personas ---------------------------------------------------------------------------------
# One function each, and a fixture calling it. Each function takes the record already in the
# database if there is one: data shared by several tests (the API's world) holds some of them.


def make_user(username: str, **fields) -> User:
    return User.objects.filter(username=username).first() or UserFactory(username=username, **fields)


def make_party_a() -> Party:
    return PartyFactory(code="FRA", name_en="France", name_fr="France")  # got or created by its code


def make_party_b() -> Party:
    return PartyFactory(code="RUS", name_en="Russian Federation", name_fr="Fédération de Russie")


def make_officer() -> User:
    return make_user("officer", role=Role.SECRETARIAT_OFFICER)


def make_coordinator_a(party_a: Party) -> User:
    return make_user("coord-a", role=Role.STATE_COORDINATOR, party=party_a)


def make_coordinator_b(party_b: Party) -> User:
    return make_user("coord-b", role=Role.STATE_COORDINATOR, party=party_b)


@pytest.fixture
def party_a():
    return make_party_a()


@pytest.fixture
def party_b():
    return make_party_b()


@pytest.fixture
def organisation_b(party_b):
    return OrganisationFactory(name="Stakeholder of B", party=party_b)


@pytest.fixture
def secretariat_admin():
    return make_user("admin", role=Role.SECRETARIAT_ADMIN)


@pytest.fixture
def officer():
    return make_officer()


@pytest.fixture
def committee_member():
    return make_user("committee", role=Role.COMMITTEE_MEMBER)


@pytest.fixture
def coordinator_a(party_a):
    return make_coordinator_a(party_a)


@pytest.fixture
def contributor_a(party_a):
    return make_user("contrib-a", role=Role.STATE_CONTRIBUTOR, party=party_a)


@pytest.fixture
def coordinator_b(party_b):
    return make_coordinator_b(party_b)


@pytest.fixture
def stakeholder_b(organisation_b):
    return make_user("ngo-b", role=Role.STAKEHOLDER_CONTRIBUTOR, organisation=organisation_b, party=None)


@pytest.fixture
def client_for(client):
    """Log the test client in as the given user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashers are deliberately slow; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def second_factor_not_required(settings):
    # The suite signs staff in with force_login(), which gives no second factor; the tests of
    # sign-in security (tests/secretariat/test_signin_*.py) turn the requirement back on.
    settings.MFA_REQUIRED = False


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # allauth counts sign-in attempts per IP address in the cache: every test starts afresh.
    cache.clear()


@pytest.fixture(autouse=True)
def default_language_after_each_test():
    # A request in French leaves French active in this thread (LocaleMiddleware does not undo it):
    # the next test would read French labels it never asked for.
    yield
    translation.deactivate()


# --- records shared by the tests that follow each other -------------------------------------------


class SharedRecords:
    """Records built once for a run of consecutive tests taking them, instead of once per test.

    The first test of such a run builds them in a transaction left open while the run lasts: each
    test runs in its own savepoint inside it, rolled back after it as always, and the transaction is
    rolled back before any test that does not take them. Each test gets fresh copies of the
    records: what one test changes, in them or in the database, the next never sees. A
    transactional test (and the very first test of a process, before the test database exists)
    builds its own, as with a plain fixture.
    """

    registry: ClassVar[dict[str, "SharedRecords"]] = {}
    opened: ClassVar[list["SharedRecords"]] = []
    blocker = None  # pytest-django's database blocker, once the test database is set up

    def __init__(self, build):
        self.name, self.build = build.__name__, build
        self.atomic = None
        self.records: dict | None = None

    def shared_by(self, item) -> bool:
        if item is None or self.name not in item.fixturenames:
            return False
        marker = item.get_closest_marker("django_db")
        transactional = marker is not None and bool(
            marker.kwargs.get("transaction") or (marker.args and marker.args[0])
        )
        return not transactional and not {"transactional_db", "live_server"} & set(item.fixturenames)

    def open(self) -> None:
        with self.blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                self.records = self.build() or {}
            except BaseException:
                atomic.__exit__(*sys.exc_info())
                raise
        self.atomic = atomic
        self.opened.append(self)

    @classmethod
    def close_all(cls) -> None:
        with cls.blocker.unblock():
            while cls.opened:  # the last opened first: each one's transaction is inside the previous one's
                shared = cls.opened.pop()
                transaction.set_rollback(True)
                shared.atomic.__exit__(None, None, None)
                shared.atomic = shared.records = None

    def value(self) -> SimpleNamespace:
        if self.atomic is None:
            return SimpleNamespace(**(self.build() or {}))
        return SimpleNamespace(**_fresh(self.records))


def _fresh(records: dict) -> dict:
    """The same records (values, or dicts of values) read again from the database, a query per model."""
    wanted: dict[type[Model], set] = {}
    for value in records.values():
        for record in value.values() if isinstance(value, dict) else [value]:
            if isinstance(record, Model):
                wanted.setdefault(type(record), set()).add(record.pk)
    read = {model: model._base_manager.in_bulk(pks) for model, pks in wanted.items()}

    def again(value):
        if isinstance(value, dict):
            return {key: again(item) for key, item in value.items()}
        return read[type(value)][value.pk] if isinstance(value, Model) else value

    return {name: again(value) for name, value in records.items()}


def shared_records(build):
    """Turn `build` into a fixture of its name, shared by consecutive tests (`SharedRecords`).

    `build` takes no argument and returns its records by name (or nothing); the fixture gives them
    as attributes. Its name must be unique in the suite.
    """
    if build.__name__ in SharedRecords.registry:
        raise ValueError(f"Two shared fixtures are named {build.__name__}")
    shared = SharedRecords.registry[build.__name__] = SharedRecords(build)

    def fixture(_shared_records_ready):
        return shared.value()

    fixture.__doc__ = build.__doc__
    return pytest.fixture(name=build.__name__)(fixture)


@pytest.fixture(scope="session")
def _shared_records_ready(django_db_setup, django_db_blocker):
    SharedRecords.blocker = django_db_blocker
    yield
    SharedRecords.close_all()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before the test's fixtures, and so outside its own transaction.
    if SharedRecords.blocker is not None:
        for shared in SharedRecords.registry.values():
            if shared.atomic is None and shared.shared_by(item):
                shared.open()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        # After the test's fixtures, and so after its own transaction is rolled back.
        if any(not shared.shared_by(nextitem) for shared in SharedRecords.opened):
            SharedRecords.close_all()


@shared_records
def demo_loaded():
    """What `manage.py load_demo` loads in development (the demo accounts too)."""
    with override_settings(DEBUG=True):  # load_demo creates the demo accounts only in development
        call_command("load_demo", stdout=io.StringIO())
