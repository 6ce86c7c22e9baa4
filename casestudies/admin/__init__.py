"""The editors' admin for case studies and what they refer to.

- case_study.py: the case study form, its lists and the row-level rules;
- workflow.py: the workflow's buttons and pages, the preview, and the history of versions;
- spreadsheet.py: CSV export and import of case studies;
- reference.py: vocabulary, source publications and resources.

The report importer's page is in casestudies/report_import/admin.py.
"""

from . import case_study, reference  # noqa: F401 - registers the admin classes
