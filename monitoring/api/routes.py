"""The monitoring's endpoints under `/api/v1/` (found by secretariat.api.router.discover())."""

from secretariat.api.router import register

from . import views

register("rounds", views.RoundViewSet, basename="round")
register("questions", views.QuestionViewSet, basename="question")
register("submissions", views.SubmissionViewSet, basename="submission")
register("replies", views.ReplyViewSet, basename="reply")
register("child-participations", views.ChildParticipationViewSet, basename="child-participation")
