"""Finding and reusing case studies from outside the portal.

- feeds.py: Atom feeds of new and changed case studies, for the whole list or any filter
  state of /case-studies/ (the same CaseStudyFilter parameters);
- sitemaps.py and views.py: sitemap.xml of the public pages and robots.txt;
- metadata.py: canonical addresses (full addresses come from casestudies/addresses.py), a case
  study's Open Graph and schema.org description and citation. The template tags in
  casestudies/templatetags/discovery.py put them on pages.

Everything here starts from `CaseStudy.objects.published()` (or `Resource.objects.published()`).
"""
