"""The read-only JSON API at /api/: the published content, for other sites and researchers.

serializers.py says what each record shows (never drafts, editors' notes or contacts without
consent: every queryset starts from `published()`); views.py the endpoints, with the case
study list's own FilterSet (casestudies.filters.CaseStudyFilter), pages and a rate limit;
docs.py the documentation page, written from the OpenAPI schema so the two cannot differ.
"""
