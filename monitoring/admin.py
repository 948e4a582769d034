from django.contrib import admin

from secretariat.admin_base import ScopedAdmin

from .models import MonitoringRound, Question, Section, Submission


@admin.register(MonitoringRound)
class MonitoringRoundAdmin(ScopedAdmin):
    list_display = ["number", "title_en", "status", "launch_date", "reply_deadline"]
    search_fields = ["title_en", "title_fr", "theme_en"]
    filter_horizontal = ["parties"]


@admin.register(Section)
class SectionAdmin(ScopedAdmin):
    list_display = ["round", "order", "title_en", "title_fr"]
    list_select_related = ["round"]


@admin.register(Question)
class QuestionAdmin(ScopedAdmin):
    list_display = ["ref", "kind", "round", "section", "text_en"]
    list_filter = ["round", "kind", "section"]
    list_select_related = ["round", "section"]
    search_fields = ["ref", "text_en", "text_fr"]


@admin.register(Submission)
class SubmissionAdmin(ScopedAdmin):
    list_display = ["__str__", "status", "deadline", "registered_at"]
    list_filter = ["round", "status"]
    list_select_related = ["round", "party", "organisation"]
    search_fields = ["party__name_en", "party__code", "organisation__name"]
