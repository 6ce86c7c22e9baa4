"""The forms of the guided submission: one small form per page, in plain words.

Labels and help are written for a council officer who has never seen the admin. The examples
quote published case studies of the seed content word for word (a test checks them against
fixtures/content/).
"""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone

from councils.models import Council, Organisation, Region
from editorial.roles import region_is_kept, scope_place_problem

from .. import form_fields
from ..models import Approach, CaseStudy, Contact, Link, PeopleGroup, Point, Quote, Topic

SUMMARY_AIM = 200  # characters: what "one sentence" means for the summary

# Short examples from published case studies: (the words, the case study they come from).
EXAMPLES = {
    "title": ("Redesign of Direct Payment Support offer", "Essex County Council"),
    "summary": (
        "Using the Working Together for Change approach, Essex County Council and partners "
        "improved the delivery of the All-Age Autism Strategy via the All-Age Autism "
        "Partnership.",
        "Refresh of the Essex All Age Autism Partnership",
    ),
    "learning": (
        "The Working Together for Change facilitation training that some of the team undertook.",
        "Refresh of the Essex All Age Autism Partnership",
    ),
    "conditions": (
        "Willingness to listen and accept criticism the council deliberately sought people who "
        "had negative experiences as they felt they had the biggest desire to see the service "
        "improve.",
        "Redesign of Direct Payment Support offer",
    ),
    "barriers": (
        "Timescales and governance the timescales for decision making and procurement processes "
        "add additional time pressure which impacts upon the time to build relationships and "
        "discuss ideas and options.",
        "Redesign of Direct Payment Support offer",
    ),
}


def example(name):
    """The example for `name`, as a sentence for the page."""
    words, source = EXAMPLES[name]
    return f"For example, from “{source}”: “{words}”"


def summary_note(standfirst):
    """How long the summary is, against the aim of one sentence."""
    if not standfirst:
        return ""
    note = f"Your summary has {len(standfirst)} characters."
    if len(standfirst) > SUMMARY_AIM:
        note += f" That is more than {SUMMARY_AIM}: try to say it in one shorter sentence."
    return note


class GovukForm(forms.ModelForm):
    """Gives each field the GOV.UK Frontend classes, and points it at its hint and error."""

    class Meta:
        # Each form's Meta extends this one: text boxes store line breaks as the admin does.
        formfield_callback = form_fields.formfield

    CLASSES = {
        forms.Textarea: "govuk-textarea",
        forms.Select: "govuk-select",
        forms.TextInput: "govuk-input",
        forms.EmailInput: "govuk-input",
        forms.URLInput: "govuk-input",
    }
    # The month and year of a GOV.UK date input: two and four characters wide.
    DATE_PARTS = {
        "started_month": " govuk-date-input__input govuk-input--width-2",
        "started_year": " govuk-date-input__input govuk-input--width-4",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_field_attrs()

    def set_field_attrs(self):
        for name, field in self.fields.items():
            bound = self[name]
            css = self.CLASSES.get(type(field.widget))
            if css:
                field.widget.attrs["class"] = css + self.DATE_PARTS.get(name, "")
            described = [f"{bound.auto_id}-hint"] if field.help_text else []
            if self._errors and name in self._errors:  # once cleaned
                described.append(f"{bound.auto_id}-error")
                if css:
                    field.widget.attrs["class"] += f" {css}--error"
            if described and not isinstance(field.widget, forms.RadioSelect | forms.SelectMultiple):
                field.widget.attrs["aria-describedby"] = " ".join(described)

    def full_clean(self):
        super().full_clean()
        self.set_field_attrs()


class PlaceChoice(forms.ChoiceField):
    """Whose case study a new one is: one of the person's councils, or one of their regions."""

    @staticmethod
    def options(scope):
        councils = Council.objects.filter(pk__in=scope.officer_council_ids).select_related("region")
        regions = Region.objects.all()
        if not scope.is_admin:
            regions = regions.filter(pk__in=scope.lead_region_ids)
        return [(f"council-{c.pk}", c.name) for c in councils] + [
            (f"region-{r.pk}", f"{r.name} (a regional programme)") for r in regions
        ]


class AboutForm(GovukForm):
    """About the work: title, one-sentence summary, stage, when it started."""

    started_month = forms.IntegerField(
        label="Month",
        required=False,
        min_value=1,
        max_value=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    started_year = forms.IntegerField(
        label="Year",
        required=False,
        min_value=1950,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    class Meta(GovukForm.Meta):
        model = CaseStudy
        fields = ["title", "standfirst", "stage"]
        labels = {
            "title": "Title",
            "standfirst": "Summary in one sentence",
            "stage": "How far along is the work?",
        }
        help_texts = {
            "title": (
                "A short name for the work. For example: “{}”, a published case study from {}."
            ).format(*EXAMPLES["title"]),
            "standfirst": (
                "Say what happened and who was involved. It appears under the title and in "
                f"lists of case studies. Aim for one sentence, under {SUMMARY_AIM} characters. "
                + example("summary")
            ),
            "stage": "",
        }
        error_messages = {
            "title": {"required": "Enter a title"},
            "standfirst": {"required": "Enter a summary in one sentence"},
        }
        widgets = {"standfirst": forms.Textarea(attrs={"rows": 3}), "stage": forms.RadioSelect}

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        started = self.instance.started_on
        if started and not self.is_bound:
            self.initial.update(started_month=started.month, started_year=started.year)
        if self.instance._state.adding:
            options = PlaceChoice.options(scope)
            # With one council or region to choose from, nothing to ask.
            self.only_place = options[0] if len(options) == 1 else None
            if self.only_place is None:
                self.fields["place"] = PlaceChoice(
                    label="Whose work is it?",
                    help_text="You can name more councils and partners later.",
                    choices=options,
                    widget=forms.RadioSelect,
                    error_messages={"required": "Choose whose work it is"},
                )

    def clean(self):
        cleaned = super().clean()
        month, year = cleaned.get("started_month"), cleaned.get("started_year")
        if (month is None) != (year is None) and not self.has_error("started_year"):
            self.add_error(
                "started_month",
                "Enter both the month and the year the work started, or leave both empty",
            )
        self.instance.started_on = datetime.date(year, month, 1) if month and year else None
        return cleaned

    def summary_note(self):
        """Once saved, how long the summary is."""
        return "" if self.is_bound else summary_note(self.instance.standfirst)

    def place(self):
        """(region, councils) from the new entry's "Whose work is it?" answer."""
        choice = self.only_place[0] if self.only_place else self.cleaned_data["place"]
        kind, _, pk = choice.partition("-")
        if kind == "council":
            council = Council.objects.select_related("region").get(pk=pk)
            return council.region, [council]
        return Region.objects.get(pk=pk), []


class TermsField(forms.ModelMultipleChoiceField):
    """Ticked from a list; each option's description is shown under it (see the template)."""

    widget = forms.CheckboxSelectMultiple


class PlacesForm(GovukForm):
    """Councils and partners, checked against what the person covers like the admin's form."""

    class Meta(GovukForm.Meta):
        model = CaseStudy
        fields = ["region", "councils", "organisations"]
        labels = {
            "region": "Region",
            "councils": "Councils that did the work",
            "organisations": "Partner organisations",
        }
        help_texts = {
            "region": "The region of England the work happened in.",
            "councils": (
                "Tick every council that did the work. Tick none only for a regional programme."
            ),
            "organisations": "Groups that worked with the councils, such as Healthwatch.",
        }
        field_classes = {"councils": TermsField, "organisations": TermsField}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        case_study = self.instance
        self.kept_region = case_study.update_of.region if case_study.update_of_id else None
        if region_is_kept(scope, kept_region=self.kept_region):
            del self.fields["region"]
        else:
            self.fields["region"].empty_label = None
        # The councils of the entry's region, and any it already names elsewhere.
        self.fields["councils"].queryset = Council.objects.filter(
            Q(region_id=case_study.region_id) | Q(case_studies=case_study)
        ).distinct()
        self.fields["organisations"].queryset = Organisation.objects.all()

    def clean(self):
        cleaned = super().clean()
        region = cleaned.get("region", self.kept_region)
        problem = scope_place_problem(
            self.scope,
            region=region,
            councils=cleaned.get("councils") or [],
            kept_region=self.kept_region,
        )
        if problem:
            field, message = problem
            # At the field it is about; an update's region is not on the form.
            self.add_error(field if field in self.fields else "councils", message)
        return cleaned


class PeopleForm(GovukForm):
    """Who took part and how: people, approaches, topics, ticked from the vocabulary."""

    class Meta(GovukForm.Meta):
        model = CaseStudy
        fields = ["people", "approaches", "topics"]
        labels = {
            "people": "Who took part?",
            "approaches": "How did people work together?",
            "topics": "What was the work about?",
        }
        help_texts = {
            "people": "Tick everyone who took part as well as council staff.",
            "approaches": "Tick the ways of working you used.",
            "topics": "Tick every topic that fits. People find case studies by these.",
        }
        field_classes = {"people": TermsField, "approaches": TermsField, "topics": TermsField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, model in (("people", PeopleGroup), ("approaches", Approach), ("topics", Topic)):
            self.fields[name].queryset = model.objects.all()


class StoryForm(GovukForm):
    """The story, in the organisation's own words."""

    class Meta(GovukForm.Meta):
        model = CaseStudy
        fields = ["narrative"]
        labels = {"narrative": "The story"}
        help_texts = {
            "narrative": (
                "What was done, with whom, and what changed. Leave an empty line between "
                "paragraphs. Start a line with “- ” for a bulleted list, or with “## ” for a "
                "subheading."
            )
        }
        widgets = {"narrative": forms.Textarea(attrs={"rows": 15})}


class PointForm(GovukForm):
    class Meta(GovukForm.Meta):
        model = Point
        fields = ["text"]
        labels = {"text": "The point"}
        help_texts = {"text": "One point in a sentence or two."}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": {"required": "Enter the point"}}


class ContactForm(GovukForm):
    """A contact, with consent asked as a question; a yes records today's date."""

    agreed = forms.TypedChoiceField(
        label=(
            "Has this person agreed that their name and details can be published on the portal?"
        ),
        help_text=(
            "If you answer yes, today's date is recorded as the date they agreed. If you answer "
            "no, their details are kept for the regional lead but never published."
        ),
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda answer: answer == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether this person has agreed to be published"},
    )

    class Meta(GovukForm.Meta):
        model = Contact
        fields = ["name", "role", "organisation", "email", "phone"]
        labels = {
            "name": "Name",
            "role": "Job title",
            "organisation": "Organisation",
            "email": "Email address",
            "phone": "Phone number",
        }
        help_texts = {"name": "Leave empty for a shared mailbox, and give its email address."}
        error_messages = {
            "email": {"invalid": "Enter an email address in the right form, like name@example.org"}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            self.initial.setdefault("agreed", "yes" if self.instance.may_be_published else "no")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("name") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("name", "Enter a name or an email address")
        return cleaned

    def save(self, commit=True):
        contact = self.instance
        if not self.cleaned_data["agreed"]:
            contact.consent, contact.last_verified_on = Contact.Consent.NOT_GIVEN, None
        elif not (contact.may_be_published and contact.last_verified_on):
            contact.consent = Contact.Consent.GIVEN
            contact.last_verified_on = timezone.localdate()
        return super().save(commit)


class LinkForm(GovukForm):
    class Meta(GovukForm.Meta):
        model = Link
        fields = ["title", "url"]
        labels = {"title": "What the link is called", "url": "Web address"}
        help_texts = {"url": "Starting with https://. Leave empty if it has none."}
        error_messages = {
            "title": {"required": "Enter what the link is called"},
            "url": {"invalid": "Enter a web address starting with https://"},
        }


class QuoteForm(GovukForm):
    class Meta(GovukForm.Meta):
        model = Quote
        fields = ["text", "attribution"]
        labels = {"text": "The words", "attribution": "Who said it"}
        help_texts = {
            "text": "Words from someone who took part, exactly as they said or wrote them.",
            "attribution": (
                "As they agreed to be named, such as “A carer”. Leave empty to name no one."
            ),
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": {"required": "Enter the words"}}
