"""Compiled reports: a list of published case studies as one document, laid out like the
regional collections the portal's content comes from.

- `content.py`: the report's content, built once from a queryset (`build_report`): a cover,
  contents grouped by council, then each case study;
- `word.py`: that content as a Word document (python-docx, with Word's own styles);
- `pdf.py`: the print-ready HTML page as an A4 PDF (WeasyPrint), if the server has its
  libraries;
- `views.py`: the form for the public list's filters and for an editor's hand-picked
  selection in the admin.

Only published case studies ever go in, and only contacts who may be published. The Word
document reads back with `import_report`: council headings, the title, the standfirst, the
narrative, the lists under their question headings, "Contact:" lines, "Further information:"
links, and a "Source:" line the importer keeps in the editor notes.
"""
