"""Column layouts for CSV/XLSX import and export (django-import-export).

The Party layout is the one of fixtures/parties.csv, so the reference file, the admin
import and the `load_reference` command read Parties the same way.
"""

import datetime

from import_export import fields, resources, widgets

from .models import ConventionArticle, Document, Organisation, Party, User


class YesNoWidget(widgets.BooleanWidget):
    TRUE_VALUES = [*widgets.BooleanWidget.TRUE_VALUES, "yes", "Yes", "YES", "oui"]
    FALSE_VALUES = [*widgets.BooleanWidget.FALSE_VALUES, "no", "No", "NO", "non"]

    def clean(self, value, row=None, **kwargs):
        if value in self.NULL_VALUES:
            return False
        if value not in self.TRUE_VALUES and value not in self.FALSE_VALUES:
            raise ValueError(f"“{value}” is not yes or no.")
        return value in self.TRUE_VALUES

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class MonthOrDateWidget(widgets.DateWidget):
    """Reads 2019-10 as 1 October 2019, and full ISO dates as themselves."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str) and len(value.strip()) == 7:
            try:
                return datetime.date.fromisoformat(value.strip() + "-01")
            except ValueError:
                raise ValueError(f"“{value}” is not a month such as 2019-10.") from None
        return super().clean(value, row, **kwargs)


def _treaty(attribute: str, column: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column)


class PartyResource(resources.ModelResource):
    coe_member = fields.Field(attribute="coe_member", column_name="coe_member", widget=YesNoWidget())
    lanzarote = _treaty("lanzarote_status", "lanzarote")
    budapest = _treaty("budapest_status", "budapest")
    uncrc = _treaty("uncrc_status", "uncrc")
    opsc = _treaty("opsc_status", "opsc")
    weprotect = fields.Field(attribute="weprotect_member", column_name="weprotect", widget=YesNoWidget())
    as_of = fields.Field(attribute="statuses_as_of", column_name="as_of", widget=MonthOrDateWidget())

    class Meta:
        model = Party
        import_id_fields = ["code"]
        fields = [
            "code",
            "name_en",
            "name_fr",
            "coe_member",
            "lanzarote",
            "budapest",
            "uncrc",
            "opsc",
            "weprotect",
            "as_of",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False


class OrganisationResource(resources.ModelResource):
    party = fields.Field(
        attribute="party", column_name="party", widget=widgets.ForeignKeyWidget(Party, "code")
    )

    class Meta:
        model = Organisation
        import_id_fields = ["name"]
        fields = ["name", "name_fr", "kind", "party", "website", "email"]
        clean_model_instances = True


class UserResource(resources.ModelResource):
    """Exports people without secrets: never the password hash."""

    party = fields.Field(
        attribute="party", column_name="party", widget=widgets.ForeignKeyWidget(Party, "code")
    )
    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation",
        widget=widgets.ForeignKeyWidget(Organisation, "name"),
    )

    class Meta:
        model = User
        import_id_fields = ["username"]
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "party",
            "organisation",
            "is_active",
        ]


class ConventionArticleResource(resources.ModelResource):
    class Meta:
        model = ConventionArticle
        import_id_fields = ["number"]
        fields = ["number", "title_en", "title_fr"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False


class DocumentResource(resources.ModelResource):
    party = fields.Field(
        attribute="party", column_name="party", widget=widgets.ForeignKeyWidget(Party, "code")
    )
    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation",
        widget=widgets.ForeignKeyWidget(Organisation, "name"),
    )

    class Meta:
        model = Document
        import_id_fields = ["reference"]
        fields = ["reference", "title", "kind", "date", "language", "url", "party", "organisation"]
        clean_model_instances = True
