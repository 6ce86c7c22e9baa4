"""The report importer against hostile or mistaken input: whose regions it may write to, what
its preview may show, how much work one file may cause, and the first version of each draft."""

import io
import random
import string
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from casestudies.models import CaseStudy, Link, Status
from casestudies.report_import import admin as import_admin
from casestudies.report_import import reading
from casestudies.report_import.parsing import parse_contacts
from casestudies.report_import.reading import UnreadableReport, read_report_file
from casestudies.report_import.service import ReportImportError, report_import
from editorial.roles import COUNCIL_OFFICER
from tests.helpers import SYNTHETIC_REPORT, make_case_study, make_editor

IMPORT_URL = "admin:casestudies_casestudy_import_report"
WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SHROPSHIRE_REPORT = SYNTHETIC_REPORT.replace("Essex County Council", "Shropshire Council")


def upload(content, name="synthetic.txt", **fields):
    if isinstance(content, str):
        content = content.encode()
    return {"file": SimpleUploadedFile(name, content), **fields}


def lines_of(text):
    return read_report_file("synthetic.txt", text.encode())


@pytest.fixture
def lead_client(client, lead_east):
    client.force_login(lead_east)
    return client


# ------------------------------------------------------------------ whose regions (defect 4)


@pytest.mark.django_db
def test_lead_cannot_import_a_report_of_another_regions_councils(lead_client, essex, shropshire):
    preview = lead_client.post(reverse(IMPORT_URL), upload(SHROPSHIRE_REPORT))
    html = preview.content.decode()
    assert "in a region you do not cover (West Midlands)" in html
    assert "payload" not in preview.context
    # Nor through a signed preview made before (say, when the lead still covered the region).
    payload = import_admin.sign_payload("synthetic.txt", lines_of(SHROPSHIRE_REPORT), None, None)
    done = lead_client.post(reverse(IMPORT_URL), {"payload": payload})
    assert "Nothing was imported." in done.content.decode()
    assert CaseStudy.objects.count() == 0


@pytest.mark.django_db
def test_lead_cannot_choose_another_region_for_councils_not_in_the_portal(
    lead_client, east, west_midlands
):
    form = lead_client.get(reverse(IMPORT_URL)).context["form"]
    assert list(form.fields["region"].queryset) == [east]
    refused = lead_client.post(
        reverse(IMPORT_URL), upload(SYNTHETIC_REPORT, region=west_midlands.pk)
    )
    assert "Select a valid choice" in refused.content.decode()
    assert CaseStudy.objects.count() == 0
    accepted = lead_client.post(reverse(IMPORT_URL), upload(SYNTHETIC_REPORT, region=east.pk))
    assert "Create 2 drafts" in accepted.content.decode()


@pytest.mark.django_db
def test_preview_does_not_compare_with_another_regions_unpublished_entry(
    lead_client, essex, shropshire, publication
):
    hidden = make_case_study(
        title="Synthetic case study one: a test title",
        slug="west-midlands-secret-draft",
        region=shropshire.region,
        councils=[shropshire],
        status=Status.DRAFT,
        publication=publication,
        standfirst="An unpublished West Midlands summary.",
    )
    preview = lead_client.post(
        reverse(IMPORT_URL), upload(SYNTHETIC_REPORT, publication=publication.pk)
    )
    html = preview.content.decode()
    assert "west-midlands-secret-draft" not in html
    assert "An unpublished West Midlands summary." not in html
    assert "Already imported" not in html and "differs in" not in html
    # Not named, but not silently duplicated either (issue 10): skipped unless ticked.
    assert "1 case study you cannot see: not published" in html
    assert "Create 1 draft and any ticked" in html
    lead_client.post(reverse(IMPORT_URL), {"payload": preview.context["payload"], "allow": "1"})
    assert CaseStudy.objects.exclude(pk=hidden.pk).count() == 2
    hidden.refresh_from_db()
    assert hidden.standfirst == "An unpublished West Midlands summary."
    own = CaseStudy.objects.exclude(pk=hidden.pk)
    assert {case_study.region for case_study in own} == {essex.region}


@pytest.mark.django_db
def test_officer_given_the_import_permission_imports_only_for_their_councils(
    essex, shropshire, publication
):
    from django.contrib.auth.models import Permission

    officer = make_editor("officer.importer", COUNCIL_OFFICER, councils=[essex])
    officer.user_permissions.add(Permission.objects.get(codename="import_report"))
    with pytest.raises(ReportImportError, match="not one of your councils"):
        report_import(lines=lines_of(SHROPSHIRE_REPORT), source_name="s.txt", by=officer)
    result = report_import(lines=lines_of(SYNTHETIC_REPORT), source_name="s.txt", by=officer)
    assert len(result.created) == 2
    assert all(essex in outcome.case_study.councils.all() for outcome in result.created)


@pytest.mark.django_db
def test_the_command_imports_into_any_region(shropshire, tmp_path):
    report = tmp_path / "shropshire.txt"
    report.write_text(SHROPSHIRE_REPORT, encoding="utf-8")
    call_command("import_report", str(report))
    assert CaseStudy.objects.filter(region=shropshire.region).count() == 2


# ------------------------------------------------------------------ bounded work (defect 8)


def word_document(body_xml=None, *, replace=None, drop=()):
    """A .docx built here: python-docx's empty document with its body or parts replaced."""
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    parts = {}
    with zipfile.ZipFile(buffer) as source:
        for name in source.namelist():
            parts[name] = source.read(name)
    if body_xml is not None:
        parts["word/document.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{WORD}"><w:body>{body_xml}</w:body></w:document>'
        ).encode()
    parts.update(replace or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            if name not in drop:
                target.writestr(name, data)
    return out.getvalue()


def with_compression_method(data, method):
    """A zip with every member marked as compressed by `method` (local and central headers)."""
    data = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        position = data.find(signature)
        while position != -1:
            data[position + offset : position + offset + 2] = method.to_bytes(2, "little")
            position = data.find(signature, position + 4)
    return bytes(data)


def paragraphs(count, text="x"):
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" * count


@pytest.mark.django_db
def test_word_document_with_too_many_paragraphs_gets_a_plain_message(lead_client, essex):
    # 25,000 short paragraphs: a 40 KB file that took 46 seconds to read before the limit.
    data = word_document(paragraphs(25_000))
    assert len(data) < 100_000
    response = lead_client.post(reverse(IMPORT_URL), upload(data, "many.docx"))
    assert response.status_code == 200
    assert "more than 10,000 paragraphs" in response.content.decode()
    assert CaseStudy.objects.count() == 0


def test_word_styles_are_looked_up_once_per_document_not_per_paragraph(monkeypatch):
    from docx.styles.styles import Styles

    calls = []
    original = Styles.default
    monkeypatch.setattr(
        Styles, "default", lambda self, kind: calls.append(kind) or original(self, kind)
    )
    lines = read_report_file("plain.docx", word_document(paragraphs(500)))
    assert len(lines) == 500
    assert len(calls) <= 1


def test_empty_word_paragraphs_count_towards_the_limit():
    with pytest.raises(UnreadableReport, match="more than 10,000 paragraphs"):
        read_report_file("empty.docx", word_document("<w:p/>" * 10_001))


def test_table_cells_are_read_once_each():
    table = (
        "<w:tbl><w:tr><w:tc>"
        + paragraphs(1, "merged")
        + "</w:tc><w:tc>"
        + paragraphs(1, "beside")
        + "</w:tc></w:tr><w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr>"
        + paragraphs(1, "continued")
        + "</w:tc><w:tc>"
        + paragraphs(1, "below")
        + "</w:tc></w:tr></w:tbl>"
    )
    lines = read_report_file("table.docx", word_document(table))
    assert [line.text for line in lines] == ["merged", "beside", "continued", "below"]


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "lol">'
    + "".join(
        f'<!ENTITY {chr(98 + level)} "{("&" + chr(97 + level) + ";") * 10}">' for level in range(8)
    )
    + f']><w:document xmlns:w="{WORD}"><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p>'
    "</w:body></w:document>"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    f'<w:document xmlns:w="{WORD}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p>'
    "</w:body></w:document>"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 not a zip", "not a readable Word (.docx) document"),
        (lambda: word_document(drop={"word/document.xml"}), "not a readable Word"),
        (lambda: word_document(replace={"word/document.xml": b"<w:document"}), "damaged"),
        (lambda: word_document(replace={"word/styles.xml": b"<w:styles"}), "damaged"),
        (
            lambda: word_document(replace={"word/document.xml": BILLION_LAUGHS.encode()}),
            "damaged",
        ),
        (
            lambda: word_document(replace={"word/document.xml": EXTERNAL_ENTITY.encode()}),
            "has no text in it",
        ),
        (
            lambda: word_document(
                replace={"word/document.xml": f'<w:document xmlns:w="{WORD}"/>'.encode()}
            ),
            "has no text in it",
        ),
        (lambda: word_document("<w:p>" * 300 + "</w:p>" * 300), "damaged"),
        (lambda: with_compression_method(word_document(), 99), "not a readable Word"),
        (lambda: word_document(replace={"word/document.xml": b"<other/>"}), "damaged"),
        (lambda: word_document(replace={"word/styles.xml": b"<other/>"}), "damaged"),
        (lambda: word_document(replace={"[Content_Types].xml": b"<Types/>"}), "damaged"),
        (
            lambda: word_document("<w:p><w:pPr><w:pStyle/></w:pPr><w:r><w:t>x</w:t></w:r></w:p>"),
            "damaged",
        ),
        (
            # 60 MB of zeros squeezed into a small upload.
            lambda: word_document(replace={"word/media/zeros.bin": bytes(60 * 1024 * 1024)}),
            "too large once unpacked",
        ),
    ],
    ids=[
        "not-a-zip",
        "no-document-part",
        "bad-xml",
        "bad-styles",
        "billion-laughs",
        "external-entity",
        "no-body",
        "too-deep",
        "unknown-compression",
        "wrong-document-root",
        "wrong-styles-root",
        "wrong-content-types-root",
        "style-without-name",
        "zip-bomb",
    ],
)
def test_malformed_word_documents_get_a_plain_message(lead_client, essex, data, message):
    data = data() if callable(data) else data
    response = lead_client.post(reverse(IMPORT_URL), upload(data, "hostile.docx"))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "payload" not in response.context
    assert "root:" not in response.content.decode()  # /etc/passwd was never read


def test_damaged_word_documents_are_read_or_refused_with_a_plain_message():
    # Mutations of every XML part of a small document: each is read, or refused with the
    # importer's message; no other error escapes (a relationship without a target did).
    import docx

    document = docx.Document()
    document.add_paragraph("Essex County Council", style="Heading 1")
    document.add_paragraph("What were the barriers?")
    document.add_paragraph("A barrier.", style="List Bullet")
    document.add_table(rows=2, cols=2).cell(0, 0).merge(document.tables[0].cell(1, 0))
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml_parts = sorted(name for name in parts if name.endswith((".xml", ".rels")))
    rng = random.Random(9)
    outcomes = {"read": 0, "refused": 0}
    for _ in range(400):
        name = rng.choice(xml_parts)
        data = bytearray(parts[name])
        for _ in range(rng.randint(1, 3)):
            position = rng.randrange(len(data))
            change = rng.random()
            if change < 0.4:
                data[position] = ord(rng.choice(string.ascii_letters))
            elif change < 0.7:
                del data[position : position + rng.randint(1, 20)]
            else:
                data[position:position] = rng.choice([b"<", b">", b'"', b"&", b"<w:p>", b"<w:tc>"])
        damaged = io.BytesIO()
        with zipfile.ZipFile(damaged, "w") as target:
            for part, content in parts.items():
                target.writestr(part, bytes(data) if part == name else content)
        try:
            read_report_file("damaged.docx", damaged.getvalue())
        except UnreadableReport:
            outcomes["refused"] += 1
        else:
            outcomes["read"] += 1
    assert outcomes["refused"] > 50 and outcomes["read"] > 50


def test_contact_pattern_is_linear_on_a_long_line():
    # Before: quadratic, about 5 seconds (20 on the test server) for 64 KB with no "@".
    text = "a" * 65_536
    assert parse_contacts(text) == ([], [text])
    emails = " ".join(f"person{number}@example.org" for number in range(3_000))
    contacts, leftover = parse_contacts(emails)
    assert len(contacts) == 3_000 and leftover == []
    assert contacts[-1].email == "person2999@example.org"


@pytest.mark.django_db
def test_a_very_long_line_gets_a_plain_message(lead_client, essex):
    report = SYNTHETIC_REPORT + "\nContact: " + "a" * 65_536 + "\n"
    response = lead_client.post(reverse(IMPORT_URL), upload(report))
    assert "more than 10,000 characters" in response.content.decode()
    assert "payload" not in response.context


def test_text_files_are_bounded_in_paragraphs_and_characters():
    with pytest.raises(UnreadableReport, match="more than 10,000 paragraphs"):
        read_report_file("many.txt", b"x\n" * 10_001)
    wrapped = "- a bullet\n" + " continued\n" * 1_000
    with pytest.raises(UnreadableReport, match="more than 10,000 characters"):
        read_report_file("wrapped.txt", wrapped.encode())
    with pytest.raises(UnreadableReport, match="more than 1,000,000 characters"):
        read_report_file("long.txt", ("y" * 9_999 + "\n\n").encode() * 101)


@pytest.mark.django_db
def test_too_many_case_studies_in_one_file_are_refused(essex, monkeypatch):
    monkeypatch.setattr("casestudies.report_import.service.MAX_CASE_STUDIES", 1)
    with pytest.raises(ReportImportError, match="at most 1 case study at a time"):
        report_import(lines=lines_of(SYNTHETIC_REPORT), source_name="s.txt", by=None)
    assert CaseStudy.objects.count() == 0


# ------------------------------------------------------------------ a report that previews confirms


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda report: report.replace("https://example.org/synthetic", "<u></u>"),
            "further information link 2, title: This field cannot be blank.",
        ),
        (
            lambda report: report.replace("test.three@", "t" * 300 + "@"),
            "contact 1, email: Ensure this value has at most 254 characters",
        ),
        (
            lambda report: report.replace(
                "https://example.org/synthetic", "https://example.org/" + "p" * 600
            ),
            "further information link 2, web address: Ensure this value has at most 500",
        ),
    ],
    ids=["blank-link-title", "long-email", "long-address"],
)
def test_what_the_preview_accepts_the_confirm_step_stores(lead_client, essex, change, message):
    report = change(SYNTHETIC_REPORT)
    preview = lead_client.post(reverse(IMPORT_URL), upload(report))
    assert message in preview.content.decode()
    assert "payload" not in preview.context
    # A preview signed before this check is refused at confirm with the same message.
    payload = import_admin.sign_payload("synthetic.txt", lines_of(report), None, None)
    done = lead_client.post(reverse(IMPORT_URL), {"payload": payload})
    assert message in done.content.decode()
    assert CaseStudy.objects.count() == 0 and Link.objects.count() == 0


@pytest.mark.django_db
def test_a_preview_too_large_to_send_back_is_refused(lead_client, essex, monkeypatch):
    monkeypatch.setattr(import_admin, "MAX_PAYLOAD_CHARACTERS", 100)
    preview = lead_client.post(reverse(IMPORT_URL), upload(SYNTHETIC_REPORT))
    assert "too much text to import at once" in preview.content.decode()
    assert "payload" not in preview.context


def test_the_confirm_step_refuses_an_oversized_payload():
    form = import_admin.ConfirmForm({"payload": "x" * (import_admin.MAX_PAYLOAD_CHARACTERS + 1)})
    assert not form.is_valid()


@pytest.mark.django_db
def test_the_largest_text_file_makes_a_preview_that_can_be_confirmed(settings):
    # Text of random letters compresses worse than any report: still small enough to post.
    rng = random.Random(0)
    words = ["".join(rng.choices(string.ascii_letters, k=rng.randint(1, 12))) for _ in range(5_000)]
    paragraph_count = reading.MAX_TEXT_CHARACTERS // 1_000
    text = "\n\n".join(" ".join(rng.choices(words, k=140))[:990] for _ in range(paragraph_count))
    lines = read_report_file("largest.txt", text.encode())
    payload = import_admin.sign_payload("largest.txt", lines, None, None)
    assert len(payload) <= import_admin.MAX_PAYLOAD_CHARACTERS
    assert import_admin.ConfirmForm({"payload": payload}).is_valid()
    assert import_admin.MAX_PAYLOAD_CHARACTERS < settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 10_000


# ------------------------------------------------------------------ first versions (data safety)


@pytest.mark.django_db
def test_every_imported_draft_has_its_first_version_with_its_parts(lead_client, lead_east, essex):
    preview = lead_client.post(reverse(IMPORT_URL), upload(SYNTHETIC_REPORT))
    lead_client.post(reverse(IMPORT_URL), {"payload": preview.context["payload"]})
    drafts = CaseStudy.objects.all()
    assert drafts.count() == 2
    for draft in drafts:
        (version,) = Version.objects.get_for_object(draft)
        assert version.revision.user == lead_east
        assert "Imported from “synthetic.txt”" in version.revision.comment
        stored = {other.content_type.model for other in version.revision.version_set.all()}
        assert {"casestudy", "point", "contact"} <= stored
        assert version.field_dict["standfirst"] == draft.standfirst
    first = drafts.get(title="Synthetic case study one: a test title")
    point_versions = Version.objects.get_for_model(first.points.model).filter(
        revision=Version.objects.get_for_object(first).get().revision
    )
    assert point_versions.count() == first.points.count() == 3
    history = lead_client.get(reverse("admin:casestudies_casestudy_history", args=[first.pk]))
    assert "Imported from “synthetic.txt”" in history.content.decode()


@pytest.mark.django_db
def test_drafts_imported_from_the_command_line_have_a_first_version(essex, tmp_path):
    report = tmp_path / "synthetic.txt"
    report.write_text(SYNTHETIC_REPORT, encoding="utf-8")
    call_command("import_report", str(report))
    for draft in CaseStudy.objects.all():
        assert Version.objects.get_for_object(draft).count() == 1
