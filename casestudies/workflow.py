"""The editorial workflow: the moves of a case study from one state to another.

Every move has one shape. `case_study_move(case_study=…, by=…, action=…, comment=…)` locks the
entry, checks that the person may make the move (`CaseStudy.permitted_actions`: their role's
permission and the councils or regions they cover), makes it, records a `Transition` and a
version in the entry's history, all in one transaction, and returns the Transition. Its
`case_study` is the entry to show next: the update draft after "propose an update", the
published entry after publishing an update.

`MOVES` describes each move for the screens that offer it (the admin's buttons and pages).

A revert to an earlier version changes the content of the case study and its parts, never
its workflow state nor any other object: see `reverting` and `restore`.
"""

import contextlib
import contextvars
import dataclasses
from collections.abc import Callable

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from reversion.errors import RevertError
from reversion.models import Version

from councils.stale_forms import version_of

from .models import CaseStudy, Status, Transition
from .search import refresh_search_text_on_commit


class WorkflowError(ValidationError):
    """A move that cannot be made now, with a message to show the editor."""


class StaleMove(WorkflowError):
    """The entry changed since the person opened the move's page: they have not seen it as it is."""


@dataclasses.dataclass(frozen=True)
class Move:
    """One move an editor can make, as the screens offer it."""

    label: str  # the button's words
    explanation: str  # what happens, in plain words
    make: Callable  # (case_study, *, by, comment) -> Transition; runs locked and checked
    comment_required: str = ""  # if set, what to say when the comment is missing


def _step(case_study, *, action, from_status, to_status, by, comment):
    """Write the workflow step: who moved the entry, when, from where to where, and why."""
    return Transition.objects.create(
        case_study=case_study,
        action=action,
        from_status=from_status,
        to_status=to_status,
        by=by,
        comment=comment,
    )


def _record(case_study, *, by, action, to_status, comment):
    """Put the entry in its new state and write the workflow step."""
    from_status = case_study.status
    case_study.status = to_status
    case_study.save()
    return _step(
        case_study,
        action=action,
        from_status=from_status,
        to_status=to_status,
        by=by,
        comment=comment,
    )


def _to(to_status, action):
    """A move that only changes the entry's state."""

    def make(case_study, *, by, comment):
        return _record(case_study, by=by, action=action, to_status=to_status, comment=comment)

    return make


def _publish(case_study, *, by, comment):
    """The entry goes public. An update draft instead replaces the content of the published
    entry it belongs to, which keeps its web address (see `_publish_update`)."""
    missing = case_study.missing_for_publication()
    if missing:
        raise WorkflowError(
            "This case study cannot be published yet. It needs: " + "; ".join(missing) + "."
        )
    if case_study.update_of_id is not None:
        return _publish_update(case_study, by=by, comment=comment)
    if case_study.published_on is None:
        case_study.published_on = timezone.localdate()
    return _record(
        case_study,
        by=by,
        action=Transition.Action.PUBLISH,
        to_status=Status.PUBLISHED,
        comment=comment,
    )


def _hand_over(source, target):
    """Give `target` the content, linked records and parts of `source`: everything an editor
    writes, nothing of its identity or workflow. Parts move in bulk, without signals."""
    for field in CaseStudy.content_fields():
        setattr(target, field.attname, getattr(source, field.attname))
    target.save()
    for name in CaseStudy.LINKS:
        getattr(target, name).set(getattr(source, name).all())
    refresh_search_text_on_commit([target.pk])


def _publish_update(update, *, by, comment):
    """The update's content replaces the published entry's; the update is then removed. Its
    workflow steps move to the entry, and its versions stay in the history."""
    original = (
        CaseStudy.objects.select_for_update(of=("self",))
        .select_related("region")
        .prefetch_related("councils")
        .get(pk=update.update_of_id)
    )
    if original.status == Status.ARCHIVED:
        raise WorkflowError(
            f"“{original}” was archived after this update was proposed, so the update cannot "
            "be published: it would stay archived. Publish the entry again first, then this "
            "update. Until then the update stays a draft."
        )
    if "change" not in original.permitted_actions(by):
        # The update's region may have been moved; the published entry's has not.
        raise WorkflowError(
            f"Only a lead of {original.region} can publish this update: the published entry "
            "is in that region."
        )
    update.last_reviewed_on = timezone.localdate()
    _hand_over(update, original)
    for model in CaseStudy.part_models():
        model.objects.filter(case_study=original).delete()
        model.objects.filter(case_study=update).update(case_study=original)
    Transition.objects.filter(case_study=update).update(case_study=original)
    step = _step(
        original,
        action=Transition.Action.PUBLISH_UPDATE,
        from_status=update.status,
        to_status=Status.PUBLISHED,
        by=by,
        comment=comment,
    )
    update.delete()
    return step


def _propose_update(original, *, by, comment):
    """A draft copy of a published entry, to change and send for review while the public keeps
    seeing the published version."""
    update = CaseStudy(
        slug=f"{original.slug[:100]}-update-{original.pk}",
        status=Status.DRAFT,
        update_of=original,
        published_on=original.published_on,
    )
    _hand_over(original, update)
    for model in CaseStudy.part_models():
        copies = list(model.objects.filter(case_study=original))
        for item in copies:
            item.pk = None
            item._state.adding = True
            item.case_study = update
        model.objects.bulk_create(copies)
    return _step(
        update,
        action=Transition.Action.PROPOSE_UPDATE,
        from_status=Status.PUBLISHED,
        to_status=Status.DRAFT,
        by=by,
        comment=comment,
    )


MOVES = {
    "submit": Move(
        "Submit for review",
        "A regional lead will check it and publish it, or return it to you with a comment. "
        "You cannot change it while it is in review.",
        _to(Status.IN_REVIEW, Transition.Action.SUBMIT),
    ),
    "publish": Move(
        "Publish",
        "It will appear on the public site. An update replaces the published entry's content "
        "and keeps its web address.",
        _publish,
    ),
    "return": Move(
        "Return to the author",
        "It goes back to its author as a draft, with your comment.",
        _to(Status.DRAFT, Transition.Action.RETURN),
        comment_required="Say what the author needs to change: the comment is required.",
    ),
    "archive": Move(
        "Archive",
        "It leaves the public lists and search. Its web address will say it is archived.",
        _to(Status.ARCHIVED, Transition.Action.ARCHIVE),
    ),
    "propose_update": Move(
        "Propose an update",
        "You get a draft copy to change. The public keeps seeing the published version until "
        "a regional lead publishes your update.",
        _propose_update,
    ),
}


def case_study_move(*, case_study, by, action, comment="", seen_version=None):
    """Make one workflow move (a key of `MOVES`) and return the `Transition` recorded.

    Raises PermissionDenied if the person may not make it now, WorkflowError if it cannot be
    made as asked (a missing comment, an entry not ready to publish), StaleMove if
    `seen_version` (the entry's `version_of` when the person chose the move) is given and the
    entry has changed since; then nothing changes.
    """
    move = MOVES[action]
    if move.comment_required and not comment.strip():
        raise WorkflowError(move.comment_required)
    with transaction.atomic(), reversion.create_revision():
        # Re-read under a row lock, so two people cannot move the entry at once.
        case_study = (
            CaseStudy.objects.select_for_update(of=("self",))
            .prefetch_related("councils", "points", "contacts")
            .get(pk=case_study.pk)
        )
        if action not in case_study.permitted_actions(by):
            raise PermissionDenied(f"You cannot {move.label.lower()} “{case_study}”.")
        if seen_version is not None and version_of(case_study) != seen_version:
            raise StaleMove(
                f"Someone else changed “{case_study}” since you opened this page, so nothing "
                "has been done."
            )
        step = move.make(case_study, by=by, comment=comment)
        reversion.add_to_revision(step.case_study)
        reversion.set_user(by)
        reversion.set_comment(step.get_action_display())
        return step


# Reverting to an earlier version --------------------------------------------------------------
#
# django-reversion's own revert restores every version in a revision, whatever object it is of,
# and writes the old row back whole. Here a revert restores the case study and its own parts
# only, and keeps the entry's workflow state and identity (`CaseStudy.WORKFLOW_FIELDS`).


@dataclasses.dataclass
class Revert:
    """A revert (or recovery) under way: the entry, its workflow state now (empty when it was
    deleted) and whether the editor's form has saved it."""

    case_study_id: int
    kept: dict
    saved: bool = False


_reverting = contextvars.ContextVar("reverting", default=None)


def case_study_versions(case_study_id):
    """The versions of one case study: never those of another kind of object that happens to
    have the same number (django-reversion looks a version up by number alone)."""
    return Version.objects.get_for_object_reference(CaseStudy, case_study_id)


@contextlib.contextmanager
def reverting(case_study_id):
    """While an earlier version of the case study is restored and its form shown or saved,
    `keep_workflow_state` gives the entry its current workflow state again."""
    current = CaseStudy.objects.filter(pk=case_study_id).first()
    attnames = [CaseStudy._meta.get_field(name).attname for name in CaseStudy.WORKFLOW_FIELDS]
    kept = {name: getattr(current, name) for name in attnames} if current else {}
    revert = Revert(int(case_study_id), kept)
    token = _reverting.set(revert)
    try:
        yield revert
    finally:
        _reverting.reset(token)


def keep_workflow_state(case_study, *, saving=False):
    """`case_study`, with its workflow state put back if it is being reverted (see above).
    `saving`: the editor's form is saving it, which makes the revert one to keep."""
    revert = _reverting.get()
    if case_study is not None and revert is not None and revert.case_study_id == case_study.pk:
        for name, value in revert.kept.items():
            setattr(case_study, name, value)
        if saving:
            revert.saved = True
    return case_study


def own_versions(case_study_id, revision):
    """The versions in `revision` of the case study and of its own parts: what a revert to it
    restores. Versions of any other object in the same revision are left out."""
    pk = str(case_study_id)
    content_types = ContentType.objects.get_for_models(CaseStudy, *CaseStudy.part_models())
    versions = []
    for version in revision.version_set.filter(content_type__in=content_types.values()):
        if version._model is CaseStudy:
            if version.object_id == pk:
                versions.append(version)
        elif str(version.field_dict["case_study_id"]) == pk:
            versions.append(version)
    return versions


def restore(revert, revision):
    """Put the case study of `revert` and its parts back as they were in `revision`.

    Its workflow state stays as it is now (a deleted entry being recovered comes back as it
    was). Its parts are replaced by those of the version; a part that now belongs to another
    entry is left alone. Nothing else changes. Raises RevertError if it cannot be done."""
    versions = own_versions(revert.case_study_id, revision)
    entries = [version for version in versions if version._model is CaseStudy]
    if not entries:
        raise RevertError("This version does not hold the case study.")
    try:
        with transaction.atomic():
            restored = entries[0]._object_version
            for name, value in revert.kept.items():
                setattr(restored.object, name, value)
            restored.save()
            for model in CaseStudy.part_models():
                model.objects.filter(case_study_id=revert.case_study_id).delete()
            for version in versions:
                if version._model is CaseStudy:
                    continue
                if version._model.objects.filter(pk=version.object_id).exists():
                    continue  # it belongs to another entry now
                version.revert()
    except (IntegrityError, ObjectDoesNotExist) as error:
        raise RevertError(
            f"“{entries[0].object_repr}” cannot be put back as it was then: {error}"
        ) from error
