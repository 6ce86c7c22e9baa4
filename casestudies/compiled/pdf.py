"""A compiled report as an A4 PDF, drawn by WeasyPrint from the print-ready page's template.

WeasyPrint needs Pango and fonts from the system (see the Dockerfile and README). Without
them, `pdf_available()` is False and the form offers no PDF: nothing else depends on them.

WeasyPrint fetches what a page refers to (images, stylesheets). A story may hold an image of
any address, so the PDF fetches only the portal's own static files and data: addresses, and
never anything over the network: a story must not make the server call other machines.
"""

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string

STYLESHEET = "css/compiled-report.css"


def weasyprint_module():
    """WeasyPrint, or None where it or its system libraries are missing."""
    try:
        import weasyprint
    except (ImportError, OSError):  # OSError: Pango or its friends not installed
        return None
    return weasyprint


def pdf_available():
    return weasyprint_module() is not None


def static_roots():
    """The folders the portal's static files are found in, and STATIC_ROOT."""
    roots = [Path(settings.STATIC_ROOT)]
    for finder in finders.get_finders():
        roots += [Path(storage.location) for storage in getattr(finder, "storages", {}).values()]
    return [root.resolve() for root in roots]


def static_file(url):
    """The path of the portal's static file at `url` (a file: address inside a static folder,
    or the portal's own /static/ address), or None for any other address."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        path = Path(url2pathname(parts.path)).resolve()
        roots = static_roots()
        inside = any(path == root or root in path.parents for root in roots)
        return path if inside and path.is_file() else None
    site = urlsplit(settings.SITE_URL)
    own_site = (parts.scheme, parts.netloc) == (site.scheme, site.netloc)
    static_prefix = site.path.rstrip("/") + "/" + settings.STATIC_URL
    if own_site and parts.path.startswith(static_prefix):
        try:
            found = finders.find(url2pathname(parts.path.removeprefix(static_prefix)))
        except SuspiciousFileOperation:  # "../" out of the static folders
            return None
        return Path(found) if found else None
    return None


def url_fetcher():
    """A WeasyPrint fetcher of data: addresses and the portal's static files only."""
    from weasyprint.urls import URLFetcher, path2url

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_file(url)
            if path is None:  # WeasyPrint logs this and leaves the image out
                raise ValueError(f"Not one of the portal's own files: {url}")
            return super().fetch(path2url(str(path)), headers)

    return StaticFilesOnly(allowed_protocols={"data", "file"}, allow_redirects=False)


def render_pdf(report):
    """The report as the bytes of a tagged A4 PDF: page numbers in the margin, its headings
    as bookmarks, a contents page with page numbers."""
    weasyprint = weasyprint_module()
    fetcher = url_fetcher()
    html = render_to_string("casestudies/compiled/report_pdf.html", {"report": report})
    stylesheet = weasyprint.CSS(filename=finders.find(STYLESHEET), url_fetcher=fetcher)
    document = weasyprint.HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], pdf_tags=True)
