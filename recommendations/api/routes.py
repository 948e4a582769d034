"""The follow-up's endpoints under `/api/v1/` (found by secretariat.api.router.discover())."""

from secretariat.api.router import register

from . import compliance_reports, views

register("reports", views.ReportViewSet, basename="report")
register("recommendations", views.RecommendationViewSet, basename="recommendation")
register("findings", views.FindingViewSet, basename="finding")
register("escalation-steps", views.EscalationStepViewSet, basename="escalation-step")
register("compliance-reports", compliance_reports.ComplianceReportViewSet, basename="compliance-report")
register("follow-ups", views.FollowUpViewSet, basename="follow-up")
register("follow-up-updates", views.FollowUpUpdateViewSet, basename="follow-up-update")
register("assessments", views.AssessmentViewSet, basename="assessment")
register("practices", views.PracticeViewSet, basename="practice")
register("factsheets", views.FactsheetViewSet, basename="factsheet")
