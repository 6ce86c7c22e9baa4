"""The admin's workflow pages for a case study: the move buttons and their pages, the preview,
and the history (versions to view, compare and revert to) under the same rules."""

import contextlib

import reversion
from csp.decorators import csp
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from reversion.errors import RevertError
from reversion.models import Version
from reversion.utils import mute_signals
from reversion_compare.admin import CompareVersionAdmin

from councils.stale_forms import StaleFormCheck, VersionField, read_stamp, stamp
from editorial.roles import Scope

from .. import workflow
from ..changes import changes_between, changes_between_versions
from ..models import CaseStudy


class WorkflowForm(forms.Form):
    """The comment that goes with a move; required when returning an entry to its author."""

    comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="Kept in the entry's history, and shown to its author.",
    )

    # The entry as the person saw it when they opened the page (councils.stale_forms).
    seen_version = VersionField(required=False)

    def __init__(self, *args, comment_required=False, case_study=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_version"].initial = stamp(case_study)
        if comment_required:
            self.fields["comment"].required = True
            self.fields[
                "comment"
            ].help_text = "Say what the author needs to change. They see this on their start page."


STALE_MOVE_ADVICE = "Check the changes, then confirm again if you still want to do this."

# Moves the change form's buttons do not make at once: after saving, their own page asks for
# the comment (return) or a confirmation (archive: the public page goes).
CONFIRMED_ON_THEIR_PAGE = frozenset({"return", "archive"})
# A move the change form's buttons never make: a proposed update copies the published entry as
# it is, so saving the form first would change the public page at once. It stays a link.
NEVER_AFTER_SAVING = frozenset({"propose_update"})


class WorkflowAdmin(StaleFormCheck, CompareVersionAdmin):
    """Versions (django-reversion-compare) and the workflow, for CaseStudyAdmin."""

    history_latest_first = True
    compare_template = "admin/casestudies/casestudy/compare.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/workflow/<slug:action>/",
                self.admin_site.admin_view(self.workflow_view),
                name="{}_{}_workflow".format(*info),
            ),
            path(
                "<path:object_id>/changes/",
                self.admin_site.admin_view(self.changes_view),
                name="{}_{}_changes".format(*info),
            ),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="{}_{}_preview".format(*info),
            ),
            *super().get_urls(),
        ]

    def visible_object(self, request, object_id):
        obj = super().get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No case study that you can see has this number.")
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The change form. Its workflow buttons (submit, publish…) are buttons of the form
        named `_workflow`: the form is checked and saved first, then the move is made, so
        nothing typed is lost. With errors, nothing is saved or moved and the errors show.
        For someone who may not change the entry the moves stay links to their pages."""
        obj = super().get_object(request, unquote(object_id))
        extra = {}
        action = request.POST.get("_workflow") if request.method == "POST" else None
        if obj is not None:
            actions = obj.permitted_actions(request.user)
            saves_first = "change" in actions
            if action is not None and (
                action not in workflow.MOVES
                or action not in actions
                or action in NEVER_AFTER_SAVING
            ):
                raise PermissionDenied
            moves = [(name, move.label) for name, move in workflow.MOVES.items() if name in actions]
            # Someone who may change the entry gets the moves as buttons that save the form
            # first; the rest (and anyone who may not change it) as links to their own pages.
            extra = {
                "workflow_buttons": [
                    move for move in moves if saves_first and move[0] not in NEVER_AFTER_SAVING
                ],
                "workflow_links": [
                    move for move in moves if not saves_first or move[0] in NEVER_AFTER_SAVING
                ],
                "returned": obj.last_return(),
                "pending_update": obj.pending_update if obj.has_pending_update() else None,
            }
        response = super().change_view(
            request, object_id, form_url, {**extra, **(extra_context or {})}
        )
        saved = getattr(request, "saved_before_move", None)
        if saved is not None:
            # The form's version is recorded; the move makes its own (workflow.case_study_move).
            return self.move_after_saving(request, saved, action)
        return response

    def response_change(self, request, obj):
        if "_workflow" in request.POST:
            request.saved_before_move = obj
            # change_view answers instead, once the save's version is recorded.
            return redirect("admin:casestudies_casestudy_change", obj.pk)
        return super().response_change(request, obj)

    def move_after_saving(self, request, case_study, action):
        move = workflow.MOVES[action]
        its_page = redirect("admin:casestudies_casestudy_workflow", case_study.pk, action)
        if action in CONFIRMED_ON_THEIR_PAGE:
            messages.info(request, f"Your changes were saved. Now confirm: {move.label.lower()}.")
            return its_page
        try:
            step = workflow.case_study_move(case_study=case_study, by=request.user, action=action)
        except (ValidationError, PermissionDenied) as error:
            reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
            messages.warning(
                request,
                " ".join([f"Your changes were saved, but not: {move.label.lower()}.", *reasons]),
            )
            return its_page
        messages.success(
            request, f"Your changes were saved. Done: {move.label.lower()} – “{step.case_study}”."
        )
        return redirect("admin:casestudies_casestudy_change", step.case_study.pk)

    def workflow_view(self, request, object_id, action):
        case_study = self.visible_object(request, object_id)
        move = workflow.MOVES.get(action)
        if move is None:
            raise Http404("No such workflow step.")
        if action not in case_study.permitted_actions(request.user):
            raise PermissionDenied
        form = WorkflowForm(
            request.POST or None,
            comment_required=bool(move.comment_required),
            case_study=case_study,
        )
        if request.method == "POST" and form.is_valid():
            opened_at, seen = read_stamp(form.cleaned_data["seen_version"])
            try:
                step = workflow.case_study_move(
                    case_study=case_study,
                    by=request.user,
                    action=action,
                    comment=form.cleaned_data["comment"],
                    seen_version=seen or None,  # none from a post that is not this page's
                )
            except workflow.StaleMove as error:
                # Show what changed; the page shown again carries the entry as it is now, so
                # confirming again makes the move.
                case_study = self.visible_object(request, object_id)
                form.data = form.data.copy()
                form.data["seen_version"] = stamp(case_study)
                changes = self.describe_changes(case_study, opened_at) if opened_at else []
                form.add_error(None, [*error.messages, *changes, STALE_MOVE_ADVICE])
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, f"Done: {move.label.lower()} – “{step.case_study}”.")
                return redirect("admin:casestudies_casestudy_change", step.case_study.pk)
        missing = case_study.missing_for_publication() if action in {"submit", "publish"} else []
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": case_study,
            "title": f"{move.label}: {case_study}",
            "action_label": move.label,
            "explanation": move.explanation,
            "missing": missing,
            "blocked": action == "publish" and bool(missing),
            "form": form,
        }
        return TemplateResponse(request, "admin/casestudies/casestudy/workflow.html", context)

    @csp(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    def preview_view(self, request, object_id):
        """The public page of any entry this person may work on, marked as a preview: the one
        place content that is not published is shown as the public would see it, under the public
        pages' policy (so an image from another host in the Markdown is not loaded)."""
        case_study = self.visible_object(request, object_id)
        case_study = CaseStudy.objects.with_page_data().get(pk=case_study.pk)
        response = TemplateResponse(
            request,
            "casestudies/case_study_detail.html",
            {
                "case_study": case_study,
                "preview": True,
                "breadcrumbs": [
                    (reverse("admin:casestudies_casestudy_change", args=[case_study.pk]), "Editor")
                ],
            },
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    # History: viewing, comparing and reverting versions follow the same rules as the entry.
    # Every page takes only versions of the case study in its address (django-reversion looks
    # them up by number alone); a revert restores the case study and its own parts, nothing
    # else, and never its workflow state (workflow.reverting, workflow.restore).

    def get_object(self, request, object_id, from_field=None):
        return workflow.keep_workflow_state(super().get_object(request, object_id, from_field))

    def save_model(self, request, obj, form, change):
        super().save_model(request, workflow.keep_workflow_state(obj, saving=True), form, change)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        case_study = self.visible_object(request, object_id)
        if "revert" not in case_study.permitted_actions(request.user):
            raise PermissionDenied
        version = get_object_or_404(workflow.case_study_versions(case_study.pk), pk=version_id)
        context = {"title": f"Revert {version.object_repr}", "revert": True}
        template = self.revision_form_template or self._reversion_get_template_list(
            "revision_form.html"
        )
        return self.restore_view(request, version, template, {**context, **(extra_context or {})})

    def recover_view(self, request, version_id, extra_context=None):
        if not Scope.of(request.user).is_admin:
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_for_model(CaseStudy), pk=version_id)
        if CaseStudy.objects.filter(pk=version.object_id).exists():
            raise Http404("This case study was not deleted: go back to a version in its history.")
        context = {"title": f"Recover {version.object_repr}", "recover": True}
        template = self.recover_form_template or self._reversion_get_template_list(
            "recover_form.html"
        )
        return self.restore_view(request, version, template, {**context, **(extra_context or {})})

    def restore_view(self, request, version, template, context):
        """The case study's form as it was in `version`: only shown on GET (nothing kept), and
        kept on POST only when the form saves it. In place of django-reversion's view, which
        restores every object of the version's revision."""
        muted = (
            mute_signals(pre_save, post_save, pre_delete, post_delete, m2m_changed)
            if request.method == "GET"
            else contextlib.nullcontext()
        )
        case_study_id = version.object_id
        try:
            with transaction.atomic(), muted, workflow.reverting(case_study_id) as revert:
                workflow.restore(revert, version.revision)
                with self.create_revision(request):
                    response = self.changeform_view(
                        request, quote(case_study_id), request.path, context
                    )
                    if request.method == "POST" and response.status_code == 302 and revert.saved:
                        saved_on = localize(template_localtime(version.revision.date_created))
                        reversion.set_comment(f"Reverted to previous version, saved on {saved_on}")
                    elif response.status_code == 200:
                        response.template_name = template
                        response.render()  # with the restored content, before the rollback
                        raise _Shown(response)
                    else:
                        raise RevertError(
                            "You cannot open or save this version: nothing was changed."
                        )
        except (RevertError, ProtectedError) as error:
            messages.error(request, str(error))
            return redirect("admin:casestudies_casestudy_changelist")
        except _Shown as shown:
            return shown.response
        return response

    def _reversion_revisionform_view(self, *args, **kwargs):
        # django-reversion's revert of a whole revision: never used here (see restore_view).
        raise NotImplementedError("Case studies are restored by restore_view.")

    def compare_view(self, request, object_id, extra_context=None):
        # django-reversion-compare takes both versions from this entry's own (by kind and id).
        self.visible_object(request, object_id)
        return super().compare_view(request, object_id, extra_context)

    def compare(self, obj, version1, version2):
        """What changed between two versions, in plain words and list by list
        (casestudies/changes.py), for the compare page: in place of django-reversion-compare's
        field-by-field comparison, which names the fields as the code does."""
        changes = changes_between_versions(obj.pk, version1.revision, version2.revision)
        return changes, False

    def changes_view(self, request, object_id):
        """What a proposed update changes in the published entry it belongs to."""
        update = self.visible_object(request, object_id)
        if update.update_of_id is None:
            raise Http404("This case study is not a proposed update of a published one.")
        published, update = (
            CaseStudy.objects.with_page_data().get(pk=pk) for pk in (update.update_of_id, update.pk)
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": update,
            "published": published,
            "title": f"What changed against the published version: {update}",
            "changes": changes_between(published, update),
        }
        return TemplateResponse(request, "admin/casestudies/casestudy/changes.html", context)

    def changelist_view(self, request, extra_context=None):
        can_recover = Scope.of(request.user).is_admin
        return super().changelist_view(
            request, {"can_recover": can_recover, **(extra_context or {})}
        )

    def recoverlist_view(self, request, extra_context=None):
        if not Scope.of(request.user).is_admin:
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)


class _Shown(Exception):
    """A version's form was shown: undo the restore behind it, keep the page."""

    def __init__(self, response):
        super().__init__()
        self.response = response
