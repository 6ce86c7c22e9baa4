"""The admin's "View on site" address (/admin/r/<type>/<number>/), for public pages only.

Django's own view (django.contrib.contenttypes.views.shortcut) redirects any editor to the
address of any object, a draft's too: that address carries the draft's slug, made from its
title. Here the redirect is given only for what the public can see: of the records that are
published or not (case studies, resources), the published ones.
"""

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.http import Http404


def public_view_on_site(request, content_type_id, object_id):
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type else None
    if model is None:
        raise Http404("There is no such kind of record.")
    records = model._default_manager.all()
    if hasattr(records, "published"):
        records = records.published()
    try:
        public = records.filter(pk=object_id).exists()
    except (ValueError, ValidationError):
        public = False
    if not public:
        raise Http404("There is no public page for this record.")
    return shortcut(request, content_type_id, object_id)
