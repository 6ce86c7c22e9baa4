"""Keeps search text current when a case study's councils or organisations change outside the
admin (the admin refreshes it explicitly in `CaseStudyAdmin.save_related`). See the
`CaseStudy` docstring for every place that refreshes it."""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import CaseStudy


@receiver(m2m_changed, sender=CaseStudy.councils.through)
@receiver(m2m_changed, sender=CaseStudy.organisations.through)
def case_study_names_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:
        # Changed from the council's or organisation's side: `pk_set` holds case studies
        # (None after a clear, when every case study that had it may have changed).
        changed = CaseStudy.objects.filter(pk__in=pk_set) if pk_set else CaseStudy.objects.all()
    else:
        changed = CaseStudy.objects.filter(pk=instance.pk)
    changed.refresh_search_vector()
