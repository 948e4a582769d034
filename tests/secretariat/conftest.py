import pytest


@pytest.fixture
def second_factor_required(settings):
    """As in production (tests/conftest.py turns it off for the rest of the suite)."""
    settings.MFA_REQUIRED = True
