"""Form fields shared by the admin and the editors' pages."""

from django import forms
from django.db import models


class TextWithLineBreaks(forms.CharField):
    """Text typed in a text box. Browsers send its line breaks as CR LF: stored as LF, as the
    seed content and imports store them, so saving a form unchanged changes nothing."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


# For a ModelAdmin's `formfield_overrides`: every text box of a form.
TEXT_BOXES = {models.TextField: {"form_class": TextWithLineBreaks}}


def formfield(db_field, **kwargs):
    """A model form's field for `db_field` (a ModelForm's `Meta.formfield_callback`): text
    boxes keep their line breaks as LF."""
    return db_field.formfield(**{**TEXT_BOXES.get(type(db_field), {}), **kwargs})
