"""A compiled report as an A4 PDF, drawn by WeasyPrint from the print-ready page's template.

WeasyPrint needs Pango and fonts from the system (see the Dockerfile and README). Without
them, `pdf_available()` is False and the form offers no PDF: nothing else depends on them.
"""

from django.contrib.staticfiles import finders
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


def render_pdf(report, *, base_url):
    """The report as the bytes of a tagged A4 PDF: page numbers in the margin, its headings
    as bookmarks, a contents page with page numbers."""
    weasyprint = weasyprint_module()
    html = render_to_string("casestudies/compiled/report_pdf.html", {"report": report})
    stylesheet = weasyprint.CSS(filename=finders.find(STYLESHEET))
    return weasyprint.HTML(string=html, base_url=base_url).write_pdf(
        stylesheets=[stylesheet], pdf_tags=True
    )
