from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from secretariat.imports import ImportKind, ImportOption, register, register_option
        from secretariat.roles import register_domain_app

        from . import access, cases, resources

        access.register_rules()
        # Who is told of each event (notifications), and the daily reminders (the schedule).
        from secretariat.schedule import register_job

        from . import events, reminders

        events.register_events()
        register_job("reminders", reminders.scheduled_job)
        # Whole rounds' compilations, prepared by the worker (secretariat.documents).
        from secretariat import documents

        from .compilation.documents import COMPILATION

        documents.register(COMPILATION)
        cases.register()
        register_domain_app("monitoring", api_read=("monitoringround", "question", "submission", "reply"))
        register_option(
            ImportOption(
                "round",
                resources.round_option_field,
                type=int,
                help="number of the monitoring round, for a file without a round column",
            )
        )

        register(
            ImportKind(
                "rounds",
                _("Monitoring rounds"),
                resources.RoundResource,
                "monitoring.change_monitoringround",
                "admin:monitoring_monitoringround_changelist",
                order=40,
            )
        )
        register(
            ImportKind(
                "questionnaire",
                _("Questionnaires"),
                resources.QuestionnaireResource,
                "monitoring.change_question",
                "admin:monitoring_question_changelist",
                options=("round",),
                order=45,
            )
        )
        register(
            ImportKind(
                "replies",
                _("Replies"),
                resources.ReplyResource,
                "monitoring.add_submission",
                "admin:monitoring_submission_changelist",
                options=("round",),
                order=50,
            )
        )

        # The app's sections of a Party's case file, and their placeholders in letters.
        from . import case_file, letters

        case_file.register()
        letters.register()

        # What a round brings to the Committee's meetings: state of play, Parties late with replies.
        from . import meeting_items

        meeting_items.register()
