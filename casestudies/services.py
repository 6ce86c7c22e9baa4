"""The editorial workflow: moves of a case study from one state to another.

Each move checks that the person may make it (`CaseStudy.permitted_actions`), changes the
entry, records a `Transition` and a new version in its history, all in one transaction.
"""

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import CaseStudy, Contact, Link, Point, Quote, Status, Transition

# What an update draft hands over to the published entry when it is published: everything
# an editor writes, and nothing that belongs to the entry's identity or workflow.
NOT_COPIED = {"id", "slug", "status", "update_of", "published_on", "created_at", "updated_at"}
RELATED_LISTS = [Point, Contact, Link, Quote]
MANY_TO_MANY = ["councils", "organisations", "topics", "people", "approaches"]


class WorkflowError(ValidationError):
    """A move that cannot be made now, with a message to show the editor."""


def _check(case_study, by, action):
    if action not in case_study.permitted_actions(by):
        raise PermissionDenied(f"You cannot {action.replace('_', ' ')} “{case_study}”.")


def _locked(case_study):
    """The entry re-read under a row lock, so two people cannot move it at once."""
    return (
        CaseStudy.objects.select_for_update(of=("self",))
        .prefetch_related("councils", "points", "contacts")
        .get(pk=case_study.pk)
    )


def _move(*, case_study, by, action, to_status, comment, revision_comment):
    from_status = case_study.status
    case_study.status = to_status
    case_study.save()
    step = Transition.objects.create(
        case_study=case_study,
        action=action,
        from_status=from_status,
        to_status=to_status,
        by=by,
        comment=comment,
    )
    reversion.add_to_revision(case_study)
    reversion.set_user(by)
    reversion.set_comment(revision_comment)
    return step


@transaction.atomic
def case_study_submit(*, case_study, by, comment=""):
    """A draft goes to its region's leads for review."""
    with reversion.create_revision():
        case_study = _locked(case_study)
        _check(case_study, by, "submit")
        return _move(
            case_study=case_study,
            by=by,
            action=Transition.Action.SUBMIT,
            to_status=Status.IN_REVIEW,
            comment=comment,
            revision_comment="Submitted for review",
        )


@transaction.atomic
def case_study_return(*, case_study, by, comment=""):
    """A submission goes back to its author as a draft, with a comment saying what to fix."""
    if not comment.strip():
        raise WorkflowError("Say what the author needs to change: the comment is required.")
    with reversion.create_revision():
        case_study = _locked(case_study)
        _check(case_study, by, "return")
        return _move(
            case_study=case_study,
            by=by,
            action=Transition.Action.RETURN,
            to_status=Status.DRAFT,
            comment=comment,
            revision_comment="Returned to the author",
        )


@transaction.atomic
def case_study_archive(*, case_study, by, comment=""):
    """The entry leaves public lists and search; its page says it is archived."""
    with reversion.create_revision():
        case_study = _locked(case_study)
        _check(case_study, by, "archive")
        return _move(
            case_study=case_study,
            by=by,
            action=Transition.Action.ARCHIVE,
            to_status=Status.ARCHIVED,
            comment=comment,
            revision_comment="Archived",
        )


@transaction.atomic
def case_study_publish(*, case_study, by, comment=""):
    """The entry goes public. An update draft instead replaces the content of the published
    entry it belongs to (which keeps its web address) and is then removed; its workflow
    steps move to that entry and its versions stay in the history."""
    with reversion.create_revision():
        case_study = _locked(case_study)
        _check(case_study, by, "publish")
        missing = case_study.can_be_published()
        if missing:
            raise WorkflowError(
                "This case study cannot be published yet. It needs: " + "; ".join(missing) + "."
            )
        if case_study.update_of_id is None:
            if case_study.published_on is None:
                case_study.published_on = timezone.localdate()
            return _move(
                case_study=case_study,
                by=by,
                action=Transition.Action.PUBLISH,
                to_status=Status.PUBLISHED,
                comment=comment,
                revision_comment="Published",
            )
        return _publish_update(update=case_study, by=by, comment=comment)


def _publish_update(*, update, by, comment):
    original = CaseStudy.objects.select_for_update(of=("self",)).get(pk=update.update_of_id)
    for field in CaseStudy._meta.concrete_fields:
        if field.name not in NOT_COPIED:
            setattr(original, field.attname, getattr(update, field.attname))
    original.last_reviewed_on = timezone.localdate()
    original.save()
    for name in MANY_TO_MANY:
        getattr(original, name).set(getattr(update, name).all())
    for model in RELATED_LISTS:
        model.objects.filter(case_study=original).delete()
        model.objects.filter(case_study=update).update(case_study=original)
    Transition.objects.filter(case_study=update).update(case_study=original)
    step = Transition.objects.create(
        case_study=original,
        action=Transition.Action.PUBLISH_UPDATE,
        from_status=update.status,
        to_status=Status.PUBLISHED,
        by=by,
        comment=comment,
    )
    update.delete()
    reversion.add_to_revision(original)
    reversion.set_user(by)
    reversion.set_comment("Published an update")
    return step


@transaction.atomic
def case_study_propose_update(*, case_study, by, comment=""):
    """A draft copy of a published entry, to change and send for review while the public
    keeps seeing the published version. Returns the draft."""
    with reversion.create_revision():
        original = _locked(case_study)
        _check(original, by, "propose_update")
        update = CaseStudy.objects.get(pk=original.pk)
        update.pk = None
        update._state.adding = True
        update.slug = f"{original.slug[:100]}-update-{original.pk}"
        update.status = Status.DRAFT
        update.update_of = original
        update.save()
        for name in MANY_TO_MANY:
            getattr(update, name).set(getattr(original, name).all())
        for model in RELATED_LISTS:
            copies = list(model.objects.filter(case_study=original))
            for item in copies:
                item.pk = None
                item._state.adding = True
                item.case_study = update
            model.objects.bulk_create(copies)
        Transition.objects.create(
            case_study=update,
            action=Transition.Action.PROPOSE_UPDATE,
            from_status=Status.PUBLISHED,
            to_status=Status.DRAFT,
            by=by,
            comment=comment,
        )
        reversion.add_to_revision(update)
        reversion.set_user(by)
        reversion.set_comment(f"Update of “{original}” proposed")
        return update
