"""A long import under DEBUG does not keep the SQL of every chunk (bench/imports.py: 600 MB for 100 MB)."""

import pytest
from django.db import connection

from secretariat.imports import open_source, run_import

pytestmark = pytest.mark.django_db


def _organisations_csv(count: int) -> bytes:
    return ("name,kind\n" + "".join(f"NGO {index},ngo\n" for index in range(count))).encode()


def test_under_debug_only_the_last_chunk_s_queries_are_kept(settings, officer):
    settings.DEBUG = True
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    connection.queries_log.clear()
    with connection.execute_wrapper(count):
        source = open_source(_organisations_csv(40), "organisations.csv")
        run_import("organisations", source, user=officer, chunk_rows=10)
    assert 0 < len(connection.queries_log) < len(executed) / 2
