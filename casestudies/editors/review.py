"""Review for regional leads: the queue of entries waiting for review in their regions, and the
review page of one, where they return it to its author with a comment or publish it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Max, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from councils.stale_forms import VersionField, read_stamp, stamp
from editorial.roles import Scope

from .. import workflow
from ..changes import changes_between
from ..models import CaseStudy, Status, Transition
from .access import editor_required, refused

NOT_A_REVIEWER = (
    "Only regional leads and site administrators review case studies. If you think you "
    "should review the case studies of your region, ask a site administrator."
)


class ReviewForm(forms.Form):
    """A lead's decision on an entry in review: return it with a comment, or publish it."""

    action = forms.ChoiceField(choices=[("return", "Return"), ("publish", "Publish")])
    comment = forms.CharField(
        label="Your comment",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "class": "govuk-textarea"}),
    )
    # The entry as the lead saw it when they opened the page (councils.stale_forms).
    seen_version = VersionField(required=False)

    def clean(self):
        data = super().clean()
        move = workflow.MOVES.get(data.get("action"))
        if move and move.comment_required and not data.get("comment", "").strip():
            self.add_error("comment", move.comment_required)
        return data


def _reviewable(user):
    """The entries this person reviews: every region's for a site administrator, their
    regions' for a lead. None if they review nothing (an officer)."""
    scope = Scope.of(user)
    if scope.is_admin:
        return CaseStudy.objects.all()
    if scope.is_lead:
        return CaseStudy.objects.filter(region_id__in=scope.lead_region_ids)
    return None


def _refused(request):
    return refused(request, title="You cannot review case studies", message=NOT_A_REVIEWER)


@editor_required
def review_queue(request):
    """Entries in review in the person's regions, the longest waiting first."""
    reviewable = _reviewable(request.user)
    if reviewable is None:
        return _refused(request)
    submit = Transition.Action.SUBMIT
    submissions = Transition.objects.filter(action=submit).select_related("by")
    entries = (
        reviewable.awaiting_review()
        .annotate(submitted_at=Max("transitions__at", filter=Q(transitions__action=submit)))
        .select_related("region", "update_of")
        .prefetch_related("councils", Prefetch("transitions", submissions, to_attr="submissions"))
        # Never recorded as sent (put in review by a spreadsheet import): waiting longest.
        .order_by(F("submitted_at").asc(nulls_first=True), "pk")
    )
    # Workflow steps come latest first (Transition.Meta.ordering): the last time it was sent.
    rows = [(entry, next(iter(entry.submissions), None)) for entry in entries]
    return TemplateResponse(request, "editors/review_queue.html", {"rows": rows})


@editor_required
def review(request, pk):
    """One entry in review: as it will be published, what changed against the published
    version if it is an update, its history, and the lead's decision."""
    reviewable = _reviewable(request.user)
    if reviewable is None:
        return _refused(request)
    case_study = _entry(reviewable, pk)
    form = ReviewForm(request.POST or None, initial={"seen_version": stamp(case_study)})
    if request.method == "POST" and form.is_valid():
        try:
            step = _decide(request, case_study, form.cleaned_data)
        except workflow.StaleMove as error:
            case_study = _entry(reviewable, pk)
            form = ReviewForm({**form.data.dict(), "seen_version": stamp(case_study)})
            form.is_valid()
            form.add_error(None, [*error.messages, SEE_IT_AS_IT_IS])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"“{step.case_study}” has been {DONE[step.action]}.")
            return redirect("editors:review-queue")
    published = None
    if case_study.update_of_id is not None:
        published = CaseStudy.objects.with_page_data().get(pk=case_study.update_of_id)
    actions = _decisions(case_study, request.user)
    context = {
        "case_study": case_study,
        "form": form,
        "changes": changes_between(published, case_study) if published else None,
        "published": published,
        "history": case_study.transitions.select_related("by"),
        "missing": case_study.missing_for_publication(),
        "can_return": "return" in actions,
        "can_publish": "publish" in actions,
        "breadcrumbs": [(reverse("editors:review-queue"), "Review")],
    }
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "editors/review.html", context, status=status)


SEE_IT_AS_IT_IS = "This page now shows it as it is: check it, then choose again."
DONE = {
    Transition.Action.RETURN: "returned to its author",
    Transition.Action.PUBLISH: "published",
    Transition.Action.PUBLISH_UPDATE: "published: the update replaced the published version",
}


def _decisions(case_study, user):
    """The decisions offered on this page: return or publish an entry in review. (The admin
    keeps the workflow's other moves, such as publishing a draft straight away.)"""
    if case_study.status != Status.IN_REVIEW:
        return frozenset()
    return case_study.permitted_actions(user) & {"return", "publish"}


def _decide(request, case_study, data):
    """Make the lead's decision through the workflow; raises WorkflowError if it cannot be."""
    if data["action"] not in _decisions(case_study, request.user):
        raise workflow.WorkflowError(
            f"“{case_study}” is not waiting for your review, so nothing has been done."
        )
    _, seen = read_stamp(data["seen_version"])
    return workflow.case_study_move(
        case_study=case_study,
        by=request.user,
        action=data["action"],
        comment=data["comment"],
        seen_version=seen or None,
    )


def _entry(reviewable, pk):
    case_study = reviewable.with_page_data().filter(pk=pk).first()
    if case_study is None:
        raise Http404("No case study in your regions has this number.")
    return case_study
