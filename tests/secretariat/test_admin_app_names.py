"""Other packages' apps and models are named in the admin in the user's language (admin_site)."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_after_each_test():
    yield
    translation.deactivate()  # a French request leaves French active in the thread


def test_the_admin_index_names_other_packages_apps_and_models_in_french(client_for, secretariat_admin):
    page = client_for(secretariat_admin).get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="fr").text
    for english in ("Auth tokens", "Authenticators", "Knox", ">MFA<", ">Axes<"):
        assert english not in page
    for french in ("Jetons d&#x27;API", "Accès à l&#x27;API", "Seconds facteurs", "Sécurité des connexions"):
        assert french in page


def test_the_api_tokens_list_is_titled_in_french(client_for, secretariat_admin):
    url = reverse("admin:knox_authtoken_changelist")
    page = client_for(secretariat_admin).get(url, HTTP_ACCEPT_LANGUAGE="fr").text
    assert "<h1>Jetons d&#x27;API</h1>" in page
