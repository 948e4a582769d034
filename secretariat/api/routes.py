"""The core's endpoints under `/api/v1/` (found by secretariat.api.router.discover())."""

from . import views
from .router import register

register("parties", views.PartyViewSet, basename="party")
register("cases", views.CaseViewSet, basename="case")
register("notifications", views.NotificationViewSet, basename="notification")
register("correspondence", views.CorrespondenceViewSet, basename="correspondence")
register("my-work", views.MyWorkViewSet, basename="my-work")
register("meetings", views.MeetingViewSet, basename="meeting")
register("decisions", views.DecisionViewSet, basename="decision")
