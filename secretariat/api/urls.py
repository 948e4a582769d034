"""The API's addresses: `/api/v1/…`, the OpenAPI schema and its Swagger UI (assets served locally).

The schema and its Swagger UI are for signed-in users only (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]).
"""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter()
router.register("parties", views.PartyViewSet, basename="party")
router.register("rounds", views.RoundViewSet, basename="round")
router.register("questions", views.QuestionViewSet, basename="question")
router.register("submissions", views.SubmissionViewSet, basename="submission")
router.register("replies", views.ReplyViewSet, basename="reply")
router.register("reports", views.ReportViewSet, basename="report")
router.register("recommendations", views.RecommendationViewSet, basename="recommendation")
router.register("follow-ups", views.FollowUpViewSet, basename="follow-up")
router.register("follow-up-updates", views.FollowUpUpdateViewSet, basename="follow-up-update")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("practices", views.PracticeViewSet, basename="practice")
router.register("factsheets", views.FactsheetViewSet, basename="factsheet")

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
