"""Keeping case studies' search text current: every change to text that is searched with a
case study asks for its refresh on commit (`search.refresh_search_text_on_commit`), so a save
that touches an entry, its lists and its councils recomputes it once.

Bulk writes send no signals: the seed loader, the report importer and the workflow ask for the
refresh themselves.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from councils.models import Council, Organisation

from .models import CaseStudy, Contact, Point, Quote
from .search import EVERY_CASE_STUDY, refresh_search_text_on_commit


@receiver(post_save, sender=CaseStudy)
def case_study_saved(sender, instance, **kwargs):
    refresh_search_text_on_commit([instance.pk])


@receiver(post_save, sender=Point)
@receiver(post_save, sender=Contact)
@receiver(post_save, sender=Quote)
@receiver(post_delete, sender=Point)
@receiver(post_delete, sender=Contact)
@receiver(post_delete, sender=Quote)
def searched_part_changed(sender, instance, **kwargs):
    refresh_search_text_on_commit([instance.case_study_id])


@receiver(m2m_changed, sender=CaseStudy.councils.through)
@receiver(m2m_changed, sender=CaseStudy.organisations.through)
def case_study_names_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        refresh_search_text_on_commit([instance.pk])
    else:
        # Changed from the council's or organisation's side: `pk_set` holds case studies
        # (None after a clear, when every case study that had it may have changed).
        refresh_search_text_on_commit(EVERY_CASE_STUDY if pk_set is None else pk_set)


@receiver(post_save, sender=Council)
@receiver(post_save, sender=Organisation)
def place_or_partner_saved(sender, instance, created, **kwargs):
    """Case studies are found by their councils' and partners' names."""
    if not created:
        refresh_search_text_on_commit(instance.case_studies.values_list("pk", flat=True))
