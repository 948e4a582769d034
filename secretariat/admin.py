from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from . import access, admin_api_tokens, admin_cases, admin_documents, admin_meetings, services  # noqa: F401 - they register their admins
from .admin_base import ReadOnlyInline, ScopedAdmin
from .admin_correspondence import party_urls  # the correspondence log, letters, the case file
from .models import ConventionArticle, Document, Organisation, Party, User
from .resources import DocumentResource, UserResource  # the others export with their import kind

# The worker's queue is followed through each import's own page (ImportJob), scoped to its author.
admin.site.unregister(DBTaskResult)

admin.site.site_header = _("Lanzarote Back Office")
admin.site.site_title = _("Lanzarote Back Office")
admin.site.index_title = _("Secretariat of the Lanzarote Committee")


class UserInline(ReadOnlyInline):
    model = User
    fields = ["username", "first_name", "last_name", "email", "role", "is_active"]
    readonly_fields = fields


TREATY_STATUSES = [f"{treaty}_status" for treaty in Party.TREATIES]
#: The treaties as people abbreviate them: a column headed by a treaty's full name took a fifth
#: of a laptop's screen.
TREATY_SHORT_NAMES = {
    "lanzarote": _("Lanzarote"),
    "budapest": _("Budapest"),
    "uncrc": _("UNCRC"),
    "opsc": _("OPSC"),
}


def treaty_column(treaty: str):
    """A changelist column of a treaty's status, headed by the treaty's short name."""

    @admin.display(description=TREATY_SHORT_NAMES[treaty], ordering=f"{treaty}_status")
    def column(party: Party) -> str:
        return getattr(party, f"get_{treaty}_status_display")()

    column.__name__ = f"{treaty}_column"
    return column


@admin.register(Party)
class PartyAdmin(ScopedAdmin):
    # The name in the page's language, the treaties by their short names; the date the statuses
    # were recorded is on the change page.
    list_display = [
        "code",
        "name",
        "coe_member_column",
        *(treaty_column(treaty) for treaty in Party.TREATIES),
        "weprotect_column",
    ]
    list_display_links = ["code", "name"]
    list_filter = ["coe_member", *TREATY_STATUSES, "weprotect_member"]
    search_fields = ["code", "name_en", "name_fr"]
    fieldsets = [
        (None, {"fields": ["code", "name_en", "name_fr", "coe_member", "weprotect_member"]}),
        (
            _("Treaty statuses"),
            {
                "fields": [
                    *((f"{treaty}_status", f"{treaty}_date") for treaty in Party.TREATIES),
                    "statuses_as_of",
                ]
            },
        ),
    ]
    inlines = [UserInline]

    def get_urls(self):
        return [*party_urls(self.admin_site), *super().get_urls()]

    @admin.display(description=_("name"), ordering="name_en")
    def name(self, obj):
        return obj.name

    @admin.display(description=_("CoE"), boolean=True, ordering="coe_member")
    def coe_member_column(self, obj):
        return obj.coe_member

    @admin.display(description=_("WeProtect"), boolean=True, ordering="weprotect_member")
    def weprotect_column(self, obj):
        return obj.weprotect_member


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    list_display = ["name", "kind", "party", "website"]
    list_filter = ["kind", "party"]
    list_select_related = ["party"]
    search_fields = ["name", "name_fr", "party__name_en", "party__code"]
    autocomplete_fields = ["party"]
    inlines = [UserInline]


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    resource_classes = [UserResource]
    list_display = [
        "username",
        "full_name",
        "email",
        "role",
        "affiliation",
        "is_active",
    ]
    list_filter = ["role", "is_active", "party"]
    list_select_related = ["party", "organisation"]
    search_fields = ["username", "first_name", "last_name", "email", "party__code", "organisation__name"]

    # One column for the name and one for the Party or organisation (a user has one or neither),
    # so that the list fits a laptop's screen beside its filters.
    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj):
        return obj.get_full_name() or "—"

    @admin.display(description=_("Party or organisation"))
    def affiliation(self, obj):
        return obj.organisation or obj.party or "—"

    autocomplete_fields = ["party", "organisation"]
    readonly_fields = ["last_login", "date_joined", "groups"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Role"), {"fields": ["role", "party", "organisation", "is_active", "groups"]}),
        (_("Notifications"), {"fields": ["language", "email_frequency"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "usable_password", "password1", "password2"]}),
        (_("Role"), {"fields": ["role", "party", "organisation", "email"]}),
    ]


@admin.register(ConventionArticle)
class ConventionArticleAdmin(ScopedAdmin):
    list_display = ["number", "title_en", "title_fr"]
    search_fields = ["=number", "title_en", "title_fr"]


@admin.register(Document)
class DocumentAdmin(ScopedAdmin):
    resource_classes = [DocumentResource]
    # The language is a filter, the Party or organisation one column: the list fits a laptop's screen.
    list_display = ["reference", "title", "kind", "date", "owner", "open_link"]
    list_filter = ["kind", "language", "date", "party"]
    list_select_related = ["party", "organisation"]
    search_fields = ["reference", "title", "party__code", "party__name_en", "organisation__name"]
    autocomplete_fields = ["party", "organisation"]
    date_hierarchy = "date"
    fields = ["reference", "title", "kind", "date", "language", "file", "url", "party", "organisation"]

    def get_readonly_fields(self, request, obj=None):
        # Only the Secretariat files documents for any Party; others file for their own.
        if access.is_secretariat(request.user):
            return []
        return ["party", "organisation"]

    def save_model(self, request, obj, form, change):
        services.document_assign_owner(document=obj, by=request.user)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("Party or organisation"))
    def owner(self, obj):
        return obj.organisation or obj.party or "—"

    @admin.display(description=_("open"))
    def open_link(self, obj):
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', obj.link, _("open"))


# Sign-in security (audit log, lock-outs, second factors): Secretariat administrators only.
from . import admin_security  # noqa: E402, F401
