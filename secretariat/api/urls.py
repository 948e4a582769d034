"""The API's addresses: `/api/v1/…` (secretariat.api.router), the OpenAPI schema and its Swagger UI
(assets served locally).

The schema and its Swagger UI are for signed-in users only (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]).
"""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .router import discover

app_name = "api"

# Every installed app's endpoints (its api/routes.py), the core's Parties first.
router = discover()

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Signed-in users only (a browser is sent to the sign-in page). The split view serves Swagger UI's
    # start-up script as a file of its own, which the Content Security Policy lets run.
    path(
        "docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
            login_url="admin:login",
        ),
        name="docs",
    ),
]
