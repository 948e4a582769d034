"""The API's map (OpenAPI schema, Swagger UI) is for signed-in users only."""

import pytest

from secretariat.api_tokens import token_create

pytestmark = pytest.mark.django_db


def test_anonymous_call_to_the_schema_is_refused(api):
    response = api.get("/api/schema/?format=json")
    assert response.status_code == 401


def test_anonymous_browser_is_sent_to_sign_in_for_the_docs(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/api/docs/")


def test_token_holder_reads_the_schema(api, coordinator_a):
    _, key = token_create(user=coordinator_a)
    assert api.get("/api/schema/?format=json", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_swagger_ui_start_script_is_a_file_of_its_own(client_for, officer):
    page = client_for(officer).get("/api/docs/").content.decode()
    script = client_for(officer).get("/api/docs/?script=")
    assert 'src="/api/docs/?script="' in page
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content
