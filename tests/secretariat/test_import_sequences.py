"""Imports leave the tables' id sequences to the database: several task workers import at once."""

from unittest import mock

import pytest
from django.db import connection

from secretariat.imports import open_source, run_import
from secretariat.models import Party

from .import_helpers import PARTIES_CSV

pytestmark = pytest.mark.django_db


def test_an_import_never_resets_an_id_sequence():
    # import-export's reset (to the largest id the import's transaction sees) would move the
    # sequence back below the ids a concurrent import has taken, and that import would then fail.
    with mock.patch.object(
        type(connection.ops), "sequence_reset_sql", autospec=True, return_value=[]
    ) as reset:
        run_import("parties", open_source(PARTIES_CSV.encode(), "parties.csv"))
    assert Party.objects.count() == 3
    reset.assert_not_called()
