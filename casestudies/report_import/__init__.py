"""Reading case studies out of a report: a `.txt`, `.md`, `.docx`, `.pdf` (its text layer) or
`.html` (a saved web page) file, in any publisher's house style.

- `reading.py`: a file's bytes to paragraph lines (`read_report_file`), each a heading, a
  bullet or text, a heading with its level where the format gives one; `pdf_text.py` reads a
  PDF's text layer with pypdf (lines rejoined into paragraphs, running headers, footers and
  page numbers dropped, headings by font size, bullets by their markers), `web_page.py` a
  saved web page with the standard library's HTML parser (headings, list items, paragraphs;
  scripts, styles, comments, navigation, footers, asides and cookie banners left out; only
  the main part when the page marks one; each table row one line);
- `headings.py`: the vocabulary of headings that name each part of a case study (`Role`,
  `Vocabulary`), built in and added to by site administrators (models.HeadingPhrase), with the
  choices a lead made for a publisher's headings (models.HeadingChoice);
- `parsing.py`: lines to the case studies found (`parse_report`), by the document's structure;
- `service.py`: found case studies to drafts, in one transaction (`report_import`);
- `admin.py`: the admin's upload, preview and confirm page;
- the command `import_report` is a thin wrapper around the same functions.

A file is read within limits (paragraphs, characters, a Word document's unpacked size, a
PDF's pages: see reading.py and pdf_text.py) and a report within a number of case studies
(service.py). Drafts go only where the person importing may place them, each as the first
version in its history; the preview makes every check the import makes, so what previews
imports.

Headings are read by meaning (headings.py): "What has helped?", "Enablers" and "What were the
conditions for success?" all open the conditions list. Case studies are found by structure
(parsing.parse_report tries, in turn): where headings carry levels, the level whose headings
repeat with list headings under them; a collection under council headings (below);
programmes told side by side under shared topic headings; one project in a whole document.
The document's opening text (`ParsedReport.preamble`) belongs to its publication. A heading
no phrase or choice names stays in the story as a subheading and is listed for the lead.

The collection layout, in the order a report prints it:

- optionally a *Contents* page: council headings, each followed by "page-number Title" lines;
- for each case study: the council's name as a heading (repeated above each case study, or
  only above the first of that council's case studies), in any spelling the portal knows the
  council by ("Essex CC", "Thurrock Borough Council": councils.names.NameIndex; a name two
  councils go by is not guessed, and a council that was replaced is named as printed), the
  title, a one-line standfirst, the narrative, then lists under question headings ("What was
  the learning that supported success?", "What were the conditions for success?" or
  "enablers", "What were the barriers?" or "challenges", or one combined "barriers and
  conditions" list), "Contact:" lines and "Further information:" links.

A section with a title but none of those lists (such as Norfolk's overview of its principles)
is not a case study: its text is kept, as unplaced text, on the next case study's editor notes.
The portal's own compiled reports are read more closely: a section that ends with the report's
"Source: ... On the portal: <address>" line is a case study even without lists, a title the
contents page lists is a title even where it reads like a council's name, and a list heading
printed as "<question> (<own words>)" is that question's list, headed in the own words.
A list heading that is a chapter on the contents page or an appendix is the document's, not
one project's. A document with no lists at all (a collection of stories) yields no case
studies; the report says so and why, and nothing is imported.

Nothing is dropped. Text that fits no field — page numbers, a contact line without a name or
address, text under a heading the lead chose to leave out — is returned as unplaced text for
the editor to deal with.
"""
