"""What the portal's forms share."""

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

MARKDOWN_HELP = _("Markdown: *italics*, **bold**, lists with “-”, links. HTML is cleaned before it is shown.")


class WithAttachment:
    """Form mixin: an optional `attachment` file (and `attachment_title`), checked by the attachment
    model's own validators (type, content, size) before anything is saved."""

    attachment_model: type[Model]
    attachment_parent: str  # the foreign key the attachment gets once its parent is saved

    # Where a model's errors go on the form.
    MODEL_ERROR_FIELDS = {"file": "attachment", "title": "attachment_title"}

    def checked_attachment(self, cleaned: dict) -> Model | None:
        upload = cleaned.get("attachment")
        if not upload:
            return None
        attachment = self.attachment_model(file=upload, title=cleaned.get("attachment_title", ""))
        try:
            attachment.full_clean(exclude=[self.attachment_parent])
        except ValidationError as error:
            self.add_model_errors(error)
            return None
        return attachment

    def add_model_errors(self, error: ValidationError) -> None:
        """Show a model's (or a service's) validation errors next to the matching fields."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            field = self.MODEL_ERROR_FIELDS.get(name, name)
            self.add_error(field if field in self.fields else None, messages)
