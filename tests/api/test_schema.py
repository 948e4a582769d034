"""The OpenAPI 3 schema describes every endpoint, and Swagger UI works without the internet."""

import pytest
from django.contrib.staticfiles import finders
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/parties/",
    "/api/v1/parties/{code}/",
    "/api/v1/rounds/",
    "/api/v1/rounds/{number}/",
    "/api/v1/rounds/{number}/questions/",
    "/api/v1/questions/",
    "/api/v1/questions/{id}/",
    "/api/v1/submissions/",
    "/api/v1/submissions/{id}/",
    "/api/v1/submissions/{id}/submit/",
    "/api/v1/replies/",
    "/api/v1/replies/{id}/",
    "/api/v1/child-participations/",
    "/api/v1/child-participations/{id}/",
    "/api/v1/reports/",
    "/api/v1/reports/{id}/",
    "/api/v1/recommendations/",
    "/api/v1/recommendations/{id}/",
    "/api/v1/follow-ups/",
    "/api/v1/follow-ups/{id}/",
    "/api/v1/follow-up-updates/",
    "/api/v1/follow-up-updates/{id}/",
    "/api/v1/assessments/",
    "/api/v1/assessments/{id}/",
    "/api/v1/practices/",
    "/api/v1/practices/{id}/",
    "/api/v1/factsheets/",
    "/api/v1/factsheets/{slug}/",
    "/api/v1/cases/",
    "/api/v1/cases/{id}/",
    "/api/v1/cases/{id}/assign/",
    "/api/v1/notifications/",
    "/api/v1/notifications/{id}/",
    "/api/v1/notifications/{id}/read/",
    "/api/v1/notifications/read-all/",
    "/api/v1/correspondence/",
    "/api/v1/correspondence/{id}/",
    "/api/v1/escalation-steps/",
    "/api/v1/escalation-steps/{id}/",
    "/api/v1/compliance-reports/",
    "/api/v1/compliance-reports/{id}/",
    "/api/v1/findings/",
    "/api/v1/findings/{id}/",
    "/api/v1/meetings/",
    "/api/v1/meetings/{id}/",
    "/api/v1/decisions/",
    "/api/v1/decisions/{id}/",
    "/api/v1/my-work/",
}


@pytest.fixture
def schema(client_for, officer) -> dict:
    response = client_for(officer).get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"] == {"title": "Lanzarote Back Office API", "version": "1.0.0"}


def test_schema_is_valid_openapi(schema):
    validate_schema(schema)


def test_schema_lists_every_endpoint(schema):
    assert set(schema["paths"]) == PATHS


def test_schema_describes_the_writes(schema):
    paths = schema["paths"]
    assert set(paths["/api/v1/replies/"]) == {"get", "post"}
    assert set(paths["/api/v1/replies/{id}/"]) == {"get", "patch"}
    assert set(paths["/api/v1/follow-up-updates/"]) == {"get", "post"}
    assert set(paths["/api/v1/submissions/{id}/submit/"]) == {"post"}
    assert "409" in paths["/api/v1/replies/{id}/"]["patch"]["responses"]


def test_schema_offers_session_and_token_authentication(schema):
    assert set(schema["components"]["securitySchemes"]) == {"cookieAuth", "knoxApiToken"}


def test_schema_is_also_served_as_yaml(client_for, officer):
    response = client_for(officer).get("/api/schema/")
    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.")


def test_swagger_ui_is_served_from_local_assets(client_for, officer):
    response = client_for(officer).get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn.jsdelivr.net" not in page and "unpkg.com" not in page


def test_swagger_ui_assets_are_installed():
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
