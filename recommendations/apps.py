from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = _("Recommendations")

    def ready(self) -> None:
        from secretariat import imports, roles

        from . import access, cases, resources

        access.register_rules()
        # Who is told of each event (notifications).
        from . import events

        events.register_events()
        cases.register()
        roles.register_domain_app(
            "recommendations",
            api_read=(
                "implementationreport",
                "recommendation",
                "finding",  # the adopted reports' only (recommendations.access)
                "escalationstep",  # the steps towards their own Party
                "compliancereport",  # the adopted ones
                "followup",
                "followupupdate",
                "assessment",
                "practice",
                "factsheet",
            ),
        )
        imports.register_option(
            imports.ImportOption(
                "report",
                resources.report_option_field,
                help="reference of the implementation report, for a file without a report column",
            )
        )

        for kind in (
            imports.ImportKind(
                "themes",
                _("Themes"),
                resources.ThemeResource,
                "recommendations.add_theme",
                "admin:recommendations_theme_changelist",
                order=55,  # after the replies (50): each kind's export file has a number of its own
            ),
            imports.ImportKind(
                "reports",
                _("Implementation reports"),
                resources.ImplementationReportResource,
                "recommendations.add_implementationreport",
                "admin:recommendations_implementationreport_changelist",
                order=60,
            ),
            imports.ImportKind(
                "recommendations",
                _("Recommendations"),
                resources.RecommendationResource,
                "recommendations.add_recommendation",
                "admin:recommendations_recommendation_changelist",
                options=("report", "round", "themes"),
                order=70,
            ),
            imports.ImportKind(
                "follow-ups",
                _("Follow-up statuses"),
                resources.FollowUpResource,
                "recommendations.add_assessment",
                "admin:recommendations_followup_changelist",
                options=("report", "round"),
                order=80,
            ),
            imports.ImportKind(
                "practices",
                _("Promising practices"),
                resources.PracticeResource,
                "recommendations.add_practice",
                "admin:recommendations_practice_changelist",
                order=90,
            ),
        ):
            imports.register(kind)

        # The app's sections of a Party's case file, and their placeholders in letters.
        from . import case_file, letters

        case_file.register()
        letters.register()

        # The agenda items the follow-up proposes and the decision that adopts a report (meetings).
        from . import meeting_items

        meeting_items.register()

        # The escalation ladder: its agenda items and the decision that goes up a step.
        from . import escalation

        escalation.register()

        # Compliance reports: their agenda items and the decision that adopts one.
        from . import compliance_reports

        compliance_reports.register()
